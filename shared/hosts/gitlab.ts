// GitLab's URL grammar (gitlab.com and self-managed): projects nested in groups, `/-/` routes and the legacy routes
// without `-/`. Where a legacy URL could also name a deeper project, that reading is returned as an alternative.

import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { err, ok, type Result } from '../result.ts';
import { decodeLenient, encodePath, encodeSegment } from '../url-encoding.ts';
import {
  type HostFamily,
  type HostUrl,
  lineFragment,
  type ParsedContext,
  type RepoContext,
  repositoryContext,
} from './host-family.ts';
import {
  parseLines,
  parseNumber,
  refAndPath,
  refAndPathText,
  shaOrError,
  stripGitSuffix,
} from './path-grammar.ts';

// Top-level paths that are GitLab's own pages, not namespaces.
const RESERVED_NAMESPACES = new Set([
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
const LEGACY_KEYWORDS = new Set(['tree', 'blob', 'commit', 'commits', 'merge_requests', 'issues']);

// Namespace and project path segments: `my-group`, `sub.group_2`.
const PATH_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;
const MR_TABS = new Set(['diffs', 'commits', 'pipelines']);

export const gitlab: HostFamily = {
  id: 'gitlab',
  displayName: 'GitLab',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const segments = url.segments;
    const site = url.entry.origin + url.entry.basePath;
    const first = segments[0];
    if (first === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${site} is GitLab itself, not a project. Paste a project URL like ${site}/group/project.`,
      });
    }
    if (RESERVED_NAMESPACES.has(first.toLowerCase())) {
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
      const keyword = segments.findIndex(
        (s, i) => i >= 2 && i < segments.length - 1 && LEGACY_KEYWORDS.has(s),
      );
      if (keyword !== -1) {
        projectEnd = keyword;
        legacy = true;
      }
    }
    const project = projectRef(segments.slice(0, projectEnd), url, site);
    if (!project.ok) return project;
    const route = segments.slice(dash === -1 ? projectEnd : dash + 1);
    const context = readRoute(project.value, route, url, site);
    if (!context.ok || !legacy)
      return context.ok ? ok({ context: context.value, alternatives: [] }) : context;
    // `g/p/tree/main` is project g/p at branch main — or a project `main` in group `g/p/tree`. Ask the host.
    // The deeper reading is taken from the canonical legacy path, so it survives a launch link unchanged.
    const whole = projectRef(legacyPathSegments(context.value, url), url, site);
    const alternatives: GitContext[] =
      whole.ok && whole.value.owner !== project.value.owner
        ? [{ kind: 'repository', repo: whole.value, revision: { type: 'default' }, page: 'repo' }]
        : [];
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
        return `${base}/${dash}${keyword}/${refAndPathText(context)}${lineFragment(context.lines, 'gitlab')}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: (webBase) => `${webBase}/api/v4`,
};

function legacyPathSegments(context: RepoContext, url: HostUrl): string[] {
  const web = gitlab.webUrl(context, url.entry, { legacyRoute: true });
  const path = web.slice(url.entry.origin.length + url.entry.basePath.length).replace(/[?#].*$/, '');
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeLenient);
}

function looksLegacy(repo: RepoRef): boolean {
  const path = [...repo.owner.split('/'), repo.name];
  return path.some((segment, index) => index >= 2 && LEGACY_KEYWORDS.has(segment));
}

function projectRef(path: readonly string[], url: HostUrl, site: string): Result<RepoRef, ParseError> {
  const last = path.at(-1);
  if (path.length < 2 || last === undefined) {
    return err({
      code: 'not-a-repository',
      message: `${site}/${path.join('/')} is a GitLab group or user, not a project. Open one of its projects and try again.`,
    });
  }
  const name = stripGitSuffix(last);
  const namespace = path.slice(0, -1);
  if (![...namespace, name].every((s) => PATH_SEGMENT.test(s))) {
    return err({
      code: 'not-a-repository',
      message: `'${path.join('/')}' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).`,
    });
  }
  return ok({ host: url.entry.hostname, family: 'gitlab', owner: namespace.join('/'), name });
}

function readRoute(
  repo: RepoRef,
  route: readonly string[],
  url: HostUrl,
  site: string,
): Result<RepoContext, ParseError> {
  const atDefault: RepoContext = { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' };
  const [keyword, ...rest] = route;
  const projectUrl = `${site}/${repo.owner}/${repo.name}`;
  switch (keyword) {
    case 'tree':
    case 'blob':
    case 'blame':
    case 'raw': {
      if (rest.length === 0) return ok(atDefault);
      const isBlob = keyword !== 'tree';
      const { revision, path } = refAndPath(rest, isBlob ? 'file' : 'folder', isBlob ? 1 : 0);
      const lines = isBlob && rest.length > 1 ? parseLines(url.fragment) : undefined;
      return ok(repositoryContext(repo, revision, isBlob ? 'blob' : 'tree', path, lines));
    }
    case 'commits': {
      if (rest.length === 0) return ok({ ...atDefault, page: 'commits' });
      const { revision, path } = refAndPath(rest, 'unknown', 0);
      return ok(repositoryContext(repo, revision, 'commits', path));
    }
    case 'commit': {
      const sha = shaOrError(rest[0], `${projectUrl}/-/commit/1a2b3c4`);
      return sha.ok
        ? ok({ kind: 'repository', repo, revision: { type: 'commit', sha: sha.value }, page: 'commit' })
        : sha;
    }
    case 'tags': {
      if (rest.length === 0) return ok(atDefault);
      return ok({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: rest.join('/'), refType: 'tag' },
        page: 'tag',
      });
    }
    case 'merge_requests': {
      if (rest.length === 0) return ok(atDefault);
      const number = parseNumber(
        rest[0],
        'merge request',
        'merge_requests',
        `${projectUrl}/-/merge_requests/12`,
      );
      if (!number.ok) return number;
      const tab = rest[1];
      return ok({
        kind: 'pull-request',
        repo,
        number: number.value,
        ...(tab && MR_TABS.has(tab) && { tab }),
      });
    }
    case 'issues':
    case 'work_items': {
      if (rest.length === 0) return ok(atDefault);
      const number = parseNumber(rest[0], 'issue', keyword, `${projectUrl}/-/issues/7`);
      return number.ok ? ok({ kind: 'issue', repo, number: number.value }) : number;
    }
    default:
      return ok(atDefault);
  }
}
