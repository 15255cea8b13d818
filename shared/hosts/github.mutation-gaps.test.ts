// Behaviour of the GitHub grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results compared
// strictly (no stray `path: undefined`), every page kind at its edges, names at their length limits, GitHub
// Enterprise under a base path in messages and links, ssh forms, and the canonical page URL of each context.
import { describe, expect, it } from 'vitest';
import { hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { parserWith, reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const { registry, parse } = parserWith([{ hostname: 'ghe.example', family: 'github', basePath: '/gh' }]);

const repo = { host: 'github.com', family: 'github', owner: 'o', name: 'r' } as const;
const ghe = { host: 'ghe.example', family: 'github', owner: 'o', name: 'r' } as const;
const sha = '0123456789abcdef0123456789abcdef01234567';

const repoPage = (r: RepoRef = repo) =>
  reading({ kind: 'repository', repo: r, revision: { type: 'default' }, page: 'repo' });

describe('GitHub page kinds, whole results', () => {
  it.each<[string, GitContext]>([
    [
      'https://github.com/o/r/tree/main',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'tree' },
    ],
    [
      `https://github.com/o/r/tree/${sha}`,
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'tree' },
    ],
    [
      `https://github.com/o/r/tree/${sha.toUpperCase()}/src/lib`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'src/lib', kind: 'folder' },
      },
    ],
    [
      'https://github.com/o/r/tree/feature/x#L3',
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'feature', path: 'x' },
            { ref: 'feature/x', path: '' },
          ],
        },
        page: 'tree',
      },
    ],
    [
      'https://github.com/o/r/blob/main#L3',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'blob' },
    ],
    [
      'https://github.com/o/r/blob/main/a.ts#L3',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 3, end: 3 },
      },
    ],
    [
      'https://github.com/o/r/blob/main/a.ts#L20-L10',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 10, end: 20 },
      },
    ],
    [
      'https://github.com/o/r/blob/main/a.ts#readme',
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
      },
    ],
    [
      'https://github.com/o/r/blob/a/b/c.ts#L1-L2',
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a', path: 'b/c.ts' },
            { ref: 'a/b', path: 'c.ts' },
          ],
        },
        page: 'blob',
        lines: { start: 1, end: 2 },
      },
    ],
    [
      `https://github.com/o/r/blob/${sha}/docs/a.md#L7`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'blob',
        path: { path: 'docs/a.md', kind: 'file' },
        lines: { start: 7, end: 7 },
      },
    ],
    [
      'https://github.com/o/r/commits',
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
    ],
    [
      'https://github.com/o/r/commits/main',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'commits' },
    ],
    [
      'https://github.com/o/r/commits/a/b',
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a', path: 'b' },
            { ref: 'a/b', path: '' },
          ],
        },
        page: 'commits',
      },
    ],
    [
      `https://github.com/o/r/commits/${sha}/src`,
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'commits',
        path: { path: 'src', kind: 'unknown' },
      },
    ],
    [
      'https://github.com/o/r/commit/ABCDEF1.diff',
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    [
      'https://github.com/o/r/commit/abcdef1.patch',
      { kind: 'repository', repo, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
    ],
    [
      `https://github.com/o/r/commit/${sha}`,
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
    ],
    [
      'https://github.com/o/r/releases/tag/v1/rc',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1/rc', refType: 'tag' }, page: 'tag' },
    ],
    [
      'https://github.com/o/r/releases/tag/v1.0',
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1.0', refType: 'tag' }, page: 'tag' },
    ],
    ['https://github.com/o/r/pull/7/changes', { kind: 'pull-request', repo, number: 7, tab: 'changes' }],
    ['https://github.com/o/r/pull/7/files', { kind: 'pull-request', repo, number: 7, tab: 'files' }],
    ['https://github.com/o/r/pull/7/conversation', { kind: 'pull-request', repo, number: 7 }],
    ['https://github.com/o/r/pull/7', { kind: 'pull-request', repo, number: 7 }],
    ['https://github.com/o/r/issues/7', { kind: 'issue', repo, number: 7 }],
    ['https://github.com/o/r/issues/7/anything', { kind: 'issue', repo, number: 7 }],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });

  it.each([
    'https://github.com/o/r/tree',
    'https://github.com/o/r/blob',
    'https://github.com/o/r/issues',
    'https://github.com/o/r/releases',
    'https://github.com/o/r/releases/tag',
    'https://github.com/o/r/releases/download/v1',
    'https://github.com/o/r/actions/runs/1',
    'https://github.com/o/r.git',
    'https://github.com/o/r/',
  ])('%s opens the repository', (input) => {
    expect(parse(input)).toStrictEqual(repoPage());
  });

  it('reads an ssh clone URL as the repository, whatever path follows the name', () => {
    for (const input of [
      'git@github.com:o/r.git',
      'git@github.com:o/r/tree/main',
      'ssh://git@github.com/o/r/pull/3',
      'git@github.com:o/r/commit/xyz',
    ]) {
      expect(parse(input)).toStrictEqual(repoPage());
    }
  });
});

