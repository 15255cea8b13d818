// Behaviour of the Bitbucket Cloud grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results
// compared strictly, `src/` and `raw/` with a sha, a branch in `?at=`, folders and line anchors, `branch/`,
// `commits/…`, pull requests and issues at their edges, every message, and the canonical page URL of each context.
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry, defaultHostRegistry, hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const parse = (input: string) => parseLaunchInput(input, defaultHostRegistry);
const repo: RepoRef = { host: 'bitbucket.org', family: 'bitbucket-cloud', owner: 'w', name: 'r' };
const sha = '0123456789abcdef0123456789abcdef01234567';

const home: GitContext = { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' };

describe('Bitbucket Cloud page kinds, whole results', () => {
  it.each<[string, GitContext]>([
    [
      `https://bitbucket.org/w/r/src/${sha.toUpperCase()}/a/b.py?at=main#lines-3:5`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha, branch: 'main' },
        page: 'tree',
        path: { path: 'a/b.py', kind: 'unknown' },
        lines: { start: 3, end: 5 },
      },
    ],
    [
      `https://bitbucket.org/w/r/src/${sha}/a.py?at=#lines-3`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'a.py', kind: 'unknown' },
        lines: { start: 3, end: 3 },
      },
    ],
    [
      `https://bitbucket.org/w/r/src/${sha}/docs/#lines-3`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'docs', kind: 'folder' },
      },
    ],
    [
      'https://bitbucket.org/w/r/src/abcdef1#lines-3',
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'tree' },
    ],
    [
      'https://bitbucket.org/w/r/src/feature/x/app.py?at=feature/x#lines-2',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'feature/x', refType: 'branch' },
        page: 'tree',
        path: { path: 'app.py', kind: 'unknown' },
        lines: { start: 2, end: 2 },
      },
    ],
    [
      'https://bitbucket.org/w/r/src/feature/x/?at=feature/x',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'feature/x', refType: 'branch' },
        page: 'tree',
      },
    ],
    [
      'https://bitbucket.org/w/r/src/main?at=main#lines-2',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'branch' }, page: 'tree' },
    ],
    [
      'https://bitbucket.org/w/r/src/main/app.py?at=other#lines-2',
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'main', path: 'app.py' },
            { ref: 'main/app.py', path: '' },
          ],
        },
        page: 'tree',
        lines: { start: 2, end: 2 },
      },
    ],
    [
      'https://bitbucket.org/w/r/src/feature/x?at=feature',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'feature', refType: 'branch' },
        page: 'tree',
        path: { path: 'x', kind: 'unknown' },
      },
    ],
    [
      'https://bitbucket.org/w/r/src/main',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'tree' },
    ],
    [
      'https://bitbucket.org/w/r/src/main?at=',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'tree' },
    ],
    [
      `https://bitbucket.org/w/r/raw/${sha}/a/b.py#lines-4`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'a/b.py', kind: 'unknown' },
        lines: { start: 4, end: 4 },
      },
    ],
    [
      'https://bitbucket.org/w/r/raw/ABCDEF1/a.py',
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha: 'abcdef1' },
        page: 'tree',
        path: { path: 'a.py', kind: 'unknown' },
      },
    ],
    [
      'https://bitbucket.org/w/r/raw/main/a.py#lines-1:2',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'tree',
        path: { path: 'a.py', kind: 'unknown' },
        lines: { start: 1, end: 2 },
      },
    ],
    [
      'https://bitbucket.org/w/r/raw/a/b/c.py',
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a', path: 'b/c.py' },
            { ref: 'a/b', path: 'c.py' },
          ],
        },
        page: 'tree',
      },
    ],
    [
      'https://bitbucket.org/w/r/branch/feature/x',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'feature/x', refType: 'branch' },
        page: 'branch',
      },
    ],
    [
      'https://bitbucket.org/w/r/commits',
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
    ],
    [
      'https://bitbucket.org/w/r/commits/all',
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
    ],
    [
      'https://bitbucket.org/w/r/commits/branch/feature/x',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'feature/x', refType: 'branch' },
        page: 'commits',
      },
    ],
    [
      'https://bitbucket.org/w/r/commits/tag/v1.0',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1.0', refType: 'tag' }, page: 'commits' },
    ],
    [
      'https://bitbucket.org/w/r/commits/ABCDEF1',
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    ['https://bitbucket.org/w/r/pull-requests/4', { kind: 'pull-request', repo, number: 4 }],
    [
      'https://bitbucket.org/w/r/pull-requests/4/diff',
      { kind: 'pull-request', repo, number: 4, tab: 'diff' },
    ],
    [
      'https://bitbucket.org/w/r/pull-requests/4/commits',
      { kind: 'pull-request', repo, number: 4, tab: 'commits' },
    ],
    [
      'https://bitbucket.org/w/r/pull-requests/4/activity',
      { kind: 'pull-request', repo, number: 4, tab: 'activity' },
    ],
    ['https://bitbucket.org/w/r/pull-requests/4/some-title', { kind: 'pull-request', repo, number: 4 }],
    ['https://bitbucket.org/w/r/issues/6/some-title', { kind: 'issue', repo, number: 6 }],
    [
      'https://bitbucket.org/w_1.x-y/r.git/issues/6',
      { kind: 'issue', repo: { ...repo, owner: 'w_1.x-y' }, number: 6 },
    ],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });

  it.each([
    'https://bitbucket.org/w/r/src',
    'https://bitbucket.org/w/r/raw/main',
    'https://bitbucket.org/w/r/branch',
    'https://bitbucket.org/w/r/pull-requests',
    'https://bitbucket.org/w/r/issues',
    'https://bitbucket.org/w/r/wiki/Home',
    'https://bitbucket.org/w/r.git',
    'git@bitbucket.org:w/r.git',
    'git@bitbucket.org:w/r/src/main',
    'ssh://git@bitbucket.org/w/r/commits/zz',
  ])('%s opens the repository', (input) => {
    expect(parse(input)).toStrictEqual(reading(home));
  });

  it('takes 128-character workspace and repository names and refuses 129', () => {
    const long = 'a'.repeat(128);
    expect(parse(`https://bitbucket.org/${long}/${long}`)).toStrictEqual(
      reading({
        kind: 'repository',
        repo: { ...repo, owner: long, name: long },
        revision: { type: 'default' },
        page: 'repo',
      }),
    );
    expect(parse(`https://bitbucket.org/w/${long}b`)).toStrictEqual(
      refused('not-a-repository', `'w/${long}b' is not a valid Bitbucket repository path.`),
    );
    expect(parse(`https://bitbucket.org/${long}b/r`)).toStrictEqual(
      refused('not-a-repository', `'${long}b/r' is not a valid Bitbucket repository path.`),
    );
  });
});

