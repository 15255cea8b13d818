// Anything a user pastes, clicks or prefixes → a typed launch request, or a parse error a person can act on.
// Pure and total: never throws, never guesses a host's family, never upgrades someone else's http:// URL.

import { refuseDotSegments } from './dot-segments.ts';
import { type HostRegistry, SELF_HOSTED_NAMES } from './host-registry.ts';
import type { HostEntry, HostUrl, ParsedContext } from './hosts/host-family.ts';
import type { LaunchRequest, ParseError, ParseWarning } from './launch-request.ts';
import { lowerCase, lowerSlice } from './lower-case.ts';
import { modifierEnd, type PrefixModifiers, readPrefixModifiers } from './prefix-modifiers.ts';
import { err, ok, type Result } from './result.ts';
import { decodeFrom, decodeLenient, isWellFormedText, parseQuery } from './url-encoding.ts';

/** Longer input is refused before any work: no real context URL comes close. */
export const MAX_INPUT_LENGTH = 8192;

/** Reads a launcher context: `[modifiers/]<repo URL>` or `[modifiers/]snapshot/<id>`. */
export function parseLaunchInput(input: string, registry: HostRegistry): Result<LaunchRequest, ParseError> {
  if (input.length > MAX_INPUT_LENGTH) {
    return err({
      code: 'too-long',
      message: `That is ${input.length} characters long; a repository URL is at most ${MAX_INPUT_LENGTH}. Paste just the URL of the repository, branch, file, pull request or issue.`,
    });
  }
  if (!isWellFormedText(input)) {
    return err({
      code: 'malformed-url',
      message:
        'That text holds a broken character (half of a UTF-16 pair), so it cannot be a URL. Copy the URL from the page again.',
    });
  }
  const text = withoutLauncherPrefix(input);
  if (text === '') {
    return err({
      code: 'empty',
      message:
        'Nothing to open. Paste the URL of a repository, branch, file, pull request or issue, like https://github.com/owner/repo.',
    });
  }
  // Most input is a plain URL: read without a modifiers object to fill and unwrap. Most of it starts `https://`,
  // which no modifier does: one comparison, which parseRepoUrl would make anyway, instead of the modifiers' scan.
  const https = startsWithHttps(text);
  const modifiersEnd = https ? -1 : modifierEnd(text);
  if (modifiersEnd === -1) {
    const warnings: ParseWarning[] = [];
    const parsed = parseRepoUrl(text, registry, warnings, https);
    return parsed.ok ? ok(plainRequest(parsed.value, warnings)) : parsed;
  }
  // The first segment's end is known: the reader does not scan it again.
  const read = readPrefixModifiers(text, modifiersEnd);
  if (!read.ok) return read;
  const { modifiers } = read;
  if (modifiers.snapshotId !== undefined) {
    return ok(
      launchRequest({ context: { kind: 'snapshot', id: modifiers.snapshotId }, alternatives: [] }, modifiers),
    );
  }
  const parsed = parseRepoUrl(read.rest, registry, modifiers.warnings);
  return parsed.ok ? ok(launchRequest(parsed.value, modifiers)) : parsed;
}

/** The launcher hash (`#https://…`) and path (`/https://…`) forms bring leading `#`, `/` and blanks with them. */
function withoutLauncherPrefix(input: string): string {
  // Most input has nothing to cut: printable ASCII (never white space) at both ends, and not `#` or `/` first.
  const first = input.charCodeAt(0);
  const last = input.charCodeAt(input.length - 1);
  if (first > 32 && first < 127 && first !== 35 && first !== 47 && last > 32 && last < 127) return input;
  const trimmed = input.trim();
  let start = 0;
  while (start < trimmed.length && isLeadingNoise(trimmed.charCodeAt(start))) start++;
  return start === 0 ? trimmed : trimmed.slice(start);
}

// `#`, `/`, and ASCII blanks (space, tab, newlines).
const isLeadingNoise = (code: number): boolean => code === 35 || code === 47 || code <= 32;

/** The request of a URL with no modifiers: what launchRequest gives for none, fields in the same order. */
const plainRequest = (parsed: ParsedContext, warnings: ParseWarning[]): LaunchRequest => ({
  context: parsed.context,
  alternatives: parsed.alternatives,
  env: [],
  rejectedEnv: [],
  imageBuild: false,
  warnings,
});

