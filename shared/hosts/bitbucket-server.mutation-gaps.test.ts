// Behaviour of the Bitbucket Server grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results
// compared strictly, project, personal, `scm/` and ssh repository paths, every `?at=` and `?until=` form, folders and
// line anchors, commits and pull requests at their edges, an instance under a base path in messages and links.
import { describe, expect, it } from 'vitest';
import { hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef, Revision } from '../launch-request.ts';
import { parserWith, reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const { registry, parse } = parserWith([
  { hostname: 'bbs.example', family: 'bitbucket-server', basePath: '/bitbucket' },
  { hostname: 'git.example', family: 'bitbucket-server' },
]);

const at = (owner: string, name = 'r', host = 'bbs.example'): RepoRef => ({
  host,
  family: 'bitbucket-server',
  owner,
  name,
});
const repo = at('PLAT');
const sha = '0123456789abcdef0123456789abcdef01234567';
const site = 'https://bbs.example/bitbucket';

const home = (r: RepoRef = repo): GitContext => ({
  kind: 'repository',
  repo: r,
  revision: { type: 'default' },
  page: 'repo',
});
const browse = (revision: Revision): GitContext => ({ kind: 'repository', repo, revision, page: 'browse' });

describe('Bitbucket Server repository paths', () => {
  it.each<[string, RepoRef]>([
    [`${site}/projects/plat/repos/r`, repo],
    [`${site}/projects/PLAT/repos/r.git/settings`, repo],
    [`${site}/users/Alice/repos/r`, at('~alice')],
    [`${site}/scm/plat/r.git`, repo],
    [`${site}/scm/~Alice/r.git`, at('~alice')],
    ['ssh://git@bbs.example:7999/plat/r.git', repo],
    ['git@bbs.example:plat/r.git', repo],
    ['ssh://git@bbs.example:7999/scm/plat/r.git', repo],
    ['https://git.example/projects/K_1.x-y/repos/r', at('K_1.X-Y', 'r', 'git.example')],
    [`${site}/projects/PLAT/repos/r/pull-requests`, repo],
  ])('%s', (input, r) => {
    expect(parse(input)).toStrictEqual(reading(home(r)));
  });

  it.each([
    `${site}/dashboard`,
    `${site}/projects/PLAT`,
    `${site}/projects/PLAT/repos`,
    `${site}/projects/PLAT/settings/r`,
    `${site}/users/alice/repos`,
    `${site}/users/alice/settings/r`,
    `${site}/scm/plat`,
    `${site}/scm/plat/r/extra`,
    `${site}/plat/r`,
    'ssh://git@bbs.example:7999/plat/r/x',
    `${site}`,
  ])('%s is not a repository', (input) => {
    expect(parse(input)).toStrictEqual(
      refused(
        'not-a-repository',
        `That Bitbucket Server page is not a repository. Open a repository (${site}/projects/KEY/repos/name/browse) and try again.`,
      ),
    );
  });

  it('takes 128-character keys and names, and refuses 129 or other characters, naming them as written', () => {
    const long = 'a'.repeat(128);
    expect(parse(`https://git.example/projects/${long}/repos/${long}`)).toStrictEqual(
      reading(home(at(long.toUpperCase(), long, 'git.example'))),
    );
    for (const [path, shown] of [
      [`projects/${long}b/repos/r`, `${long}b/r`],
      [`projects/K/repos/${long}b`, `K/${long}b`],
      ['projects/K%20X/repos/r.git', 'K X/r.git'],
      ['users/al%20ice/repos/r', '~al ice/r'],
      ['scm/k/r%20s.git', 'k/r s.git'],
    ]) {
      expect(parse(`https://git.example/${path}`)).toStrictEqual(
        refused('not-a-repository', `'${shown}' is not a valid Bitbucket Server repository.`),
      );
    }
  });
});

describe('Bitbucket Server pages, whole results', () => {
  it.each<[string, GitContext]>([
    [`${site}/projects/PLAT/repos/r/browse`, browse({ type: 'default' })],
    [`${site}/projects/PLAT/repos/r?at=`, home()],
    [
      `${site}/projects/PLAT/repos/r?at=refs%2Fheads%2Ff%2Fx`,
      browse({ type: 'ref', name: 'f/x', refType: 'branch' }),
    ],
    [
      `${site}/projects/PLAT/repos/r/browse?at=refs/tags/v1`,
      browse({ type: 'ref', name: 'v1', refType: 'tag' }),
    ],
    [
      `${site}/projects/PLAT/repos/r/browse?at=refs/heads/`,
      browse({ type: 'ref', name: 'refs/heads/', refType: 'any' }),
    ],
    [
      `${site}/projects/PLAT/repos/r/browse?at=refs/tags/`,
      browse({ type: 'ref', name: 'refs/tags/', refType: 'any' }),
    ],
    [`${site}/projects/PLAT/repos/r/browse?at=${sha.toUpperCase()}`, browse({ type: 'commit', sha })],
    [
      `${site}/projects/PLAT/repos/r/browse?at=abcdef1`,
      browse({ type: 'ref', name: 'abcdef1', refType: 'any' }),
    ],
    [
      `${site}/projects/PLAT/repos/r/browse?at=main#10`,
      browse({ type: 'ref', name: 'main', refType: 'any' }),
    ],
    [
      `${site}/projects/PLAT/repos/r/browse/src/a.ts?at=main#10-20`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'browse',
        path: { path: 'src/a.ts', kind: 'unknown' },
        lines: { start: 10, end: 20 },
      },
    ],
    [
      `${site}/projects/PLAT/repos/r/browse/src/#10`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'default' },
        page: 'browse',
        path: { path: 'src', kind: 'folder' },
      },
    ],
    [
      `${site}/projects/PLAT/repos/r/commits`,
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
    ],
    [
      `${site}/projects/PLAT/repos/r/commits?until=refs/heads/main`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'branch' },
        page: 'commits',
      },
    ],
    [
      `${site}/projects/PLAT/repos/r/commits?until=${sha}`,
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commits' },
    ],
    [
      `${site}/projects/PLAT/repos/r/commits/ABCDEF1`,
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    [`${site}/projects/PLAT/repos/r/pull-requests/4`, { kind: 'pull-request', repo, number: 4 }],
    [
      `${site}/projects/PLAT/repos/r/pull-requests/4/overview`,
      { kind: 'pull-request', repo, number: 4, tab: 'overview' },
    ],
    [
      `${site}/projects/PLAT/repos/r/pull-requests/4/diff`,
      { kind: 'pull-request', repo, number: 4, tab: 'diff' },
    ],
    [
      `${site}/projects/PLAT/repos/r/pull-requests/4/commits`,
      { kind: 'pull-request', repo, number: 4, tab: 'commits' },
    ],
    [`${site}/projects/PLAT/repos/r/pull-requests/4/builds`, { kind: 'pull-request', repo, number: 4 }],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });

  it.each<[string, ParseError['code'], string]>([
    [
      `${site}/projects/PLAT/repos/r.git/commits/xyz`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like ${site}/projects/KEY/repos/r/commits/1a2b3c4.`,
    ],
    [
      `${site}/projects/PLAT/repos/r/pull-requests/x`,
      'invalid-number',
      `Expected a pull request number after 'pull-requests/' but found 'x'. A pull request link looks like ${site}/projects/KEY/repos/r/pull-requests/12.`,
    ],
    [
      'http://bbs.example/bitbucket/projects/PLAT/repos/r',
      'insecure-scheme',
      'bbs.example is served over https only, and this link uses plain http. Use the https:// address instead.',
    ],
  ])('%s is refused', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });

  it('gets the /rest/api/1.0 API under its base path', () => {
    expect(registry.lookup('bbs.example', '/bitbucket/x')?.apiBaseUrl).toBe(`${site}/rest/api/1.0`);
  });
});

describe('Bitbucket Server page URLs', () => {
  const family = hostFamilies['bitbucket-server'];
  const entry = registry.lookup('bbs.example', '/bitbucket/x');
  if (entry === undefined) throw new Error('no entry');
  const base = `${site}/projects/PLAT/repos/r`;
  const page = (revision: Revision, kind: 'browse' | 'commits' | 'tree', extra: object = {}) =>
    ({ kind: 'repository', repo, revision, page: kind, ...extra }) as RepoContext;

  it.each<[RepoContext, string]>([
    [{ kind: 'pull-request', repo, number: 3 }, `${base}/pull-requests/3`],
    [{ kind: 'pull-request', repo, number: 3, tab: 'diff' }, `${base}/pull-requests/3/diff`],
    [{ kind: 'issue', repo, number: 5 }, `${base}/browse#issue-5`],
    [home() as RepoContext, base],
    [
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
      `${base}/commits/${sha}`,
    ],
    [page({ type: 'default' }, 'commits'), `${base}/commits`],
    [
      page({ type: 'ref', name: 'f/x&y', refType: 'branch' }, 'commits'),
      `${base}/commits?until=refs/heads/f/x%26y`,
    ],
    [page({ type: 'ref', name: 'v1', refType: 'tag' }, 'commits'), `${base}/commits?until=refs/tags/v1`],
    [page({ type: 'ref', name: 'main', refType: 'any' }, 'commits'), `${base}/commits?until=main`],
    [page({ type: 'commit', sha }, 'commits'), `${base}/commits?until=${sha}`],
    [
      page({ type: 'ambiguous', candidates: [{ ref: 'a', path: 'b' }] }, 'commits'),
      `${base}/commits?until=a`,
    ],
    [page({ type: 'ambiguous', candidates: [] }, 'commits'), `${base}/commits`],
    [page({ type: 'default' }, 'browse'), `${base}/browse`],
    [
      page({ type: 'ref', name: 'main', refType: 'branch' }, 'browse', {
        path: { path: 'src/a b.ts', kind: 'unknown' },
        lines: { start: 10, end: 20 },
      }),
      `${base}/browse/src/a%20b.ts?at=refs/heads/main#10-20`,
    ],
    [page({ type: 'default' }, 'browse', { path: { path: 'src', kind: 'folder' } }), `${base}/browse/src/`],
    [
      page({ type: 'ref', name: 'main', refType: 'any' }, 'browse', {
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 4, end: 4 },
      }),
      `${base}/browse/a.ts?at=main#4`,
    ],
    [
      { kind: 'pull-request', repo: at('~alice', 'dots'), number: 1 },
      `${site}/users/alice/repos/dots/pull-requests/1`,
    ],
  ])('%j → %s', (context, url) => {
    expect(family.webUrl(context, entry)).toBe(url);
  });

  it('read back to the same context', () => {
    for (const context of [
      page({ type: 'ref', name: 'f/x', refType: 'branch' }, 'browse', {
        path: { path: 'src', kind: 'folder' },
      }),
      page({ type: 'ref', name: 'v1', refType: 'tag' }, 'commits'),
      { kind: 'pull-request', repo: at('~alice'), number: 2, tab: 'overview' } as RepoContext,
    ]) {
      expect(parse(family.webUrl(context, entry))).toStrictEqual(reading(context));
    }
  });
});

describe('Bitbucket Server edge cases', () => {
  it('read ?at= on a clone URL as the browse page at that ref', () => {
    for (const input of [
      `${site}/scm/plat/r.git?at=refs/heads/main`,
      'ssh://git@bbs.example:7999/plat/r.git?at=refs/heads/main',
    ]) {
      expect(parse(input)).toStrictEqual(reading(browse({ type: 'ref', name: 'main', refType: 'branch' })));
    }
  });

  it('need users/ before a personal repository, and a name after an ssh key', () => {
    const notARepo = refused(
      'not-a-repository',
      `That Bitbucket Server page is not a repository. Open a repository (${site}/projects/KEY/repos/name/browse) and try again.`,
    );
    expect(parse(`${site}/people/alice/repos/r`)).toStrictEqual(notARepo);
    expect(parse('ssh://git@bbs.example:7999/plat')).toStrictEqual(notARepo);
  });
});