describe('Bitbucket Cloud errors', () => {
  it.each<[string, ParseError['code'], string]>([
    [
      'https://bitbucket.org/',
      'unsupported-page',
      'That is a Bitbucket page, not a repository. Open a repository (https://bitbucket.org/workspace/repo) and try again.',
    ],
    [
      'https://bitbucket.org/Account/signin',
      'unsupported-page',
      'That is a Bitbucket page, not a repository. Open a repository (https://bitbucket.org/workspace/repo) and try again.',
    ],
    [
      'https://bitbucket.org/snippets/w/x',
      'unsupported-page',
      'That is a Bitbucket page, not a repository. Open a repository (https://bitbucket.org/workspace/repo) and try again.',
    ],
    [
      'https://bitbucket.org/w',
      'not-a-repository',
      'https://bitbucket.org/w is a Bitbucket workspace, not a repository. Open one of its repositories and try again.',
    ],
    [
      'https://bitbucket.org/w/r%20s.git',
      'not-a-repository',
      "'w/r s.git' is not a valid Bitbucket repository path.",
    ],
    [
      'https://bitbucket.org/w%20x/r',
      'not-a-repository',
      "'w x/r' is not a valid Bitbucket repository path.",
    ],
    [
      'https://bitbucket.org/w/r/commits/branch',
      'invalid-sha',
      "Expected a commit id (7 to 40 hexadecimal digits) but found 'branch'. A commit link looks like https://bitbucket.org/w/r/commits/1a2b3c4.",
    ],
    [
      'https://bitbucket.org/w/r.git/commits/xyz',
      'invalid-sha',
      "Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like https://bitbucket.org/w/r/commits/1a2b3c4.",
    ],
    [
      'https://bitbucket.org/w/r/pull-requests/x',
      'invalid-number',
      "Expected a pull request number after 'pull-requests/' but found 'x'. A pull request link looks like https://bitbucket.org/w/r/pull-requests/12.",
    ],
    [
      'https://bitbucket.org/w/r/issues/0',
      'invalid-number',
      "Expected an issue number after 'issues/' but found '0'. An issue link looks like https://bitbucket.org/w/r/issues/7.",
    ],
  ])('%s', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });
});