function launchRequest(parsed: ParsedContext, modifiers: PrefixModifiers): LaunchRequest {
  // The list is made before the request, so that no empty one is made to be replaced.
  const env: { name: string; value: string }[] = [];
  for (const [name, value] of modifiers.env) env.push({ name, value });
  const request: {
    -readonly [K in keyof LaunchRequest]: LaunchRequest[K];
  } = {
    context: parsed.context,
    alternatives: parsed.alternatives,
    env,
    rejectedEnv: modifiers.rejectedEnv,
    imageBuild: modifiers.imageBuild,
    warnings: modifiers.warnings,
  };
  if (modifiers.referrer !== undefined) request.referrer = modifiers.referrer;
  if (modifiers.openPrebuild !== undefined) request.openPrebuild = modifiers.openPrebuild;
  for (const r of modifiers.rejectedEnv) {
    modifiers.warnings.push({ code: 'env-rejected', message: `${r.item} was not set: ${r.message}` });
  }
  return request;
}

// The reading below works on character positions in the one input string rather than on slices and regexes: it
// runs for every link a button, badge or launch shows, and each string method call costs about as much as a
// whole pass over a short URL's characters. `bench/parse` measures it.

/**
 * Where a scheme ends: `https://x` → the `:` at 5, `git+ssh:` → 7, `github.com/o` → -1 (RFC 3986: a letter, then
 * letters, digits, `+`, `.`, `-`, then `:`).
 */
function schemeColon(text: string): number {
  if (!isLetter(text.charCodeAt(0))) return -1;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) return i;
    // `+` 43, `-` 45, `.` 46, digits 48–57
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === DOT)) return -1;
  }
  return -1;
}

/** `text.startsWith('https://')`, compared here: the built-in call costs more than the eight comparisons. */
const startsWithHttps = (text: string): boolean =>
  text.charCodeAt(0) === 104 && // h
  text.charCodeAt(1) === 116 && // t
  text.charCodeAt(2) === 116 && // t
  text.charCodeAt(3) === 112 && // p
  text.charCodeAt(4) === 115 && // s
  text.charCodeAt(5) === COLON &&
  text.charCodeAt(6) === SLASH &&
  text.charCodeAt(7) === SLASH;

/** Whether `text` before `colon` is `http` or `https`, in any case. */
const isWebScheme = (text: string, colon: number): boolean => {
  const scheme = colon === 4 || colon === 5 ? lowerSlice(text, 0, colon) : '';
  return scheme === 'http' || scheme === 'https';
};

const COLON = 58;
const SLASH = 47;
const DOT = 46;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

// `git@github.com:owner/repo.git` — scp-like ssh syntax: user@host:path, no port (`git@h:22/x` is not one).
const SCP_LIKE = /^[\w.-]+@([A-Za-z0-9.-]+):(?!\/\/|[0-9]+(?:\/|$))(.*)$/;
// `8443/owner/repo` after `host:` — a port, so the text before the colon was a host, not a scheme.
const PORT_THEN_PATH = /^[0-9]+(?:\/|$)/;

/** Cheap test before the regex: an `@` before the first `:`, and no `/` before either. */
function looksScpLike(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0) return false;
  // The first `:` (a forward search: lastIndexOf is a call into the engine's C++, several times the cost).
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  return colon > at && (slash === -1 || slash > colon);
}

