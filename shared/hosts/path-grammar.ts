// Pieces of URL grammar that several host families share: shas, numbers, ref/path splits, line anchors.
// Pure string work; never guesses which split of `a/b/c` is the ref — that is the resolver's question.

import type {
  GitContext,
  LineRange,
  ParseError,
  PathTarget,
  RefPathSplit,
  Revision,
} from '../launch-request.ts';
import { lowerCase } from '../lower-case.ts';
import { err, ok, type Result } from '../result.ts';
import { encodePath } from '../url-encoding.ts';

// The characters host names allow, as bits per ASCII code: the grammars test a name by reading this table once per
// character instead of running a regex (a regex test costs about as much as a whole step of a parse).
export const LETTER_OR_DIGIT = 1;
export const DOT_CHAR = 2;
export const UNDERSCORE = 4;
export const HYPHEN = 8;
const HEX_DIGIT = 16;
/** `[A-Za-z0-9._-]`: repository names, slugs, project path segments. */
export const NAME_CHARS = LETTER_OR_DIGIT | DOT_CHAR | UNDERSCORE | HYPHEN;

const CHAR_CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) table[c] = LETTER_OR_DIGIT;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))
      table[c] = (table[c] ?? 0) | HEX_DIGIT;
  }
  table[46] = DOT_CHAR;
  table[95] = UNDERSCORE;
  table[45] = HYPHEN;
  return table;
})();

/** Whether the character code is ASCII and in one of `classes` (`isCharIn(c, LETTER_OR_DIGIT)` is `[A-Za-z0-9]`). */
export const isCharIn = (code: number, classes: number): boolean =>
  code < 128 && ((CHAR_CLASSES[code] ?? 0) & classes) !== 0;

/** Whether `text` is `min` to `max` characters, each in `classes`: `^[A-Za-z0-9._-]{1,100}$` is `(t, NAME_CHARS, 1, 100)`. */
export function isNameOf(text: string, classes: number, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!isCharIn(text.charCodeAt(i), classes)) return false;
  return true;
}

/** `0a1b2c3` (abbreviated, ≥ 7) … 40 hex digits: `^[0-9a-fA-F]{7,40}$`. */
export const isSha = (text: string): boolean => isNameOf(text, HEX_DIGIT, 7, 40);
/** `^[0-9a-fA-F]{40}$`. */
export const isFullSha = (text: string): boolean => isNameOf(text, HEX_DIGIT, 40, 40);

/** Lower-case ASCII words (a host's reserved first segments), kept by length to be compared without hashing. */
export type WordTable = readonly (readonly string[] | undefined)[];

export function wordTable(words: readonly string[]): WordTable {
  const table: string[][] = [];
  for (const word of words) {
    const sameLength = table[word.length] ?? [];
    sameLength.push(word);
    table[word.length] = sameLength;
  }
  return table;
}

/**
 * `set.has(text)`: compared with the words of its length only, so a string sliced from the URL is not hashed first
 * (a Set's lookup hashes it, which costs more than these comparisons).
 */
export function hasWord(table: WordTable, text: string): boolean {
  const candidates = table[text.length];
  if (candidates === undefined) return false;
  for (const word of candidates) if (word === text) return true;
  return false;
}

/**
 * `set.has(text.toLowerCase())` for ASCII `text` (a name a grammar has checked already): compared character by
 * character with the words of its length, A–Z folded to a–z.
 */
export function hasAsciiWord(table: WordTable, text: string): boolean {
  const candidates = table[text.length];
  if (candidates === undefined) return false;
  for (const word of candidates) if (equalsFolded(word, text)) return true;
  return false;
}

function equalsFolded(word: string, text: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Refs deeper than this are not looked for: no real branch has 32 slashes, and it bounds the resolver's work. */
export const MAX_REF_DEPTH = 32;

/** `pull/12` → 12. Refuses `0`, `-1`, `12abc` and anything past 2^31 (no host numbers that high). */
export function readNumber(text: string | undefined): number | undefined {
  // `^[1-9][0-9]{0,9}$`, by hand: this runs for every pull request and issue link, and a regex costs more.
  if (text === undefined || text.length === 0 || text.length > 10) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (i === 0 && digit === 0)) return undefined;
    n = n * 10 + digit;
  }
  return n <= 2147483647 ? n : undefined;
}