describe('Bitbucket Cloud page URLs', () => {
  const family = hostFamilies['bitbucket-cloud'];
  const entry = defaultHostRegistry.lookup('bitbucket.org');
  if (entry === undefined) throw new Error('no entry');

  it.each<[RepoContext, string]>([
    [{ kind: 'pull-request', repo, number: 3 }, 'https://bitbucket.org/w/r/pull-requests/3'],
    [
      { kind: 'pull-request', repo, number: 3, tab: 'diff' },
      'https://bitbucket.org/w/r/pull-requests/3/diff',
    ],
    [{ kind: 'issue', repo, number: 9 }, 'https://bitbucket.org/w/r/issues/9'],
    [home as RepoContext, 'https://bitbucket.org/w/r'],
    [
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
      'https://bitbucket.org/w/r/commits',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
      `https://bitbucket.org/w/r/commits/${sha}`,
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'f/x y', refType: 'branch' },
        page: 'branch',
      },
      'https://bitbucket.org/w/r/branch/f/x%20y',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1', refType: 'tag' }, page: 'commits' },
      'https://bitbucket.org/w/r/commits/tag/v1',
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'f/x', refType: 'branch' },
        page: 'commits',
      },
      'https://bitbucket.org/w/r/commits/branch/f/x',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1', refType: 'any' }, page: 'commits' },
      'https://bitbucket.org/w/r/commits/branch/v1',
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha, branch: 'f/a&b' },
        page: 'tree',
        path: { path: 'a.py', kind: 'unknown' },
        lines: { start: 3, end: 5 },
      },
      `https://bitbucket.org/w/r/src/${sha}/a.py?at=f/a%26b#lines-3:5`,
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'docs', kind: 'folder' },
      },
      `https://bitbucket.org/w/r/src/${sha}/docs/`,
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'f/x', refType: 'branch' },
        page: 'tree',
        path: { path: 'a.py', kind: 'unknown' },
        lines: { start: 2, end: 2 },
      },
      'https://bitbucket.org/w/r/src/f/x/a.py?at=f/x#lines-2',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1', refType: 'tag' }, page: 'tree' },
      'https://bitbucket.org/w/r/src/v1',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1', refType: 'any' }, page: 'tree' },
      'https://bitbucket.org/w/r/src/v1',
    ],
  ])('%j → %s', (context, url) => {
    expect(family.webUrl(context, entry)).toBe(url);
  });

  it('clone from bitbucket.org; no self-hosted entry, whose requests and tokens would go to the bitbucket.org API', () => {
    expect(family.cloneUrl(repo, entry)).toBe('https://bitbucket.org/w/r.git');
    expect(createHostRegistry([{ hostname: 'bb.example', family: 'bitbucket-cloud' }])).toStrictEqual({
      ok: false,
      error:
        'hosts[0].family: bitbucket-cloud is bitbucket.org only, never self-hosted; for your own instance use github, gitlab, bitbucket-server, gitea, azure-devops.',
    });
    // The built-in host may still be pointed at another API (a proxy, the demo's fakes).
    const proxied = createHostRegistry([
      { hostname: 'bitbucket.org', family: 'bitbucket-cloud', apiBaseUrl: 'http://127.0.0.1:9/2.0' },
    ]);
    expect(proxied.ok && proxied.value.lookup('bitbucket.org')?.apiBaseUrl).toBe('http://127.0.0.1:9/2.0');
  });
});

describe('Bitbucket Cloud commit links', () => {
  it('read commits/<sha>/<anything> as the commit', () => {
    expect(parse('https://bitbucket.org/w/r/commits/abcdef1/raw')).toStrictEqual(
      reading({ kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' }),
    );
  });
});