describe('GitHub names at their limits', () => {
  const longOwner = `a${'b'.repeat(38)}`;
  it('takes a 39-character owner, and a hyphen inside one', () => {
    expect(parse(`https://github.com/${longOwner}/r`)).toStrictEqual(
      reading({
        kind: 'repository',
        repo: { ...repo, owner: longOwner },
        revision: { type: 'default' },
        page: 'repo',
      }),
    );
    expect(parse('https://github.com/octo-cat/r')).toStrictEqual(
      reading({
        kind: 'repository',
        repo: { ...repo, owner: 'octo-cat' },
        revision: { type: 'default' },
        page: 'repo',
      }),
    );
  });

  it.each([`${longOwner}c`, '-octo', 'o.o', 'o_o'])('refuses the owner %s as a GitHub page', (owner) => {
    expect(parse(`https://github.com/${owner}/r`)).toStrictEqual(
      refused(
        'unsupported-page',
        `https://github.com/${owner} is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.`,
      ),
    );
  });

  it.each(['Settings', 'MARKETPLACE', 'users', 'issues', 'pulls', 'new', 'topics'])(
    'refuses %s, GitHub’s own page, in any case',
    (owner) => {
      expect(parse(`https://github.com/${owner}/r`)).toStrictEqual(
        refused(
          'unsupported-page',
          `https://github.com/${owner} is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.`,
        ),
      );
    },
  );

  it('takes a 100-character repository name, with . _ and -, and refuses 101', () => {
    const name = `a._-${'x'.repeat(96)}`;
    expect(parse(`https://github.com/o/${name}.git`)).toStrictEqual(
      reading({ kind: 'repository', repo: { ...repo, name }, revision: { type: 'default' }, page: 'repo' }),
    );
    expect(parse(`https://github.com/o/${name}y`)).toStrictEqual(
      refused(
        'not-a-repository',
        `'${name}y' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).`,
      ),
    );
  });

  it('names the repository as it was written when it is refused', () => {
    expect(parse('https://github.com/o/..git')).toStrictEqual(
      refused(
        'not-a-repository',
        "'..git' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).",
      ),
    );
    expect(parse('https://github.com/o/a+b.git')).toStrictEqual(
      refused(
        'not-a-repository',
        "'a+b.git' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).",
      ),
    );
  });
});

describe('GitHub errors', () => {
  it.each<[string, ParseError['code'], string]>([
    [
      'https://github.com/o/r/commit',
      'invalid-sha',
      'Expected a commit id (7 to 40 hexadecimal digits) but found nothing. A commit link looks like https://github.com/o/r/commit/1a2b3c4.',
    ],
    [
      `https://github.com/o/r/commit/${sha}0`,
      'invalid-sha',
      `Expected a commit id (7 to 40 hexadecimal digits) but found '${sha}0'. A commit link looks like https://github.com/o/r/commit/1a2b3c4.`,
    ],
    [
      'https://github.com/o/r/commit/abcdef1.zip',
      'invalid-sha',
      "Expected a commit id (7 to 40 hexadecimal digits) but found 'abcdef1.zip'. A commit link looks like https://github.com/o/r/commit/1a2b3c4.",
    ],
    [
      'https://github.com/o/r.git/commit/abc',
      'invalid-sha',
      "Expected a commit id (7 to 40 hexadecimal digits) but found 'abc'. A commit link looks like https://github.com/o/r/commit/1a2b3c4.",
    ],
    [
      'https://github.com/o/r/issues/x',
      'invalid-number',
      "Expected an issue number after 'issues/' but found 'x'. An issue link looks like https://github.com/o/r/issues/7.",
    ],
  ])('%s', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });
});

