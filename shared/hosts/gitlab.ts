// GitLab's URL grammar (gitlab.com and self-managed): projects nested in groups, `/-/` routes and the legacy routes
// without `-/`. Where a legacy URL could also name a deeper project, that reading is returned as an alternative.

import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { lowerCase } from '../lower-case.ts';
import { err, ok, type Result } from '../result.ts';
import { encodePath, encodeSegment } from '../url-encoding.ts';
import {
  atDefault,
  type HostFamily,
  type HostUrl,
  lineFragment,
  type ParsedContext,
  pullRequestContext,
  type RepoContext,
  repositoryContext,
  siteOf,
} from './host-family.ts';
import {
  DOT_CHAR,
  hasWord,
  isCharIn,
  isNameOf,
  joinSegments,
  LETTER_OR_DIGIT,
  NAME_CHARS,
  numberError,
  parseLines,
  readNumber,
  refAndPath,
  refAndPathText,
  shaOrError,
  stripGitSuffix,
  UNDERSCORE,
  wordTable,
} from './path-grammar.ts';

// Top-level paths that are GitLab's own pages, not namespaces.
const RESERVED_NAMESPACES = wordTable([
  '-',
  'admin',
  'api',
  'dashboard',
  'explore',
  'groups',
  'help',
  'oauth',
  'profile',
  'projects',
  'search',
  'users',
  'assets',
  'uploads',
]);

// Route keywords that legacy URLs (no `-/`) put right after the project path.
const LEGACY_KEYWORDS = wordTable(['tree', 'blob', 'commit', 'commits', 'merge_requests', 'issues']);

// Namespace and project path segments: `my-group`, `sub.group_2` — `^[A-Za-z0-9_.][A-Za-z0-9_.-]*$`.
const isPathSegment = (text: string): boolean =>
  isCharIn(text.charCodeAt(0), LETTER_OR_DIGIT | UNDERSCORE | DOT_CHAR) &&
  isNameOf(text, NAME_CHARS, 1, Number.MAX_SAFE_INTEGER);
const LINES = { prefix: '#L', separator: '-', endPrefix: '' } as const;
const MR_TABS = wordTable(['diffs', 'commits', 'pipelines']);

