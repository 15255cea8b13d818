// Behaviour of the Gitea / Forgejo grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results
// compared strictly, typed and legacy `src/` views, `blob/`, commits, pull requests (and `pulls/new/<branch>`),
// issues and releases at their edges, names at their limits, every message — under a sub-path too — and page URLs.
import { describe, expect, it } from 'vitest';
import { hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef, Revision } from '../launch-request.ts';
import { parserWith, reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const { registry, parse } = parserWith([{ hostname: 'corp.example', family: 'gitea', basePath: '/git' }]);

const cb = 'https://codeberg.org';
const repo: RepoRef = { host: 'codeberg.org', family: 'gitea', owner: 'o', name: 'r' };
const corp: RepoRef = { host: 'corp.example', family: 'gitea', owner: 'o', name: 'r' };
const sha = '0123456789abcdef0123456789abcdef01234567';

const home = (r: RepoRef = repo): GitContext => ({
  kind: 'repository',
  repo: r,
  revision: { type: 'default' },
  page: 'repo',
});
const tree = (revision: Revision, extra: object = {}): GitContext =>
  ({ kind: 'repository', repo, revision, page: 'tree', ...extra }) as GitContext;

describe('Gitea views of a ref and a path, whole results', () => {
  it.each<[string, GitContext]>([
    [`${cb}/o/r/src/branch/main#L3`, tree({ type: 'ref', name: 'main', refType: 'branch' })],
    [`${cb}/o/r/src/tag/v1`, tree({ type: 'ref', name: 'v1', refType: 'tag' })],
    [
      `${cb}/o/r/src/tag/v1/docs#L3`,
      tree(
        {
          type: 'ambiguous',
          candidates: [
            { ref: 'v1', path: 'docs' },
            { ref: 'v1/docs', path: '' },
          ],
          refType: 'tag',
        },
        { lines: { start: 3, end: 3 } },
      ),
    ],
    [
      `${cb}/o/r/src/branch/${sha}/x`,
      tree({
        type: 'ambiguous',
        candidates: [
          { ref: sha, path: 'x' },
          { ref: `${sha}/x`, path: '' },
        ],
        refType: 'branch',
      }),
    ],
    [
      `${cb}/o/r/src/commit/${sha.toUpperCase()}/a/b.go#L2-L4`,
      tree(
        { type: 'commit', sha },
        { path: { path: 'a/b.go', kind: 'unknown' }, lines: { start: 2, end: 4 } },
      ),
    ],
    [`${cb}/o/r/src/commit/ABCDEF1#L2`, tree({ type: 'commit', sha: 'abcdef1' })],
    [`${cb}/o/r/src/branch`, tree({ type: 'ref', name: 'branch', refType: 'any' })],
    [`${cb}/o/r/src/main#L2`, tree({ type: 'ref', name: 'main', refType: 'any' })],
    [
      `${cb}/o/r/src/main/a.go#L2`,
      tree(
        {
          type: 'ambiguous',
          candidates: [
            { ref: 'main', path: 'a.go' },
            { ref: 'main/a.go', path: '' },
          ],
        },
        { lines: { start: 2, end: 2 } },
      ),
    ],
    [`${cb}/o/r/src/${sha}/a.go`, tree({ type: 'commit', sha }, { path: { path: 'a.go', kind: 'unknown' } })],
    [`${cb}/o/r/tree/branch/main`, tree({ type: 'ref', name: 'main', refType: 'branch' })],
    [`${cb}/o/r/raw/branch/main`, tree({ type: 'ref', name: 'main', refType: 'branch' })],
    [`${cb}/o/r/media/tag/v2`, tree({ type: 'ref', name: 'v2', refType: 'tag' })],
    [`${cb}/o/r/blame/branch/dev`, tree({ type: 'ref', name: 'dev', refType: 'branch' })],
    [
      `${cb}/o/r/blob/${sha}/a.go#L9`,
      tree({ type: 'commit', sha }, { path: { path: 'a.go', kind: 'unknown' }, lines: { start: 9, end: 9 } }),
    ],
    [`${cb}/o/r/blob/ABCDEF1#L9`, tree({ type: 'commit', sha: 'abcdef1' })],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });
});

describe('Gitea other pages, whole results', () => {
  it.each<[string, GitContext]>([
    [`${cb}/o/r/commits`, { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' }],
    [
      `${cb}/o/r/commits/branch/main#L2`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'branch' },
        page: 'commits',
      },
    ],
    [
      `${cb}/o/r/commits/commit/${sha}/docs`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'commits',
        path: { path: 'docs', kind: 'unknown' },
      },
    ],
    [
      `${cb}/o/r/commit/ABCDEF1.diff`,
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    [
      `${cb}/o/r/commit/abcdef1.patch`,
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    [`${cb}/o/r/pulls/12`, { kind: 'pull-request', repo, number: 12 }],
    [`${cb}/o/r/pulls/12.diff`, { kind: 'pull-request', repo, number: 12 }],
    [`${cb}/o/r/pulls/12.patch`, { kind: 'pull-request', repo, number: 12 }],
    [`${cb}/o/r/pulls/12/files`, { kind: 'pull-request', repo, number: 12, tab: 'files' }],
    [`${cb}/o/r/pulls/12/commits`, { kind: 'pull-request', repo, number: 12, tab: 'commits' }],
    [`${cb}/o/r/pulls/12/checks`, { kind: 'pull-request', repo, number: 12 }],
    [`${cb}/o/r/pulls/new/main`, tree({ type: 'ref', name: 'main', refType: 'branch' })],
    [
      `${cb}/o/r/pulls/new/feature/x`,
      tree({
        type: 'ambiguous',
        candidates: [
          { ref: 'feature', path: 'x' },
          { ref: 'feature/x', path: '' },
        ],
        refType: 'branch',
      }),
    ],
    [`${cb}/o/r/issues/3`, { kind: 'issue', repo, number: 3 }],
    [
      `${cb}/o/r/releases/tag/v1/rc`,
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1/rc', refType: 'tag' }, page: 'tag' },
    ],
    [
      `${cb}/o.x_y-z/r.git/releases/tag/v1`,
      {
        kind: 'repository',
        repo: { ...repo, owner: 'o.x_y-z' },
        revision: { type: 'ref', name: 'v1', refType: 'tag' },
        page: 'tag',
      },
    ],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });

  it.each([
    `${cb}/o/r/src`,
    `${cb}/o/r/tree`,
    `${cb}/o/r/blob`,
    `${cb}/o/r/pulls`,
    `${cb}/o/r/issues`,
    `${cb}/o/r/releases`,
    `${cb}/o/r/releases/tag`,
    `${cb}/o/r/releases/download/v1/x.zip`,
    `${cb}/o/r/wiki`,
    `${cb}/o/r/`,
    'git@codeberg.org:o/r.git',
    'ssh://git@codeberg.org/o/r/src/branch/main',
  ])('%s opens the repository', (input) => {
    expect(parse(input)).toStrictEqual(reading(home()));
  });

  it('takes 100-character owner and repository names', () => {
    const long = 'a'.repeat(100);
    expect(parse(`${cb}/${long}/${long}`)).toStrictEqual(reading(home({ ...repo, owner: long, name: long })));
  });
});

describe('Gitea errors', () => {
  it.each<[string, ParseError['code'], string]>([
    [
      `${cb}/`,
      'not-a-repository',
      `${cb} is the git host itself, not a repository. Paste a repository URL like ${cb}/owner/repo.`,
    ],
    [
      `${cb}/Explore/repos`,
      'unsupported-page',
      `${cb}/Explore is a page of the host, not a repository. Open a repository (${cb}/owner/repo) and try again.`,
    ],
    [
      `${cb}/swagger.v1.json`,
      'unsupported-page',
      `${cb}/swagger.v1.json is a page of the host, not a repository. Open a repository (${cb}/owner/repo) and try again.`,
    ],
    [
      `${cb}/${'a'.repeat(101)}/r`,
      'unsupported-page',
      `${cb}/${'a'.repeat(101)} is a page of the host, not a repository. Open a repository (${cb}/owner/repo) and try again.`,
    ],
    [
      `${cb}/o%20x/r`,
      'unsupported-page',
      `${cb}/o x is a page of the host, not a repository. Open a repository (${cb}/owner/repo) and try again.`,
    ],
    [
      `${cb}/o`,
      'not-a-repository',
      `${cb}/o is a user or organisation, not a repository. Open one of its repositories and try again.`,
    ],
    [
      `${cb}/o/${'a'.repeat(101)}`,
      'not-a-repository',
      `'${'a'.repeat(101)}' is not a valid repository name (letters, digits, '.', '_' and '-' only).`,
    ],
    [
      `${cb}/o/r%20s.git`,
      'not-a-repository',
      "'r s.git' is not a valid repository name (letters, digits, '.', '_' and '-' only).",
    ],
    [
      `${cb}/o/..git`,
      'not-a-repository',
      "'..git' is not a valid repository name (letters, digits, '.', '_' and '-' only).",
    ],
    [
      `${cb}/o/...git`,
      'not-a-repository',
      "'...git' is not a valid repository name (letters, digits, '.', '_' and '-' only).",
    ],
    [
      `${cb}/o/r.git/commit`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found nothing. A commit link looks like ${cb}/o/r/commit/1a2b3c4.`,
    ],
    // Gitea routes `…/commit/…` (and `blob/…`, which it redirects there) to a commit: never a ref named "commit".
    [
      `${cb}/o/r/src/commit/xyz`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like ${cb}/o/r/src/commit/1a2b3c4.`,
    ],
    [
      `${cb}/o/r/src/commit`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found nothing. A commit link looks like ${cb}/o/r/src/commit/1a2b3c4.`,
    ],
    [
      `${cb}/o/r/blob/main/a.go`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found 'main'. A commit link looks like ${cb}/o/r/blob/1a2b3c4.`,
    ],
    [
      `${cb}/o/r/commits/commit/main`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found 'main'. A commit link looks like ${cb}/o/r/commits/commit/1a2b3c4.`,
    ],
    [
      `${cb}/o/r/pulls/new`,
      'invalid-number',
      `Expected a pull request number after 'pulls/' but found 'new'. A pull request link looks like ${cb}/o/r/pulls/12.`,
    ],
    [
      `${cb}/o/r/pulls/0.diff`,
      'invalid-number',
      `Expected a pull request number after 'pulls/' but found '0.diff'. A pull request link looks like ${cb}/o/r/pulls/12.`,
    ],
    [
      `${cb}/o/r/issues/x`,
      'invalid-number',
      `Expected an issue number after 'issues/' but found 'x'. An issue link looks like ${cb}/o/r/issues/7.`,
    ],
  ])('%s', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });

  it('names a self-hosted instance with its sub-path', () => {
    const site = 'https://corp.example/git';
    expect(parse(`${site}`)).toStrictEqual(
      refused(
        'not-a-repository',
        `${site} is the git host itself, not a repository. Paste a repository URL like ${site}/owner/repo.`,
      ),
    );
    expect(parse(`${site}/admin`)).toStrictEqual(
      refused(
        'unsupported-page',
        `${site}/admin is a page of the host, not a repository. Open a repository (${site}/owner/repo) and try again.`,
      ),
    );
    expect(parse(`${site}/o`)).toStrictEqual(
      refused(
        'not-a-repository',
        `${site}/o is a user or organisation, not a repository. Open one of its repositories and try again.`,
      ),
    );
    expect(parse(`${site}/o/r/commit/zz`)).toStrictEqual(
      refused(
        'invalid-sha',
        `Expected a commit id (7 to 40 hexadecimal digits) but found 'zz'. A commit link looks like ${site}/o/r/commit/1a2b3c4.`,
      ),
    );
    expect(parse(`${site}/o/r/issues/0`)).toStrictEqual(
      refused(
        'invalid-number',
        `Expected an issue number after 'issues/' but found '0'. An issue link looks like ${site}/o/r/issues/7.`,
      ),
    );
    expect(parse(`${site}/o/r/pulls/1`)).toStrictEqual(
      reading({ kind: 'pull-request', repo: corp, number: 1 }),
    );
    expect(parse('git@corp.example:o/r.git')).toStrictEqual(reading(home(corp)));
    expect(registry.lookup('corp.example', '/git/o/r')?.apiBaseUrl).toBe(`${site}/api/v1`);
  });
});

describe('Gitea page URLs', () => {
  const family = hostFamilies.gitea;
  const entry = registry.lookup('codeberg.org');
  if (entry === undefined) throw new Error('no entry');
  const base = `${cb}/o/r`;
  const page = (revision: Revision, kind: 'tree' | 'commits' | 'tag', extra: object = {}) =>
    ({ kind: 'repository', repo, revision, page: kind, ...extra }) as RepoContext;

  it.each<[RepoContext, string]>([
    [{ kind: 'pull-request', repo, number: 3 }, `${base}/pulls/3`],
    [{ kind: 'pull-request', repo, number: 3, tab: 'files' }, `${base}/pulls/3/files`],
    [{ kind: 'issue', repo, number: 5 }, `${base}/issues/5`],
    [home() as RepoContext, base],
    [page({ type: 'default' }, 'commits'), `${base}/commits`],
    [
      page({ type: 'default' }, 'tree', { path: { path: 'a b', kind: 'unknown' } }),
      `${base}/src/branch/HEAD/a%20b`,
    ],
    [
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
      `${base}/commit/${sha}`,
    ],
    [
      page({ type: 'commit', sha }, 'tree', { path: { path: 'x', kind: 'unknown' } }),
      `${base}/src/commit/${sha}/x`,
    ],
    [page({ type: 'ref', name: 'v1#2', refType: 'tag' }, 'tag'), `${base}/releases/tag/v1%232`],
    [page({ type: 'ref', name: 'v1', refType: 'tag' }, 'tree'), `${base}/src/tag/v1`],
    [page({ type: 'ref', name: 'v1', refType: 'any' }, 'tag'), `${base}/src/v1`],
    [page({ type: 'ref', name: 'f/x', refType: 'branch' }, 'commits'), `${base}/commits/branch/f/x`],
    [
      page({ type: 'ref', name: 'main', refType: 'branch' }, 'tree', {
        path: { path: 'a.go', kind: 'unknown' },
        lines: { start: 2, end: 4 },
      }),
      `${base}/src/branch/main/a.go#L2-L4`,
    ],
    [
      page({ type: 'ref', name: 'main', refType: 'branch' }, 'tree', {
        path: { path: 'a.go', kind: 'unknown' },
        lines: { start: 2, end: 2 },
      }),
      `${base}/src/branch/main/a.go#L2`,
    ],
    [
      page({ type: 'ambiguous', candidates: [{ ref: 'a', path: 'b c' }], refType: 'tag' }, 'tree'),
      `${base}/src/tag/a/b%20c`,
    ],
    [page({ type: 'ambiguous', candidates: [{ ref: 'a', path: '' }] }, 'tree'), `${base}/src/a`],
    [page({ type: 'ambiguous', candidates: [] }, 'tree'), `${base}/src/`],
  ])('%j → %s', (context, url) => {
    expect(family.webUrl(context, entry)).toBe(url);
  });
});

describe('Gitea edge cases', () => {
  it('take .diff and .patch off only at the end', () => {
    expect(parse(`${cb}/o/r/commit/abcdef1.diff0`)).toStrictEqual(
      refused(
        'invalid-sha',
        `Expected a commit id (7 to 40 hexadecimal digits) but found 'abcdef1.diff0'. A commit link looks like ${cb}/o/r/commit/1a2b3c4.`,
      ),
    );
  });

  it('split a branch whose first segment looks like a commit id after every segment', () => {
    expect(parse(`${cb}/o/r/src/branch/${sha}/x/y`)).toStrictEqual(
      reading(
        tree({
          type: 'ambiguous',
          candidates: [
            { ref: sha, path: 'x/y' },
            { ref: `${sha}/x`, path: 'y' },
            { ref: `${sha}/x/y`, path: '' },
          ],
          refType: 'branch',
        }),
      ),
    );
  });

  it('stop at 32 segments of branch', () => {
    const segments = Array.from({ length: 34 }, (_, i) => `s${i}`);
    const candidates = segments.slice(0, 32).map((_, i) => ({
      ref: segments.slice(0, i + 1).join('/'),
      path: segments.slice(i + 1).join('/'),
    }));
    expect(parse(`${cb}/o/r/src/branch/${segments.join('/')}`)).toStrictEqual(
      reading(tree({ type: 'ambiguous', candidates, refType: 'branch' })),
    );
  });
});
