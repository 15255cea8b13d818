// Behaviour of the Azure DevOps grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results
// compared strictly, where the organisation, project and repository sit on Services, the legacy visualstudio.com
// hosts, ssh and a Server collection; the files hub's version, path and line parameters at their edges; commits,
// pull requests and list pages; every message; and the page URL of each context.
import { describe, expect, it } from 'vitest';
import { hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef, Revision } from '../launch-request.ts';
import { parserWith, reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const { registry, parse } = parserWith([
  { hostname: 'tfs.example', family: 'azure-devops', basePath: '/tfs/DefaultCollection' },
]);

const az = 'https://dev.azure.com/org/proj/_git/r';
const repo: RepoRef = { host: 'dev.azure.com', family: 'azure-devops', owner: 'org/proj', name: 'r' };
const server: RepoRef = { host: 'tfs.example', family: 'azure-devops', owner: 'proj', name: 'r' };
const sha = '0123456789abcdef0123456789abcdef01234567';

const home = (r: RepoRef = repo): GitContext => ({
  kind: 'repository',
  repo: r,
  revision: { type: 'default' },
  page: 'repo',
});
const files = (revision: Revision, extra: object = {}, page: 'tree' | 'commits' = 'tree'): GitContext =>
  ({ kind: 'repository', repo, revision, page, ...extra }) as GitContext;
const notARepo = (site: string) =>
  refused(
    'not-a-repository',
    `That ${site} address is not a repository. A repository link looks like https://dev.azure.com/<organisation>/<project>/_git/<repository>.`,
  );

describe('Azure DevOps repository locations', () => {
  it.each<[string, RepoRef]>([
    [az, repo],
    [`${az}.git`, repo],
    ['https://dev.azure.com/org/proj/_git/r/', repo],
    ['https://dev.azure.com/org/_git/r', { ...repo, owner: 'org/r' }],
    ['https://dev.azure.com/org/proj', { ...repo, name: 'proj' }],
    ['https://org.visualstudio.com/proj/_git/r', repo],
    ['https://org.visualstudio.com/defaultcollection/proj/_git/r', repo],
    ['https://org.visualstudio.com/DefaultCollection/_git/r', { ...repo, owner: 'org/r' }],
    ['https://dev.azure.com/org/DefaultCollection/proj/_git/r', repo],
    ['git@ssh.dev.azure.com:v3/org/proj/r.git', repo],
    ['ssh://git@ssh.dev.azure.com/v3/org/proj/r', repo],
    ['org@vs-ssh.visualstudio.com:v3/org/proj/r', repo],
    ['git@ssh.dev.azure.com:v3/org/proj/r/extra', repo],
    ['https://tfs.example/tfs/DefaultCollection/proj/_git/r', server],
    ['https://tfs.example/tfs/DefaultCollection/_git/r', { ...server, owner: 'r' }],
    ['https://tfs.example/tfs/DefaultCollection/proj', { ...server, name: 'proj' }],
    ['ssh://tfs.example:22/tfs/DefaultCollection/proj/_git/r', server],
    ['ssh://tfs.example:22/proj/_git/r', server],
    ['ssh://tfs.example:22/_git/r', { ...server, owner: 'r' }],
    [`${az}/branches`, repo],
    [`${az}/tags`, repo],
    [`${az}/pushes`, repo],
    [`${az}/pullrequests`, repo],
    [`${az}/pullrequestcreate`, repo],
    [`${az}/pullrequestcreate?sourceRef=`, repo],
    [`${az}?path=/`, repo],
    [`${az}?version=`, repo],
    [`${az}?line=3`, repo],
  ])('%s', (input, r) => {
    expect(parse(input)).toStrictEqual(reading(home(r)));
  });

  it.each<[string, string]>([
    ['https://dev.azure.com/', 'https://dev.azure.com'],
    ['https://dev.azure.com/org', 'https://dev.azure.com'],
    ['https://dev.azure.com/org/proj/_git', 'https://dev.azure.com'],
    ['https://dev.azure.com/org/a/b/_git/r', 'https://dev.azure.com'],
    ['https://dev.azure.com/org/proj/x', 'https://dev.azure.com'],
    ['https://dev.azure.com/org/_home', 'https://dev.azure.com'],
    ['https://org.visualstudio.com/', 'https://dev.azure.com'],
    ['git@ssh.dev.azure.com:v3/org/proj', 'https://dev.azure.com'],
    ['https://tfs.example/tfs/DefaultCollection', 'https://tfs.example/tfs/DefaultCollection'],
    ['https://tfs.example/tfs/DefaultCollection/a/b/c', 'https://tfs.example/tfs/DefaultCollection'],
  ])('%s is not a repository', (input, site) => {
    expect(parse(input)).toStrictEqual(notARepo(site));
  });

  it('calls boards, pipelines and other project pages by their name', () => {
    expect(parse('https://dev.azure.com/org/proj/_boards/board')).toStrictEqual(
      refused(
        'unsupported-page',
        'https://dev.azure.com/…/_boards is a project page (boards, pipelines, work items…), not a repository. Open the repository under Repos (…/_git/<repo>) and try again.',
      ),
    );
    expect(parse('https://tfs.example/tfs/DefaultCollection/proj/_build')).toStrictEqual(
      refused(
        'unsupported-page',
        'https://tfs.example/tfs/DefaultCollection/…/_build is a project page (boards, pipelines, work items…), not a repository. Open the repository under Repos (…/_git/<repo>) and try again.',
      ),
    );
  });

  it('knows visualstudio.com only by its sub-domains', () => {
    expect(parse('https://visualstudio.com/proj/_git/r')).toStrictEqual(
      refused(
        'unknown-host',
        "visualstudio.com is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
      ),
    );
  });
});

describe('Azure DevOps pages, whole results', () => {
  it.each<[string, GitContext]>([
    [`${az}/commits`, files({ type: 'default' }, {}, 'commits')],
    [
      `${az}/Commit/ABCDEF1?refName=refs%2Fheads%2Ff%2Fx`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha: 'abcdef1', branch: 'f/x' },
        page: 'commit',
      },
    ],
    [
      `${az}/commit/${sha}?refName=refs/tags/v1`,
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
    ],
    [`${az}/commit/${sha}`, { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' }],
    [`${az}/pullrequest/12`, { kind: 'pull-request', repo, number: 12 }],
    [`${az}/PullRequest/12?_a=files`, { kind: 'pull-request', repo, number: 12, tab: 'files' }],
    [`${az}/pullrequest/12?_a=commits`, { kind: 'pull-request', repo, number: 12, tab: 'commits' }],
    [`${az}/pullrequest/12?_a=overview`, { kind: 'pull-request', repo, number: 12, tab: 'overview' }],
    [`${az}/pullrequest/12?_a=history`, { kind: 'pull-request', repo, number: 12 }],
    [
      `${az}/pullrequestcreate?sourceRef=refs/heads/f/x`,
      files({ type: 'ref', name: 'f/x', refType: 'branch' }),
    ],
    [`${az}/pullrequestcreate?sourceRef=dev`, files({ type: 'ref', name: 'dev', refType: 'branch' })],
    [`${az}?version=GBmain`, files({ type: 'ref', name: 'main', refType: 'branch' })],
    [`${az}?version=gbmain`, files({ type: 'ref', name: 'main', refType: 'branch' })],
    [`${az}?version=GTv1.0`, files({ type: 'ref', name: 'v1.0', refType: 'tag' })],
    [`${az}?version=GC${sha.toUpperCase()}`, files({ type: 'commit', sha })],
    [`${az}?version=GCxyz`, files({ type: 'ref', name: 'GCxyz', refType: 'any' })],
    [`${az}?version=GB`, files({ type: 'ref', name: 'GB', refType: 'any' })],
    [`${az}?version=GT`, files({ type: 'ref', name: 'GT', refType: 'any' })],
    [`${az}?version=ABCDEF1`, files({ type: 'commit', sha: 'abcdef1' })],
    [`${az}?version=main`, files({ type: 'ref', name: 'main', refType: 'any' })],
    [`${az}?version=GBmain&line=3`, files({ type: 'ref', name: 'main', refType: 'branch' })],
    [
      `${az}?path=%2Fsrc%2Fa.ts%2F&line=12&lineEnd=10`,
      files(
        { type: 'default' },
        { path: { path: 'src/a.ts', kind: 'unknown' }, lines: { start: 10, end: 12 } },
      ),
    ],
    [
      `${az}?path=//src//&line=4&lineEnd=x`,
      files({ type: 'default' }, { path: { path: 'src', kind: 'unknown' }, lines: { start: 4, end: 4 } }),
    ],
    [`${az}?path=/a.ts&line=0`, files({ type: 'default' }, { path: { path: 'a.ts', kind: 'unknown' } })],
    [
      `${az}?path=/a.ts&line=4&lineEnd=4`,
      files({ type: 'default' }, { path: { path: 'a.ts', kind: 'unknown' }, lines: { start: 4, end: 4 } }),
    ],
    [`${az}?_a=history`, files({ type: 'default' }, {}, 'commits')],
    [
      `${az}?version=GBmain&path=/src&_a=history`,
      files(
        { type: 'ref', name: 'main', refType: 'branch' },
        { path: { path: 'src', kind: 'unknown' } },
        'commits',
      ),
    ],
    [`${az}/anything?version=GTv2`, files({ type: 'ref', name: 'v2', refType: 'tag' })],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });

  it.each<[string, ParseError['code'], string]>([
    [
      `${az}/commit/xyz`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like ${az}/commit/1a2b3c4.`,
    ],
    [
      `${az}/commit`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found nothing. A commit link looks like ${az}/commit/1a2b3c4.`,
    ],
    [
      `${az}/pullrequest/x`,
      'invalid-number',
      `Expected a pull request number after 'pullrequest/' but found 'x'. A pull request link looks like ${az}/pullrequest/12.`,
    ],
    [
      'https://tfs.example/tfs/DefaultCollection/proj/_git/r/pullrequest',
      'invalid-number',
      "Expected a pull request number after 'pullrequest/' but found nothing. A pull request link looks like https://tfs.example/tfs/DefaultCollection/proj/_git/r/pullrequest/12.",
    ],
  ])('%s is refused', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });

  it('reads ssh clone URLs as the repository, whatever follows', () => {
    expect(parse('git@ssh.dev.azure.com:v3/org/proj/r')).toStrictEqual(reading(home()));
    expect(parse('ssh://tfs.example:22/tfs/DefaultCollection/proj/_git/r/commit/zz')).toStrictEqual(
      reading(home(server)),
    );
  });

  it('uses the collection itself as a Server instance’s API base', () => {
    expect(registry.lookup('tfs.example', '/tfs/DefaultCollection/proj')?.apiBaseUrl).toBe(
      'https://tfs.example/tfs/DefaultCollection',
    );
  });
});