export const gitlab: HostFamily = {
  id: 'gitlab',
  displayName: 'GitLab',
  changeRequest: { name: 'merge request', prefix: '!' },
  contextKinds: ['repository', 'pull-request', 'issue'],
  builtins: [
    { hostname: 'gitlab.com', apiBaseUrl: 'https://gitlab.com/api/v4', aliases: ['www.gitlab.com'] },
  ],
  selfHostedName: 'GitLab',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const segments = url.segments;
    const first = segments[0];
    if (first === undefined) {
      const site = siteOf(url);
      return err({
        code: 'not-a-repository',
        message: `${site} is GitLab itself, not a project. Paste a project URL like ${site}/group/project.`,
      });
    }
    if (hasWord(RESERVED_NAMESPACES, lowerCase(first))) {
      const site = siteOf(url);
      return err({
        code: 'unsupported-page',
        message: `${site}/${first}/… is a GitLab page, not a project. Open a project (${site}/group/project) and try again.`,
      });
    }
    const dash = segments.indexOf('-');
    let projectEnd = dash === -1 ? segments.length : dash;
    let legacy = false;
    if (dash === -1 && url.via === 'web') {
      // Only a keyword followed by something (`tree/main`, `issues/2`) makes a legacy route.
      const keyword = legacyKeywordIndex(segments);
      if (keyword !== -1) {
        projectEnd = keyword;
        legacy = true;
      }
    }
    // The project is segments [0, projectEnd), the route what follows the keyword or `-`: read in place, not
    // copied into arrays of their own.
    const project = projectRef(segments, projectEnd, url);
    if (!project.ok) return project;
    const context = readRoute(project.value, segments, dash === -1 ? projectEnd : dash + 1, url);
    if (!context.ok || !legacy)
      return context.ok ? ok({ context: context.value, alternatives: [] }) : context;
    // `g/p/tree/main` is project g/p at branch main — or a project `main` in group `g/p/tree`. Ask the host.
    // The deeper reading is taken from the canonical legacy path, so it survives a launch link unchanged.
    const deeper = deeperProject(project.value, legacyRouteSegments(context.value));
    const alternatives: GitContext[] = deeper === undefined ? [] : [atDefault(deeper, 'repo')];
    return ok({ context: context.value, alternatives });
  },

  webUrl(context, entry, options) {
    const dash = options?.legacyRoute === true ? '' : '-/';
    const base = `${entry.origin}${entry.basePath}/${encodePath(context.repo.owner)}/${encodeSegment(context.repo.name)}`;
    switch (context.kind) {
      case 'pull-request':
        return `${base}/${dash}merge_requests/${context.number}${context.tab ? `/${context.tab}` : ''}`;
      case 'issue':
        return `${base}/${dash}issues/${context.number}`;
      case 'repository': {
        const { revision, page } = context;
        if (revision.type === 'default' && page === 'commits') return `${base}/${dash}commits`;
        // A project path like `g/p/tree/x` would read as a legacy route; a closing `/-/` says where it ends.
        if (revision.type === 'default')
          return dash !== '' && looksLegacy(context.repo) ? `${base}/-/` : base;
        if (revision.type === 'commit' && page === 'commit') return `${base}/${dash}commit/${revision.sha}`;
        if (revision.type === 'ref' && page === 'tag') return `${base}/-/tags/${encodePath(revision.name)}`;
        const keyword = page === 'blob' ? 'blob' : page === 'commits' ? 'commits' : 'tree';
        return `${base}/${dash}${keyword}/${refAndPathText(context)}${lineFragment(context.lines, LINES)}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: (webBase) => `${webBase}/api/v4`,
};

/** Where a legacy route's keyword sits: after a group and a project, and followed by something (`tree/main`). */
function legacyKeywordIndex(segments: readonly string[]): number {
  for (let i = 2; i < segments.length - 1; i++) if (hasWord(LEGACY_KEYWORDS, segments[i] ?? '')) return i;
  return -1;
}

/**
 * The path segments of `webUrl(context, entry, { legacyRoute: true })` after the project's own (`tree`, `main`), as
 * a URL read back gives them (decoded, empty ones dropped), built from the context directly: formatting the URL and
 * splitting and decoding it again cost several times the parse of the link itself. Follows webUrl's legacy
 * branches one for one.
 */
function legacyRouteSegments(context: RepoContext): string[] {
  const segments: string[] = [];
  switch (context.kind) {
    case 'pull-request':
      segments.push('merge_requests', String(context.number));
      if (context.tab) segments.push(context.tab);
      return segments;
    case 'issue':
      segments.push('issues', String(context.number));
      return segments;
    case 'repository': {
      const { revision, page, path } = context;
      if (revision.type === 'default' && page === 'commits') segments.push('commits');
      else if (revision.type === 'default') {
        // the project page itself
      } else if (revision.type === 'commit' && page === 'commit') segments.push('commit', revision.sha);
      else if (revision.type === 'ref' && page === 'tag') {
        segments.push('-', 'tags');
        pushPath(segments, revision.name);
      } else {
        segments.push(page === 'blob' ? 'blob' : page === 'commits' ? 'commits' : 'tree');
        if (revision.type === 'ambiguous') {
          const first = revision.candidates[0];
          if (first !== undefined) {
            pushPath(segments, first.ref);
            pushPath(segments, first.path);
          }
        } else {
          if (revision.type === 'commit') segments.push(revision.sha);
          else if (revision.type === 'ref') pushPath(segments, revision.name);
          if (path !== undefined) pushPath(segments, path.path);
        }
      }
      return segments;
    }
  }
}

/**
 * The project a legacy path names read whole: `project`'s own path, then `route` (`g/p` + `tree/main` → project
 * `main` in group `g/p/tree`), or undefined when a segment cannot be part of a project path. What projectRef reads
 * of the whole path, without checking the project's segments again: they were checked as `project` was read.
 */
function deeperProject(project: RepoRef, route: readonly string[]): RepoRef | undefined {
  let owner = `${project.owner}/${project.name}`;
  for (let i = 0; i < route.length - 1; i++) {
    const segment = route[i] ?? '';
    if (!isPathSegment(segment)) return undefined;
    owner += `/${segment}`;
  }
  // No route (never: a legacy route has a keyword) names no deeper project: '' is no name.
  const name = stripGitSuffix(route[route.length - 1] ?? '');
  return isPathSegment(name) ? { host: project.host, family: 'gitlab', owner, name } : undefined;
}

/** `a/b//c` → pushes a, b, c. */
function pushPath(segments: string[], path: string): void {
  let start = 0;
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', start)) {
    if (slash > start) segments.push(path.slice(start, slash));
    start = slash + 1;
  }
  if (start < path.length) segments.push(path.slice(start));
}

function looksLegacy(repo: RepoRef): boolean {
  const path = [...repo.owner.split('/'), repo.name];
  return path.some((segment, index) => index >= 2 && hasWord(LEGACY_KEYWORDS, segment));
}

/** The project named by `path[0, end)`: its namespace, then its name. */
function projectRef(path: readonly string[], end: number, url: HostUrl): Result<RepoRef, ParseError> {
  const last = path[end - 1];
  if (end < 2 || last === undefined) {
    return err({
      code: 'not-a-repository',
      message: `${siteOf(url)}/${joinSegments(path, 0, end)} is a GitLab group or user, not a project. Open one of its projects and try again.`,
    });
  }
  const name = stripGitSuffix(last);
  let owner = '';
  for (let i = 0; i < end - 1; i++) {
    const segment = path[i] ?? '';
    if (!isPathSegment(segment)) return invalidProjectPath(path, end);
    owner = i === 0 ? segment : `${owner}/${segment}`;
  }
  if (!isPathSegment(name)) return invalidProjectPath(path, end);
  return ok({ host: url.entry.hostname, family: 'gitlab', owner, name });
}

function invalidProjectPath(path: readonly string[], end: number): Result<RepoRef, ParseError> {
  return err({
    code: 'not-a-repository',
    message: `'${joinSegments(path, 0, end)}' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).`,
  });
}

/** The page `segments[start]` names (`tree`, `merge_requests`…), with what follows it from `start + 1` on. */
function readRoute(
  repo: RepoRef,
  segments: readonly string[],
  start: number,
  url: HostUrl,
): Result<RepoContext, ParseError> {
  const keyword = segments[start];
  const from = start + 1;
  const more = segments.length - from;
  switch (keyword) {
    case 'tree':
    case 'blob':
    case 'blame':
    case 'raw': {
      if (more === 0) return ok(atDefault(repo, 'repo'));
      const isBlob = keyword !== 'tree';
      const { revision, path } = refAndPath(segments, isBlob ? 'file' : 'folder', isBlob ? 1 : 0, from);
      const lines = isBlob && more > 1 ? parseLines(url.fragment) : undefined;
      return ok(repositoryContext(repo, revision, isBlob ? 'blob' : 'tree', path, lines));
    }
    case 'commits': {
      if (more === 0) return ok(atDefault(repo, 'commits'));
      const { revision, path } = refAndPath(segments, 'unknown', 0, from);
      return ok(repositoryContext(repo, revision, 'commits', path));
    }
    case 'commit': {
      const sha = shaOrError(segments[from], `${projectAddress(url, repo)}/-/commit/1a2b3c4`);
      return sha.ok
        ? ok({ kind: 'repository', repo, revision: { type: 'commit', sha: sha.value }, page: 'commit' })
        : sha;
    }
    case 'tags': {
      if (more === 0) return ok(atDefault(repo, 'repo'));
      return ok({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: joinSegments(segments, from), refType: 'tag' },
        page: 'tag',
      });
    }
    case 'merge_requests': {
      if (more === 0) return ok(atDefault(repo, 'repo'));
      const number = readNumber(segments[from]);
      if (number === undefined) {
        return numberError(
          segments[from],
          'merge request',
          'merge_requests',
          `${projectAddress(url, repo)}/-/merge_requests/12`,
        );
      }
      return ok(pullRequestContext(repo, number, segments[from + 1], MR_TABS));
    }
    case 'issues':
    case 'work_items': {
      if (more === 0) return ok(atDefault(repo, 'repo'));
      const number = readNumber(segments[from]);
      if (number === undefined)
        return numberError(segments[from], 'issue', keyword, `${projectAddress(url, repo)}/-/issues/7`);
      return ok({ kind: 'issue', repo, number });
    }
    default:
      return ok(atDefault(repo, 'repo'));
  }
}

/** `https://gitlab.com/group/project`, for error messages (built only when one is given). */
const projectAddress = (url: HostUrl, repo: RepoRef): string => `${siteOf(url)}/${repo.owner}/${repo.name}`;
