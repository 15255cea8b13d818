// Anything a user pastes, clicks or prefixes → a typed launch request, or a parse error a person can act on.
// Pure and total: never throws, never guesses a host's family, never upgrades someone else's http:// URL.

import { refuseDotSegments } from './dot-segments.ts';
import type { HostRegistry } from './host-registry.ts';
import type { HostEntry, HostUrl, ParsedContext } from './hosts/host-family.ts';
import type { LaunchRequest, ParseError, ParseWarning } from './launch-request.ts';
import { type PrefixModifiers, readPrefixModifiers } from './prefix-modifiers.ts';
import { err, ok, type Result } from './result.ts';
import { decodeLenient, isWellFormedText, parseQuery } from './url-encoding.ts';

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
  const read = readPrefixModifiers(text);
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
  const trimmed = input.trim();
  let start = 0;
  while (start < trimmed.length && isLeadingNoise(trimmed.charCodeAt(start))) start++;
  return start === 0 ? trimmed : trimmed.slice(start);
}

// `#`, `/`, and ASCII blanks (space, tab, newlines).
const isLeadingNoise = (code: number): boolean => code === 35 || code === 47 || code <= 32;

function launchRequest(parsed: ParsedContext, modifiers: PrefixModifiers): LaunchRequest {
  const request: {
    -readonly [K in keyof LaunchRequest]: LaunchRequest[K];
  } = {
    context: parsed.context,
    alternatives: parsed.alternatives,
    env: [],
    rejectedEnv: modifiers.rejectedEnv,
    imageBuild: modifiers.imageBuild,
    warnings: modifiers.warnings,
  };
  if (modifiers.env.size > 0) request.env = Array.from(modifiers.env, ([name, value]) => ({ name, value }));
  if (modifiers.referrer !== undefined) request.referrer = modifiers.referrer;
  if (modifiers.openPrebuild !== undefined) request.openPrebuild = modifiers.openPrebuild;
  for (const r of modifiers.rejectedEnv) {
    modifiers.warnings.push({ code: 'env-rejected', message: `${r.item} was not set: ${r.message}` });
  }
  return request;
}

// `https://`, `http://`, `ssh://`, `git+ssh://`, and `https:/` (proxies fold `//` in the launcher's path form).
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/?)?/;
// `git@github.com:owner/repo.git` — scp-like ssh syntax: user@host:path, no port (`git@h:22/x` is not one).
const SCP_LIKE = /^[\w.-]+@([A-Za-z0-9.-]+):(?!\/\/|[0-9]+(?:\/|$))(.*)$/;
// `8443/owner/repo` after `host:` — a port, so the text before the colon was a host, not a scheme.
const PORT_THEN_PATH = /^[0-9]+(?:\/|$)/;

/** Cheap test before the regex: an `@` before the first `:`, and no `/` before either. */
function looksScpLike(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0) return false;
  const colon = text.indexOf(':', at);
  const slash = text.indexOf('/');
  return colon !== -1 && (slash === -1 || slash > colon) && text.lastIndexOf(':', at) === -1;
}

/** Splits `[scheme://][user@]host[:port]/path[?query][#fragment]` and hands the path to the host's grammar. */
function parseRepoUrl(
  text: string,
  registry: HostRegistry,
  warnings: ParseWarning[],
): Result<{ context: LaunchRequest['context']; alternatives: LaunchRequest['alternatives'] }, ParseError> {
  const hash = text.indexOf('#');
  const fragment = hash === -1 ? '' : text.slice(hash + 1);
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const query = q === -1 ? '' : beforeHash.slice(q + 1);
  let rest = q === -1 ? beforeHash : beforeHash.slice(0, q);

  let via: HostUrl['via'] = 'web';
  let scheme = 'https';
  let authority: string;
  const scp = looksScpLike(rest) ? SCP_LIKE.exec(rest) : null;
  if (scp !== null) {
    via = 'ssh';
    scheme = 'ssh';
    authority = scp[1] ?? '';
    rest = `/${scp[2] ?? ''}`;
  } else {
    const schemeMatch = SCHEME.exec(rest);
    // `localhost:8080/o/r` and `git.example.com:8443/o/r` are host:port, not a scheme.
    if (schemeMatch !== null && schemeMatch[2] !== undefined) {
      scheme = (schemeMatch[1] ?? '').toLowerCase();
      rest = rest.slice(schemeMatch[0].length);
      if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'git') {
        via = 'ssh';
      } else if (scheme !== 'https' && scheme !== 'http') {
        return err({
          code: 'unsupported-scheme',
          message: `${scheme}: links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
        });
      }
    } else if (schemeMatch !== null && !PORT_THEN_PATH.test(rest.slice(schemeMatch[0].length))) {
      return err({
        code: 'unsupported-scheme',
        message: `'${schemeMatch[1]}:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
      });
    }
    const slash = rest.indexOf('/');
    authority = slash === -1 ? rest : rest.slice(0, slash);
    rest = slash === -1 ? '' : rest.slice(slash);
  }

  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    // `https://user:token@host/…`: the credentials are dropped, never carried into a link or a log.
    if (authority.slice(0, at).includes(':')) {
      warnings.push({
        code: 'credentials-dropped',
        message: 'The URL contained a user name and password; they were removed and not used.',
      });
    }
    authority = authority.slice(at + 1);
  }
  let hostname = authority.toLowerCase();
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (hostname === '') {
    return err({
      code: 'malformed-url',
      message: `'${truncate(text)}' has no host. Paste the full URL, like https://github.com/owner/repo.`,
    });
  }
  if (hostname.includes(':')) {
    // ssh ports are ssh's own; web default ports are the same host as none.
    if (via === 'ssh') hostname = hostname.replace(/:[0-9]+$/, '');
    else hostname = hostname.replace(scheme === 'http' ? /:80$/ : /:443$/, '');
  }
  const entry: HostEntry | undefined =
    via === 'ssh' ? registry.lookupSsh(hostname) : registry.lookup(hostname, rest);
  if (entry === undefined) {
    if (!hostname.includes('.') && !hostname.includes(':') && hostname !== 'localhost') {
      return err({
        code: 'malformed-url',
        message: `'${truncate(text)}' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.`,
      });
    }
    return err({
      code: 'unknown-host',
      message: `${hostname} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab or Bitbucket server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
    });
  }
  if (scheme === 'http' && entry.httpsOnly) {
    return err({
      code: 'insecure-scheme',
      message: `${entry.hostname} is served over https only, and this link uses plain http. Use the https:// address instead.`,
    });
  }

  const pathText = via === 'ssh' || entry.basePath === '' ? rest : rest.slice(entry.basePath.length);
  const segments = splitSegments(pathText);
  const url: HostUrl = {
    entry,
    segments,
    trailingSlash: pathText.length > 1 && pathText.endsWith('/'),
    query: query === '' ? NO_QUERY : parseQuery(query),
    fragment: decodeLenient(fragment),
    via,
  };
  const parsed = registry.family(entry).parse(url);
  return parsed.ok ? refuseDotSegments(parsed.value) : parsed;
}

const NO_QUERY: ReadonlyMap<string, string> = new Map();

/** `/a//b%20c/` → ['a', 'b c']: empty segments dropped, each percent-decoded on its own. */
function splitSegments(path: string): string[] {
  const segments: string[] = [];
  let start = 0;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) segments.push(decodeLenient(path.slice(start, end)));
    start = end + 1;
  }
  return segments;
}

const truncate = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}…` : text);