describe('Azure DevOps page URLs', () => {
  const family = hostFamilies['azure-devops'];
  const entry = registry.lookup('dev.azure.com');
  const serverEntry = registry.lookup('tfs.example', '/tfs/DefaultCollection/proj');
  if (entry === undefined || serverEntry === undefined) throw new Error('no entries');
  const page = (revision: Revision, kind: 'tree' | 'commits' | 'repo', extra: object = {}) =>
    ({ kind: 'repository', repo, revision, page: kind, ...extra }) as RepoContext;

  it.each<[RepoContext, string]>([
    [{ kind: 'pull-request', repo, number: 3 }, `${az}/pullrequest/3`],
    [{ kind: 'pull-request', repo, number: 3, tab: 'files' }, `${az}/pullrequest/3?_a=files`],
    [{ kind: 'issue', repo, number: 5 }, az],
    [home() as RepoContext, az],
    [{ kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' }, `${az}/commit/${sha}`],
    [
      { kind: 'repository', repo, revision: { type: 'commit', sha, branch: 'f/x&y' }, page: 'commit' },
      `${az}/commit/${sha}?refName=refs/heads/f/x%26y`,
    ],
    [page({ type: 'commit', sha }, 'tree'), `${az}?version=GC${sha}`],
    [page({ type: 'ref', name: 'f/x', refType: 'branch' }, 'tree'), `${az}?version=GBf/x`],
    [page({ type: 'ref', name: 'v1', refType: 'tag' }, 'tree'), `${az}?version=GTv1`],
    [page({ type: 'ref', name: 'main', refType: 'any' }, 'tree'), `${az}?version=main`],
    [page({ type: 'ambiguous', candidates: [{ ref: 'a', path: 'b' }] }, 'tree'), `${az}?version=GBa`],
    [page({ type: 'ambiguous', candidates: [] }, 'tree'), az],
    [page({ type: 'default' }, 'commits'), `${az}?_a=history`],
    [
      page({ type: 'ref', name: 'main', refType: 'branch' }, 'commits', {
        path: { path: 'src', kind: 'unknown' },
      }),
      `${az}?version=GBmain&path=/src&_a=history`,
    ],
    [
      page({ type: 'default' }, 'tree', {
        path: { path: 'a b.ts', kind: 'unknown' },
        lines: { start: 3, end: 5 },
      }),
      `${az}?path=/a%20b.ts&line=3&lineEnd=5`,
    ],
    [
      page({ type: 'default' }, 'tree', {
        path: { path: 'a.ts', kind: 'unknown' },
        lines: { start: 3, end: 3 },
      }),
      `${az}?path=/a.ts&line=3`,
    ],
    [page({ type: 'default' }, 'tree', { lines: { start: 3, end: 3 } }), az],
    [
      { kind: 'pull-request', repo: { ...repo, owner: 'org/my proj', name: 'Ü r' }, number: 1 },
      'https://dev.azure.com/org/my%20proj/_git/%C3%9C%20r/pullrequest/1',
    ],
  ])('%j → %s', (context, url) => {
    expect(family.webUrl(context, entry)).toBe(url);
  });

  it('clone from the repository URL, on Services and under a Server collection', () => {
    expect(family.cloneUrl(repo, entry)).toBe(az);
    expect(family.cloneUrl(server, serverEntry)).toBe(
      'https://tfs.example/tfs/DefaultCollection/proj/_git/r',
    );
  });
});

describe('Azure DevOps edge cases', () => {
  it('read an organisation named v3 on the web, and an ssh path without v3, as the usual layout', () => {
    expect(parse('https://dev.azure.com/v3/proj/_git/r')).toStrictEqual(
      reading(home({ ...repo, owner: 'v3/proj' })),
    );
    expect(parse('git@ssh.dev.azure.com:org/proj/_git/r')).toStrictEqual(reading(home()));
  });

  it('read what follows _git/<repo> when the project is not named', () => {
    expect(parse('https://dev.azure.com/org/_git/r/commit/abcdef1')).toStrictEqual(
      reading({
        kind: 'repository',
        repo: { ...repo, owner: 'org/r' },
        revision: { type: 'commit', sha: 'abcdef1' },
        page: 'commit',
      }),
    );
  });

  it('refuse a _git deeper than the project, even after a page-like segment', () => {
    expect(parse('https://dev.azure.com/org/a/_b/_git/r')).toStrictEqual(notARepo('https://dev.azure.com'));
    expect(parse('https://tfs.example/tfs/DefaultCollection/a/proj/_git/r')).toStrictEqual(
      notARepo('https://tfs.example/tfs/DefaultCollection'),
    );
  });

  it('find a Server ssh repository by its _git segment only', () => {
    expect(parse('ssh://tfs.example:22/_git/r/x')).toStrictEqual(reading(home({ ...server, owner: 'r' })));
    expect(parse('ssh://tfs.example:22/a/_b/c')).toStrictEqual(
      refused(
        'unsupported-page',
        'https://tfs.example/tfs/DefaultCollection/…/_b is a project page (boards, pipelines, work items…), not a repository. Open the repository under Repos (…/_git/<repo>) and try again.',
      ),
    );
  });

  it('take refs/heads/ off the front of a source branch only', () => {
    expect(parse(`${az}/pullrequestcreate?sourceRef=f/refs/heads/x`)).toStrictEqual(
      reading(files({ type: 'ref', name: 'f/refs/heads/x', refType: 'branch' })),
    );
  });

  it('read an unprefixed commit id whole, and an empty line as none', () => {
    expect(parse(`${az}?version=${sha}`)).toStrictEqual(reading(files({ type: 'commit', sha })));
    expect(parse(`${az}?path=/a.ts&line=&lineEnd=`)).toStrictEqual(
      reading(files({ type: 'default' }, { path: { path: 'a.ts', kind: 'unknown' } })),
    );
  });
});