describe('GitHub Enterprise under a base path', () => {
  it('reads the path after the base path', () => {
    expect(parse('https://ghe.example/gh/o/r/pull/4/files')).toStrictEqual(
      reading({ kind: 'pull-request', repo: ghe, number: 4, tab: 'files' }),
    );
    expect(parse('git@ghe.example:o/r.git')).toStrictEqual(repoPage(ghe));
  });

  it('names the instance with its base path in every message', () => {
    expect(parse('https://ghe.example/gh')).toStrictEqual(
      refused(
        'not-a-repository',
        'https://ghe.example/gh is GitHub itself, not a repository. Paste a repository URL like https://ghe.example/gh/owner/repo.',
      ),
    );
    expect(parse('https://ghe.example/gh/settings')).toStrictEqual(
      refused(
        'unsupported-page',
        'https://ghe.example/gh/settings is a GitHub page, not a repository. Open a repository (https://ghe.example/gh/owner/repo) and try again.',
      ),
    );
    expect(parse('https://ghe.example/gh/o')).toStrictEqual(
      refused(
        'not-a-repository',
        'https://ghe.example/gh/o is a user or organisation, not a repository. Open one of its repositories and try again.',
      ),
    );
    expect(parse('https://ghe.example/gh/o/r/commit/zz')).toStrictEqual(
      refused(
        'invalid-sha',
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'zz'. A commit link looks like https://ghe.example/gh/o/r/commit/1a2b3c4.",
      ),
    );
    expect(parse('https://ghe.example/gh/o/r/pull/x')).toStrictEqual(
      refused(
        'invalid-number',
        "Expected a pull request number after 'pull/' but found 'x'. A pull request link looks like https://ghe.example/gh/o/r/pull/12.",
      ),
    );
    expect(parse('https://ghe.example/gh/o/r/issues/0')).toStrictEqual(
      refused(
        'invalid-number',
        "Expected an issue number after 'issues/' but found '0'. An issue link looks like https://ghe.example/gh/o/r/issues/7.",
      ),
    );
  });

  it('gets the /api/v3 API under its base path', () => {
    expect(registry.lookup('ghe.example', '/gh/o/r')?.apiBaseUrl).toBe('https://ghe.example/gh/api/v3');
  });
});

describe('GitHub page URLs', () => {
  const family = hostFamilies.github;
  const entry = registry.lookup('github.com');
  const gheEntry = registry.lookup('ghe.example', '/gh/o/r');
  if (entry === undefined || gheEntry === undefined) throw new Error('no entries');
  const web = (context: RepoContext) => family.webUrl(context, entry);

  it.each<[RepoContext, string]>([
    [{ kind: 'pull-request', repo, number: 3 }, 'https://github.com/o/r/pull/3'],
    [{ kind: 'pull-request', repo, number: 3, tab: 'files' }, 'https://github.com/o/r/pull/3/files'],
    [{ kind: 'issue', repo, number: 9 }, 'https://github.com/o/r/issues/9'],
    [{ kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' }, 'https://github.com/o/r'],
    [
      { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
      'https://github.com/o/r/commits',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
      `https://github.com/o/r/commit/${sha}`,
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'a b', kind: 'folder' },
      },
      `https://github.com/o/r/tree/${sha}/a%20b`,
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1/#1', refType: 'tag' }, page: 'tag' },
      'https://github.com/o/r/releases/tag/v1/%231',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'v1', refType: 'tag' }, page: 'tree' },
      'https://github.com/o/r/tree/v1',
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 2, end: 2 },
      },
      'https://github.com/o/r/blob/main/a.ts#L2',
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 2, end: 5 },
      },
      'https://github.com/o/r/blob/main/a.ts#L2-L5',
    ],
    [
      { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'commits' },
      'https://github.com/o/r/commits/main',
    ],
    [
      {
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a', path: 'b' },
            { ref: 'a/b', path: '' },
          ],
        },
        page: 'tree',
      },
      'https://github.com/o/r/tree/a/b',
    ],
    [
      {
        kind: 'repository',
        repo: { ...repo, owner: 'o', name: 'r s' },
        revision: { type: 'default' },
        page: 'repo',
      },
      'https://github.com/o/r%20s',
    ],
  ])('%j → %s', (context, url) => {
    expect(web(context)).toBe(url);
  });

  it('puts GitHub Enterprise links and clone URLs under the base path', () => {
    expect(family.webUrl({ kind: 'issue', repo: ghe, number: 1 }, gheEntry)).toBe(
      'https://ghe.example/gh/o/r/issues/1',
    );
    expect(family.cloneUrl(ghe, gheEntry)).toBe('https://ghe.example/gh/o/r.git');
  });
});

describe('GitHub commit suffixes', () => {
  it('come off only at the end of the id', () => {
    expect(parse('https://github.com/o/r/commit/abcdef1.diff0')).toStrictEqual(
      refused(
        'invalid-sha',
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'abcdef1.diff0'. A commit link looks like https://github.com/o/r/commit/1a2b3c4.",
      ),
    );
  });
});
