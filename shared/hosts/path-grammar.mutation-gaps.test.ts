// Behaviour of the grammar pieces every host shares (path-grammar.ts, host-family.ts) that the mutation run
// (docs/mutation-testing.md) found unasserted, read through whole parses: line anchors in each host's style and at
// their limits, commit ids at theirs, where the candidate splits of a ref with slashes fall (decoded `%2F` too, and
// at the depth limit), `.git` suffixes, and the page URLs of contexts with and without a path.
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { defaultHostRegistry, hostFamilies } from '../host-registry.ts';
import type { GitContext, LineRange, RefPathSplit } from '../launch-request.ts';
import { reading } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';
import { joinSegments, segmentCount } from './path-grammar.ts';

const parse = (input: string) => parseLaunchInput(input, defaultHostRegistry);
const repo = { host: 'github.com', family: 'github', owner: 'o', name: 'r' } as const;
const blob = (lines?: LineRange): GitContext => ({
  kind: 'repository',
  repo,
  revision: { type: 'ref', name: 'main', refType: 'any' },
  page: 'blob',
  path: { path: 'a.ts', kind: 'file' },
  ...(lines === undefined ? {} : { lines }),
});

describe('line anchors', () => {
  it.each<[string, LineRange | undefined]>([
    ['L10', { start: 10, end: 10 }],
    ['L10-L20', { start: 10, end: 20 }],
    ['L10C3-L20C8', { start: 10, end: 20 }],
    ['L10C3', { start: 10, end: 10 }],
    ['L10-20', { start: 10, end: 20 }],
    ['L10:L12', { start: 10, end: 12 }],
    ['lines-10:20', { start: 10, end: 20 }],
    ['lines-3', { start: 3, end: 3 }],
    ['10-20', { start: 10, end: 20 }],
    ['7', { start: 7, end: 7 }],
    ['L10,L12', { start: 10, end: 10 }],
    ['L20-L10', { start: 10, end: 20 }],
    ['L1234567', { start: 1234567, end: 1234567 }],
    ['L0010-L0203', { start: 10, end: 203 }],
    ['L9876543', { start: 9876543, end: 9876543 }],
    ['L1-L1234567', { start: 1, end: 1234567 }],
    ['L12345678', undefined],
    ['L1-L12345678', undefined],
    ['L0', undefined],
    ['L5-L0', undefined],
    ['L0-L5', undefined],
    ['L10-', undefined],
    ['L10C', undefined],
    ['l10', undefined],
    ['XL10', undefined],
    ['L10x', undefined],
    ['lines-', undefined],
    ['', undefined],
  ])('#%s', (fragment, lines) => {
    expect(parse(`https://github.com/o/r/blob/main/a.ts#${fragment}`)).toStrictEqual(reading(blob(lines)));
  });
});

describe('commit ids', () => {
  const commitPage = (sha: string): GitContext => ({
    kind: 'repository',
    repo,
    revision: { type: 'commit', sha },
    page: 'commit',
  });
  const notASha = (found: string) => ({
    ok: false,
    error: {
      code: 'invalid-sha',
      message: `Expected a commit id (7 to 40 hexadecimal digits) but found '${found}'. A commit link looks like https://github.com/o/r/commit/1a2b3c4.`,
    },
  });

  it('are 7 to 40 hexadecimal digits, read in lower case', () => {
    expect(parse('https://github.com/o/r/commit/AbCdEf0')).toStrictEqual(reading(commitPage('abcdef0')));
    expect(parse(`https://github.com/o/r/commit/${'F'.repeat(40)}`)).toStrictEqual(
      reading(commitPage('f'.repeat(40))),
    );
    for (const found of ['abcdef', 'f'.repeat(41), 'abcdefg', ' abcdef1']) {
      expect(parse(`https://github.com/o/r/commit/${encodeURIComponent(found)}`)).toStrictEqual(
        notASha(found),
      );
    }
  });

  it('start a path only when they are all 40 digits', () => {
    const sha = 'A'.repeat(40);
    expect(parse(`https://github.com/o/r/tree/${sha}/src`)).toStrictEqual(
      reading({
        kind: 'repository',
        repo,
        revision: { type: 'commit', sha: sha.toLowerCase() },
        page: 'tree',
        path: { path: 'src', kind: 'folder' },
      }),
    );
    expect(parse(`https://github.com/o/r/tree/${'a'.repeat(41)}/src`)).toStrictEqual(
      reading({
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a'.repeat(41), path: 'src' },
            { ref: `${'a'.repeat(41)}/src`, path: '' },
          ],
        },
        page: 'tree',
      }),
    );
    expect(parse(`https://github.com/o/r/blob/${'b'.repeat(40)}`)).toStrictEqual(
      reading({ kind: 'repository', repo, revision: { type: 'commit', sha: 'b'.repeat(40) }, page: 'blob' }),
    );
  });
});