/** What `readNumber` refused, said so a person can fix the link: `example` is a link that would work. */
export function numberError(
  text: string | undefined,
  what: string,
  keyword: string,
  example: string,
): { readonly ok: false; readonly error: ParseError } {
  const found = text === undefined ? 'nothing' : `'${text}'`;
  return err({
    code: 'invalid-number',
    message: `Expected ${article(what)} ${what} number after '${keyword}/' but found ${found}. ${capitalised(article(what))} ${what} link looks like ${example}.`,
  });
}

const article = (noun: string): string => (/^[aeiou]/.test(noun) ? 'an' : 'a');
const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

export function shaOrError(text: string | undefined, example: string): Result<string, ParseError> {
  if (text !== undefined && isSha(text)) return ok(lowerCase(text));
  const found = text === undefined ? 'nothing' : `'${text}'`;
  return err({
    code: 'invalid-sha',
    message: `Expected a commit id (7 to 40 hexadecimal digits) but found ${found}. A commit link looks like ${example}.`,
  });
}

export interface RevisionAndPath {
  readonly revision: Revision;
  readonly path?: PathTarget;
}

/**
 * Reads `<ref>[/<path>]` where the ref may itself contain slashes: `feature/x/src/a.ts`, from segment `from` on.
 * A full sha first is a commit (`<sha>/src/a.ts`); one segment is a ref; otherwise every split is a candidate,
 * shortest ref first. `minPath` is 1 for blob pages, whose path is never empty.
 */
export function refAndPath(
  segments: readonly string[],
  kind: PathTarget['kind'],
  minPath: 0 | 1,
  from = 0,
): RevisionAndPath {
  const first = segments[from];
  if (first === undefined) return { revision: { type: 'default' } };
  if (isFullSha(first)) {
    return withPath({ type: 'commit', sha: lowerCase(first) }, pathFrom(segments, from + 1, kind));
  }
  const lastRefEnd = Math.min(segments.length - from - minPath, MAX_REF_DEPTH);
  if (lastRefEnd <= 1) {
    return withPath({ type: 'ref', name: first, refType: 'any' }, pathFrom(segments, from + 1, kind));
  }
  // Each ref is the one before it and one more segment, each path the one after it and one segment before: built
  // by joining at `/` from both ends, not as slices of one joined string (which cost a copy of it and a call per
  // slice). Split by segments, since a decoded `%2F` is a `/` too.
  const candidates: RefPathSplit[] = [];
  let ref = first;
  for (let end = 1; end <= lastRefEnd; end++) {
    if (end > 1) ref += `/${segments[from + end - 1]}`;
    candidates.push({ ref, path: '' });
  }
  let path = joinSegments(segments, from + lastRefEnd);
  for (let end = lastRefEnd; end >= 1; end--) {
    const candidate = candidates[end - 1] as { ref: string; path: string };
    candidate.path = path;
    // The segment that ends this ref begins the path before it (alone when no segment follows it).
    const segment = `${segments[from + end - 1]}`;
    if (end > 1) path = from + end < segments.length ? `${segment}/${path}` : segment;
  }
  return { revision: { type: 'ambiguous', candidates } };
}

/** The path from segment `from` on (`['main', 'src', 'a.ts']`, 1 → `src/a.ts`), or undefined when none is left. */
export function pathFrom(
  segments: readonly string[],
  from: number,
  kind: PathTarget['kind'],
): PathTarget | undefined {
  return from < segments.length ? { path: joinSegments(segments, from), kind } : undefined;
}

/**
 * `segments.slice(from, to).join('/')` (`from` and `to` not negative), without the copied array and the join: on
 * the bench machine `slice` costs ~60 ns and `join` ~200 ns for a handful of short segments, several times this
 * loop. Every ref and path a grammar returns is joined here.
 */
export function joinSegments(segments: readonly string[], from: number, to = segments.length): string {
  const end = Math.min(to, segments.length);
  if (from >= end) return '';
  let text = `${segments[from]}`;
  for (let i = from + 1; i < end; i++) text += `/${segments[i]}`;
  return text;
}