/** Splits `[scheme://][user@]host[:port]/path[?query][#fragment]` and hands the path to the host's grammar. */
function parseRepoUrl(
  text: string,
  registry: HostRegistry,
  warnings: ParseWarning[],
  // Whether `text` starts `https://`, when the caller knows.
  https = startsWithHttps(text),
): Result<{ context: LaunchRequest['context']; alternatives: LaunchRequest['alternatives'] }, ParseError> {
  const hash = text.indexOf('#');
  const end = hash === -1 ? text.length : hash;
  let q = text.indexOf('?');
  if (q > end) q = -1; // a `?` in the fragment
  const pathEnd = q === -1 ? end : q;

  let via: HostUrl['via'] = 'web';
  let scheme = 'https';
  // The authority is [authorityStart, authorityEnd) of `source`; the path follows it.
  let source = text;
  let authorityStart = 0;
  let authorityEnd: number;
  // The path as the host list reads it: [restStart, restEnd) of `rest`.
  let rest = text;
  let restStart: number;
  let restEnd: number;
  // The path is [pathStart, pathStop) of `pathSource`: split where it lies, not from a copy.
  let pathSource = text;
  let pathStart = 0;
  let pathStop: number;
  const firstAt = text.indexOf('@');
  const scp = firstAt > 0 && firstAt < pathEnd ? scpLike(text.slice(0, pathEnd)) : null;
  if (scp !== null) {
    via = 'ssh';
    scheme = 'ssh';
    source = scp[1] ?? '';
    authorityEnd = source.length;
    rest = `/${scp[2] ?? ''}`;
    restStart = 0;
    restEnd = rest.length;
    pathSource = rest;
    pathStop = rest.length;
  } else {
    // `https://`, `http://`, `ssh://`, `git+ssh://`, and `https:/` (proxies fold `//` in the launcher's path form).
    // Most links start `https://`: one comparison instead of the scan, and its slashes are known.
    const colon = https ? 5 : schemeColon(text);
    const slashes = https
      ? 2
      : colon === -1 || text.charCodeAt(colon + 1) !== SLASH
        ? 0
        : text.charCodeAt(colon + 2) === SLASH
          ? 2
          : 1;
    // `https:github.com/o/r`: a web scheme without its slashes is read as with them, as browsers and the URL
    // standard read it. (`localhost:8080/o/r` and `git.example.com:8443/o/r` are host:port, not a scheme.)
    if (slashes > 0 || (colon !== -1 && isWebScheme(text, colon))) {
      scheme = https ? 'https' : lowerSlice(text, 0, colon);
      authorityStart = colon + 1 + slashes;
      if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'git') {
        via = 'ssh';
      } else if (scheme !== 'https' && scheme !== 'http') {
        return err({
          code: 'unsupported-scheme',
          message: `${scheme}: links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
        });
      }
    } else if (colon !== -1 && !PORT_THEN_PATH.test(text.slice(colon + 1, pathEnd))) {
      return err({
        code: 'unsupported-scheme',
        message: `'${text.slice(0, colon)}:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
      });
    } else if (colon === -1) {
      // `git_ssh://…`, `9p://…`: not a scheme by its letters, but `://` before any other `/` says it is meant as one.
      const separator = text.indexOf('://');
      if (separator > 0 && separator < pathEnd && text.indexOf('/') === separator + 1) {
        return err({
          code: 'unsupported-scheme',
          message: `'${text.slice(0, separator)}:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
        });
      }
    }
    const slash = text.indexOf('/', authorityStart);
    authorityEnd = slash === -1 || slash > pathEnd ? pathEnd : slash;
    restStart = authorityEnd;
    restEnd = pathEnd;
    pathStart = authorityEnd;
    pathStop = pathEnd;
  }

  // `https://user:token@host/…`: the credentials are dropped, never carried into a link or a log. (An scp-like
  // host has no `@`: its pattern allows none.)
  let hostStart = authorityStart;
  if (scp === null && firstAt !== -1 && firstAt < authorityEnd) {
    // The last `@` of the authority, searched forward from the first (lastIndexOf is a call into the engine's C++).
    let at = firstAt;
    for (
      let next = text.indexOf('@', at + 1);
      next !== -1 && next < authorityEnd;
      next = text.indexOf('@', next + 1)
    )
      at = next;
    hostStart = at + 1;
    const colon = text.indexOf(':', authorityStart);
    if (colon !== -1 && colon < at) {
      warnings.push({
        code: 'credentials-dropped',
        message: 'The URL contained a user name and password; they were removed and not used.',
      });
    }
  }
  // Host names compare lower-cased. Registered ones are lower case, so the name is looked up as written first and
  // lowered only when that misses: a hit proves it had nothing to lower (the common case, and one scan fewer).
  let hostname = source.slice(hostStart, authorityEnd);
  // The name's last character, read once for the trailing `.` and the port below.
  let last = hostname.charCodeAt(hostname.length - 1);
  if (last === DOT) {
    hostname = hostname.slice(0, -1);
    last = hostname.charCodeAt(hostname.length - 1);
  }
  if (hostname === '') {
    return err({
      code: 'malformed-url',
      message: `'${truncate(text)}' has no host. Paste the full URL, like https://github.com/owner/repo.`,
    });
  }
  // A port ends in a digit: a host name that does not has none to take off (one character read, not a search).
  if (isDigit(last)) {
    // ssh ports are ssh's own; web default ports are the same host as none.
    if (via === 'ssh') hostname = withoutPort(hostname);
    else if (hostname.endsWith(scheme === 'http' ? ':80' : ':443'))
      hostname = hostname.slice(0, scheme === 'http' ? -3 : -4);
  }
  let entry = lookupHost(registry, via, hostname, rest, restStart, restEnd);
  if (entry === undefined) {
    const lower = lowerCase(hostname);
    if (lower !== hostname) {
      hostname = lower;
      entry = lookupHost(registry, via, hostname, rest, restStart, restEnd);
    }
  }
  if (entry === undefined) {
    if (!hostname.includes('.') && !hostname.includes(':') && hostname !== 'localhost') {
      return err({
        code: 'malformed-url',
        message: `'${truncate(text)}' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.`,
      });
    }
    return err({
      code: 'unknown-host',
      message: `${hostname} is not a git host this launcher knows. If it is a ${SELF_HOSTED_NAMES} server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
    });
  }
  if (scheme === 'http' && entry.httpsOnly) {
    return err({
      code: 'insecure-scheme',
      message: `${entry.hostname} is served over https only, and this link uses plain http. Use the https:// address instead.`,
    });
  }

  if (via === 'web') pathStart += entry.basePath.length;
  const segments: string[] = [];
  const dots = splitSegments(pathSource, pathStart, pathStop, segments);
  const query = q === -1 ? '' : text.slice(q + 1, end);
  const url: HostUrl = {
    entry,
    hostname,
    segments,
    trailingSlash: pathStop - pathStart > 1 && pathSource.charCodeAt(pathStop - 1) === SLASH,
    query: query === '' ? NO_QUERY : parseQuery(query),
    fragment: hash === -1 ? '' : decodeLenient(text.slice(hash + 1)),
    via,
  };
  const parsed = registry.family(entry).parse(url);
  if (!parsed.ok) return parsed;
  // Every name, ref and path a grammar returns is made of whole path segments (joined at `/`, or with `.git` cut
  // off the end) and query values — and, on `<org>.visualstudio.com`, of the host name before the domain. A `.`
  // or `..` segment in them begins at the start of a path segment, after a decoded `/` in one, in a query value
  // or at the host name's start. Where none of those holds a `.` (for the query: none of its decoded values; its
  // names are never part of a context), the check has nothing to find. (The check is also skipped, as it always
  // was, where the path holds no `.` at all: a host name that begins with one is looked at only then, and the path
  // searched for a `.` only for such a host.)
  if (query !== '' && someValueHoldsDot(url.query)) return refuseDotSegments(parsed.value);
  if ((dots & DOT_AT_SEGMENT_START) !== 0) return refuseDotSegments(parsed.value);
  if (hostname.charCodeAt(0) !== DOT) return parsed;
  const dot = pathSource.indexOf('.', pathStart);
  if ((dots & DECODED_DOT) !== 0 || (dot !== -1 && dot < pathStop)) return refuseDotSegments(parsed.value);
  return parsed;
}

/** Whether a decoded query value holds a `.` (`at=refs%2Fheads%2Fmain` does not; `at=v1.0` does). */
function someValueHoldsDot(query: ReadonlyMap<string, string>): boolean {
  for (const value of query.values()) if (value.includes('.')) return true;
  return false;
}

/** `host:7999` → `host`: a `:` and digits at the end go; anything else stays as it is. */
function withoutPort(hostname: string): string {
  let i = hostname.length - 1;
  while (i >= 0 && isDigit(hostname.charCodeAt(i))) i--;
  return i < hostname.length - 1 && hostname.charCodeAt(i) === COLON ? hostname.slice(0, i) : hostname;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

const scpLike = (text: string): RegExpExecArray | null => (looksScpLike(text) ? SCP_LIKE.exec(text) : null);

const NO_QUERY: ReadonlyMap<string, string> = new Map();

const lookupHost = (
  registry: HostRegistry,
  via: HostUrl['via'],
  hostname: string,
  path: string,
  from: number,
  to: number,
): HostEntry | undefined =>
  via === 'ssh' ? registry.lookupSsh(hostname) : registry.lookup(hostname, path, from, to);

/**
 * `/a//b%20c/` (the path [from, to) of `text`) → ['a', 'b c'] into `segments`: empty segments dropped, each
 * percent-decoded on its own. Answers with bits: DOT_AT_SEGMENT_START when a segment holds a `.` where a dot
 * segment could begin (its first character, or after a decoded `/`), DECODED_DOT when a percent-decoded segment
 * holds a `.` at all. indexOf finds the `/`s: a built-in's scan costs less than reading each character here.
 */
function splitSegments(text: string, from: number, to: number, segments: string[]): number {
  // The path's next `%` at or after the segment's start (-1 for none): a segment is decoded when it holds one, and
  // the search goes on from its end, so no segment is searched for a `%` of its own. (One in the query or fragment
  // is set aside at once: it is measurably faster than comparing it with each segment's end.)
  let percent = text.indexOf('%', from);
  if (percent >= to) percent = -1;
  let dots = 0;
  // A path starts with its `/` (known to be there: no search for it).
  let start = text.charCodeAt(from) === SLASH ? from + 1 : from;
  while (start <= to) {
    let end = text.indexOf('/', start);
    if (end === -1 || end > to) end = to;
    if (end > start) {
      let segment = text.slice(start, end);
      if (text.charCodeAt(start) === DOT) dots |= DOT_AT_SEGMENT_START;
      if (percent !== -1 && percent < end) {
        segment = decodeFrom(segment, percent - start);
        percent = text.indexOf('%', end);
        if (percent >= to) percent = -1;
        if (segment.includes('.')) {
          dots |= DECODED_DOT;
          if (segment.charCodeAt(0) === DOT || segment.includes('/.')) dots |= DOT_AT_SEGMENT_START;
        }
      }
      segments.push(segment);
    }
    start = end + 1;
  }
  return dots;
}

const DECODED_DOT = 1;
const DOT_AT_SEGMENT_START = 2;

const truncate = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}…` : text);