describe('candidate splits of a ref with slashes', () => {
  const tree = (candidates: RefPathSplit[], page: 'tree' | 'blob' = 'tree'): GitContext => ({
    kind: 'repository',
    repo,
    revision: { type: 'ambiguous', candidates },
    page,
  });

  it('cut after whole segments, a decoded %2F staying inside its segment', () => {
    expect(parse('https://github.com/o/r/tree/a%2Fb/c/d')).toStrictEqual(
      reading(
        tree([
          { ref: 'a/b', path: 'c/d' },
          { ref: 'a/b/c', path: 'd' },
          { ref: 'a/b/c/d', path: '' },
        ]),
      ),
    );
    expect(parse('https://github.com/o/r/blob/ab/cde/f.ts')).toStrictEqual(
      reading(
        tree(
          [
            { ref: 'ab', path: 'cde/f.ts' },
            { ref: 'ab/cde', path: 'f.ts' },
          ],
          'blob',
        ),
      ),
    );
  });

  it('stop at 32 segments of ref, on blob pages too', () => {
    const segments = Array.from({ length: 34 }, (_, i) => `s${i}`);
    const parsed = parse(`https://github.com/o/r/blob/${segments.join('/')}`);
    const candidates = segments.slice(0, 32).map((_, i) => ({
      ref: segments.slice(0, i + 1).join('/'),
      path: segments.slice(i + 1).join('/'),
    }));
    expect(parsed).toStrictEqual(reading(tree(candidates, 'blob')));
  });
});

describe('segments joined in place', () => {
  // The grammars join a run of segments without copying the array; these are the cases no whole parse reaches
  // (a run that is empty, or that reaches past the last segment: `slice` would stop there).
  it('join segments [from, to) as slice(from, to).join("/") would', () => {
    expect(joinSegments(['a', 'b', 'c'], 0)).toBe('a/b/c');
    expect(joinSegments(['a', 'b', 'c'], 1, 2)).toBe('b');
    expect(joinSegments(['a', 'b'], 1, 1)).toBe('');
    expect(joinSegments(['a', 'b'], 2)).toBe('');
    expect(joinSegments(['a', 'b', 'c'], 1, 7)).toBe('b/c');
    expect(joinSegments(['a', '', 'c'], 0)).toBe('a//c');
  });

  it('count the segments of a text as split("/") would', () => {
    expect(segmentCount('')).toBe(1);
    expect(segmentCount('main')).toBe(1);
    expect(segmentCount('feature/a/b')).toBe(3);
    expect(segmentCount('/a//')).toBe(4);
  });

  it('never read a branch from ?at= longer than the path it should start', () => {
    expect(parse('https://bitbucket.org/o/r/src/main?at=main/undefined')).toStrictEqual(
      reading({
        kind: 'repository',
        repo: { host: 'bitbucket.org', family: 'bitbucket-cloud', owner: 'o', name: 'r' },
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'tree',
      }),
    );
  });
});

describe('.git suffixes', () => {
  it('come off a repository name once, and only as a suffix', () => {
    const named = (name: string): GitContext => ({
      kind: 'repository',
      repo: { ...repo, name },
      revision: { type: 'default' },
      page: 'repo',
    });
    expect(parse('https://github.com/o/r.git.git')).toStrictEqual(reading(named('r.git')));
    expect(parse('https://github.com/o/r.gitx')).toStrictEqual(reading(named('r.gitx')));
    expect(parse('https://github.com/o/git')).toStrictEqual(reading(named('git')));
    expect(parse('https://github.com/o/.git')).toStrictEqual({
      ok: false,
      error: {
        code: 'not-a-repository',
        message: "'.git' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).",
      },
    });
  });
});

describe('page URLs of a ref and a path', () => {
  const entry = defaultHostRegistry.lookup('github.com');
  if (entry === undefined) throw new Error('no entry');
  const web = (context: Partial<RepoContext> & { revision: unknown }) =>
    hostFamilies.github.webUrl({ kind: 'repository', repo, page: 'tree', ...context } as RepoContext, entry);

  it('write each revision kind with its path, encoded segment by segment', () => {
    expect(web({ revision: { type: 'ref', name: 'f/#1', refType: 'any' } })).toBe(
      'https://github.com/o/r/tree/f/%231',
    );
    expect(web({ revision: { type: 'ambiguous', candidates: [{ ref: 'a b', path: 'c#' }] } })).toBe(
      'https://github.com/o/r/tree/a%20b/c%23',
    );
    expect(web({ revision: { type: 'ambiguous', candidates: [{ ref: 'a b', path: '' }] } })).toBe(
      'https://github.com/o/r/tree/a%20b',
    );
    expect(web({ revision: { type: 'ambiguous', candidates: [] } })).toBe('https://github.com/o/r/tree/');
  });
});