/** `text.split('/').length` without the array (a `split` of a string sliced from the URL costs ~500 ns here). */
export function segmentCount(text: string): number {
  let count = 1;
  for (let slash = text.indexOf('/'); slash !== -1; slash = text.indexOf('/', slash + 1)) count++;
  return count;
}

function withPath(revision: Revision, path: PathTarget | undefined): RevisionAndPath {
  return path === undefined ? { revision } : { revision, path };
}

// `L10`, `L10-L20`, `L10C3-L20C8` (GitHub), `L10-20` (GitLab), `lines-10:20` (Bitbucket Cloud), `10-20` (Server):
// parseLines reads, character by character, what this pattern matches:
//   ^(?:L|lines-)?([0-9]{1,7})(?:C[0-9]+)?(?:[-:]L?([0-9]{1,7})(?:C[0-9]+)?)?(?:[,].*)?$

/**
 * A line anchor in any host's style → a range; anything else → undefined (fragments are only a hint). Reads
 * exactly what the pattern above matches, by hand: each of its parts can match in one way only, so there is no
 * backtracking to reproduce.
 */
export function parseLines(fragment: string): LineRange | undefined {
  if (fragment === '') return undefined;
  // (?:L|lines-)?
  let i = fragment.charCodeAt(0) === 76 ? 1 : fragment.startsWith('lines-') ? 6 : 0;
  // ([0-9]{1,7}): the whole run of digits, since a digit can follow nothing after it.
  let end = digitsEnd(fragment, i);
  if (end === i || end - i > 7) return undefined;
  const a = digitsValue(fragment, i, end);
  i = columnEnd(fragment, end);
  if (i === -1) return undefined;
  let b = a;
  // (?:[-:]L?([0-9]{1,7})(?:C[0-9]+)?)?: once a `-` or `:` is there, only the whole group can match it.
  const c = fragment.charCodeAt(i);
  if (c === 45 || c === 58) {
    i += fragment.charCodeAt(i + 1) === 76 ? 2 : 1;
    end = digitsEnd(fragment, i);
    if (end === i || end - i > 7) return undefined;
    b = digitsValue(fragment, i, end);
    i = columnEnd(fragment, end);
    if (i === -1) return undefined;
  }
  // (?:[,].*)?$ — `.` matches anything but a line terminator.
  if (i < fragment.length && (fragment.charCodeAt(i) !== 44 || hasLineTerminator(fragment, i + 1))) {
    return undefined;
  }
  if (a === 0 || b === 0) return undefined;
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i;
}

/** The number the digits [from, to) of `text` write (`Number(text.slice(from, to))`, without the copy and the call). */
function digitsValue(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

/** After `(?:C[0-9]+)?` at `from`: where it ends, or -1 when a `C` has no digits (nothing else can match a C). */
function columnEnd(text: string, from: number): number {
  if (text.charCodeAt(from) !== 67) return from;
  const end = digitsEnd(text, from + 1);
  return end === from + 1 ? -1 : end;
}

// \n, \r, U+2028, U+2029
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const hasLineTerminator = (text: string, from: number): boolean =>
  from < text.length && LINE_TERMINATOR.test(text.slice(from));

/** `repo.git` → `repo`. */
export const stripGitSuffix = (name: string): string => (endsWithGit(name) ? name.slice(0, -4) : name);

// `name.endsWith('.git')`, compared here: cheaper than the built-in call on this path.
const endsWithGit = (name: string): boolean =>
  name.charCodeAt(name.length - 1) === 116 && // t
  name.charCodeAt(name.length - 2) === 105 && // i
  name.charCodeAt(name.length - 3) === 103 && // g
  name.charCodeAt(name.length - 4) === 46; // .

/** `ref/path` (encoded) of a repository context, whatever form its revision takes. */
export function refAndPathText(context: Extract<GitContext, { kind: 'repository' }>): string {
  const { revision, path } = context;
  const suffix = path === undefined ? '' : `/${encodePath(path.path)}`;
  switch (revision.type) {
    case 'ambiguous': {
      const first = revision.candidates[0];
      if (first === undefined) return '';
      return encodePath(first.path === '' ? first.ref : `${first.ref}/${first.path}`);
    }
    case 'commit':
      return revision.sha + suffix;
    case 'ref':
      return encodePath(revision.name) + suffix;
    case 'default':
      return suffix.slice(1);
  }
}
