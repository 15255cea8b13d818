// Gitea's and Forgejo's URL grammar (codeberg.org and self-hosted instances, under a sub-path too): typed
// `src/branch|tag|commit/…`, the legacy untyped `src/<ref>/…`, GitHub-style `tree/` and `blob/` redirects, raw,
// blame, commits, commit, pulls, issues and releases. Never decides where a branch with slashes ends: the resolver
// asks the host (Gitea picks the shortest existing prefix).

import type { ParseError, RepoRef, Revision } from '../launch-request.ts';
import { err, ok, type Result } from '../result.ts';
import { encodePath, encodeSegment } from '../url-encoding.ts';
import {
  atDefault,
  type HostFamily,
  type HostUrl,
  lineFragment,
  oneReading,
  type ParsedContext,
  pullRequestContext,
  type RepoContext,
  repositoryContext,
  siteOf,
} from './host-family.ts';
import {
  hasAsciiWord,
  isNameOf,
  NAME_CHARS,
  numberError,
  parseLines,
  type RevisionAndPath,
  readNumber,
  refAndPath,
  shaOrError,
  stripGitSuffix,
  wordTable,
} from './path-grammar.ts';

// Top-level paths that are the instance's own pages, not owners (routers/web/web.go).
const RESERVED_OWNERS = wordTable([
  '-',
  'admin',
  'api',
  'assets',
  'attachments',
  'avatars',
  'captcha',
  'explore',
  'issues',
  'login',
  'milestones',
  'notifications',
  'org',
  'pulls',
  'repo',
  'swagger.v1.json',
  'user',
]);

// Owners and repositories: letters, digits, `-`, `_`, `.` (Gitea's alphaDashDot names): `^[A-Za-z0-9_.-]{1,100}$`.
const isName = (text: string): boolean => isNameOf(text, NAME_CHARS, 1, 100);
const LINES = { prefix: '#L', separator: '-', endPrefix: 'L' } as const;
const PULL_TABS = wordTable(['files', 'commits']);
// Views of a ref and a path that take the same `branch|tag|commit/<ref>/<path>` grammar as `src`.
const REF_VIEWS = new Set(['src', 'tree', 'raw', 'media', 'blame']);

export const gitea: HostFamily = {
  id: 'gitea',
  displayName: 'Gitea / Forgejo',
  contextKinds: ['repository', 'pull-request', 'issue'],
  builtins: [{ hostname: 'codeberg.org', apiBaseUrl: 'https://codeberg.org/api/v1', label: 'Codeberg' }],
  selfHostedName: 'Gitea/Forgejo',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const segments = url.segments;
    const owner = segments[0];
    const rawName = segments[1];
    if (owner === undefined) {
      const site = siteOf(url);
      return err({
        code: 'not-a-repository',
        message: `${site} is the git host itself, not a repository. Paste a repository URL like ${site}/owner/repo.`,
      });
    }
    // A valid owner is ASCII, so a reserved name is compared folded, without lowering a copy (same error).
    if (!isName(owner) || hasAsciiWord(RESERVED_OWNERS, owner)) {
      const site = siteOf(url);
      return err({
        code: 'unsupported-page',
        message: `${site}/${owner} is a page of the host, not a repository. Open a repository (${site}/owner/repo) and try again.`,
      });
    }
    if (rawName === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${siteOf(url)}/${owner} is a user or organisation, not a repository. Open one of its repositories and try again.`,
      });
    }
    const name = stripGitSuffix(rawName);
    if (!isName(name) || name === '.' || name === '..') {
      return err({
        code: 'not-a-repository',
        message: `'${rawName}' is not a valid repository name (letters, digits, '.', '_' and '-' only).`,
      });
    }
    const repo: RepoRef = { host: url.entry.hostname, family: 'gitea', owner, name };
    if (url.via === 'ssh') return oneReading(atDefault(repo, 'repo'));
    const keyword = segments[2];
    const rest = segments.slice(3);
    if (keyword !== undefined && REF_VIEWS.has(keyword)) {
      if (rest.length === 0) return oneReading(atDefault(repo, 'repo'));
      const view = refView(rest, `${repoAddress(url, repo)}/src/commit/1a2b3c4`);
      if (!view.ok) return view;
      const { revision, path } = view.value;
      const lines =
        path !== undefined || revision.type === 'ambiguous' ? parseLines(url.fragment) : undefined;
      return oneReading(repositoryContext(repo, revision, 'tree', path, lines));
    }
    switch (keyword) {
      case 'blob': {
        // Gitea 1.24+: `blob/<sha>/<path>` redirects to `src/commit/<sha>/<path>`.
        if (rest.length === 0) return oneReading(atDefault(repo, 'repo'));
        const view = refView(['commit', ...rest], `${repoAddress(url, repo)}/blob/1a2b3c4`);
        if (!view.ok) return view;
        const { revision, path } = view.value;
        return oneReading(repositoryContext(repo, revision, 'tree', path, parseLines(url.fragment)));
      }
      case 'commits': {
        if (rest.length === 0) return oneReading(atDefault(repo, 'commits'));
        const view = refView(rest, `${repoAddress(url, repo)}/commits/commit/1a2b3c4`);
        if (!view.ok) return view;
        const { revision, path } = view.value;
        return oneReading(repositoryContext(repo, revision, 'commits', path));
      }
      case 'commit': {
        const sha = shaOrError(withoutSuffix(rest[0]), `${repoAddress(url, repo)}/commit/1a2b3c4`);
        return sha.ok
          ? oneReading({
              kind: 'repository',
              repo,
              revision: { type: 'commit', sha: sha.value },
              page: 'commit',
            })
          : sha;
      }
      case 'pulls': {
        if (rest.length === 0) return oneReading(atDefault(repo, 'repo'));
        // `pulls/new/<branch>`: the page that opens a pull request from a branch.
        if (rest[0] === 'new' && rest.length > 1)
          return oneReading(repositoryContext(repo, branchOrSplit(rest.slice(1)).revision, 'tree'));
        const number = readNumber(withoutSuffix(rest[0]));
        if (number === undefined)
          return numberError(rest[0], 'pull request', 'pulls', `${repoAddress(url, repo)}/pulls/12`);
        return oneReading(pullRequestContext(repo, number, rest[1], PULL_TABS));
      }
      case 'issues': {
        if (rest.length === 0) return oneReading(atDefault(repo, 'repo'));
        const number = readNumber(rest[0]);
        if (number === undefined)
          return numberError(rest[0], 'issue', 'issues', `${repoAddress(url, repo)}/issues/7`);
        return oneReading({ kind: 'issue', repo, number });
      }
      case 'releases': {
        if (rest[0] !== 'tag' || rest.length < 2) return oneReading(atDefault(repo, 'repo'));
        return oneReading({
          kind: 'repository',
          repo,
          revision: { type: 'ref', name: rest.slice(1).join('/'), refType: 'tag' },
          page: 'tag',
        });
      }
      default:
        return oneReading(atDefault(repo, 'repo'));
    }
  },

  webUrl(context, entry) {
    const base = `${entry.origin}${entry.basePath}/${encodeSegment(context.repo.owner)}/${encodeSegment(context.repo.name)}`;
    switch (context.kind) {
      case 'pull-request':
        return `${base}/pulls/${context.number}${context.tab ? `/${context.tab}` : ''}`;
      case 'issue':
        return `${base}/issues/${context.number}`;
      case 'repository': {
        const { revision, page } = context;
        if (revision.type === 'default' && page === 'commits') return `${base}/commits`;
        if (revision.type === 'default' && context.path === undefined) return base;
        if (revision.type === 'commit' && page === 'commit') return `${base}/commit/${revision.sha}`;
        if (revision.type === 'ref' && revision.refType === 'tag' && page === 'tag')
          return `${base}/releases/tag/${encodePath(revision.name)}`;
        const view = page === 'commits' ? 'commits' : 'src';
        return `${base}/${view}/${typedRefAndPath(context)}${lineFragment(context.lines, LINES)}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: (webBase) => `${webBase}/api/v1`,
};

/**
 * `branch/a/b/c`, `tag/v1/x`, `commit/<sha>/x`, or the legacy untyped `<ref>/x` → revision and path. Gitea routes
 * `commit/…` to a commit, so what follows it is a commit id or a mistake (`example` shows the form), never a ref.
 */
function refView(rest: readonly string[], example: string): Result<RevisionAndPath, ParseError> {
  const [type, ...after] = rest;
  if (type === 'commit') {
    const sha = shaOrError(after[0], example);
    if (!sha.ok) return sha;
    const revision: Revision = { type: 'commit', sha: sha.value };
    return ok(
      after.length > 1
        ? { revision, path: { path: after.slice(1).join('/'), kind: 'unknown' } }
        : { revision },
    );
  }
  if ((type === 'branch' || type === 'tag') && after.length > 0) return ok(branchOrSplit(after, type));
  // Legacy `src/<ref>/<path>`: Gitea tries a branch, then a tag, then a commit.
  return ok(refAndPath(rest, 'unknown', 0));
}

/** `a/b/c` after `branch/` (or `tag/`): one segment is the ref; more are splits the resolver picks from. */
function branchOrSplit(after: readonly string[], refType: 'branch' | 'tag' = 'branch'): RevisionAndPath {
  if (after.length === 1) return { revision: { type: 'ref', name: after[0] ?? '', refType } };
  const split = refAndPath(after, 'unknown', 0);
  const revision = split.revision;
  if (revision.type === 'ambiguous') return { revision: { ...revision, refType } };
  // A full sha as a branch name's first segment is still a branch name here: the URL said `branch/`.
  const candidates = after.map((_, i) => ({
    ref: after.slice(0, i + 1).join('/'),
    path: after.slice(i + 1).join('/'),
  }));
  return { revision: { type: 'ambiguous', candidates, refType } };
}

/** `branch/feature/x/src/a.ts`, `tag/v1.0`, `commit/<sha>/docs`, or the legacy `<ref>/<path>`. */
function typedRefAndPath(context: Extract<RepoContext, { kind: 'repository' }>): string {
  const { revision, path } = context;
  const suffix = path === undefined ? '' : `/${encodePath(path.path)}`;
  switch (revision.type) {
    case 'default':
      return `branch/HEAD${suffix}`;
    case 'commit':
      return `commit/${revision.sha}${suffix}`;
    case 'ref':
      return `${revision.refType === 'any' ? '' : `${revision.refType}/`}${encodePath(revision.name)}${suffix}`;
    case 'ambiguous': {
      const first = revision.candidates[0];
      const text = first === undefined ? '' : first.path === '' ? first.ref : `${first.ref}/${first.path}`;
      return `${revision.refType === undefined ? '' : `${revision.refType}/`}${encodePath(text)}`;
    }
  }
}

/** `123.diff`, `123.patch` → `123`. */
const withoutSuffix = (text: string | undefined): string | undefined => text?.replace(/\.(diff|patch)$/, '');

/** `https://codeberg.org/owner/repo`, for error messages. */
const repoAddress = (url: HostUrl, repo: RepoRef): string => `${siteOf(url)}/${repo.owner}/${repo.name}`;
