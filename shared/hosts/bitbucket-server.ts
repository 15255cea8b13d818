// Bitbucket Server / Data Center's URL grammar (self-hosted only): project and personal repositories, `scm/` clone
// URLs, the ref in `?at=`, commits and pull requests. The ref is in the query, so paths are never ambiguous.

import type { ParseError, PathTarget, RepoRef, Revision } from '../launch-request.ts';
import { lowerCase } from '../lower-case.ts';
import { err, type Result } from '../result.ts';
import { encodePath, encodeQueryValue, encodeSegment } from '../url-encoding.ts';
import {
  atDefault,
  type HostFamily,
  type HostUrl,
  lineFragment,
  oneReading,
  type ParsedContext,
  pullRequestContext,
  repositoryContext,
  siteOf,
} from './host-family.ts';
import {
  isFullSha,
  isNameOf,
  joinSegments,
  NAME_CHARS,
  numberError,
  parseLines,
  readNumber,
  shaOrError,
  stripGitSuffix,
  wordTable,
} from './path-grammar.ts';

// Project keys (`~user` for personal ones) and repository slugs: `^~?[A-Za-z0-9_.-]{1,128}$`, `^[A-Za-z0-9_.-]{1,128}$`.
const isSlug = (text: string): boolean => isNameOf(text, NAME_CHARS, 1, 128);
const isKey = (text: string): boolean =>
  text.charCodeAt(0) === 126 ? isNameOf(text.slice(1), NAME_CHARS, 1, 128) : isSlug(text);
const LINES = { prefix: '#', separator: '-', endPrefix: '' } as const;
const PR_TABS = wordTable(['overview', 'diff', 'commits']);

export const bitbucketServer: HostFamily = {
  id: 'bitbucket-server',
  displayName: 'Bitbucket Server',
  contextKinds: ['repository', 'pull-request'],
  builtins: [],
  selfHostedName: 'Bitbucket',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const segments = url.segments;
    const located = locateRepo(segments, url.via);
    if (located === undefined) {
      return err({
        code: 'not-a-repository',
        message: `That Bitbucket Server page is not a repository. Open a repository (${siteOf(url)}/projects/KEY/repos/name/browse) and try again.`,
      });
    }
    const { owner, rawSlug, routeStart } = located;
    const name = stripGitSuffix(rawSlug);
    if (!isKey(owner) || !isSlug(name)) {
      return err({
        code: 'not-a-repository',
        message: `'${owner}/${rawSlug}' is not a valid Bitbucket Server repository.`,
      });
    }
    // Project keys are upper case (`scm/proj/r.git` is project PROJ); personal repositories are `~user`.
    const repo: RepoRef = {
      host: url.entry.hostname,
      family: 'bitbucket-server',
      owner: owner.startsWith('~') ? owner.toLowerCase() : owner.toUpperCase(),
      name,
    };
    // What follows the keyword: segments from `from` on, read in place (no copied array).
    const keyword = segments[routeStart];
    const from = routeStart + 1;
    const more = segments.length - from;
    const at = revisionFromAt(url.query.get('at'));
    switch (keyword) {
      case undefined:
      case 'browse': {
        const kind: PathTarget['kind'] = url.trailingSlash ? 'folder' : 'unknown';
        const lines = kind === 'unknown' ? parseLines(url.fragment) : undefined;
        const path = more > 0 ? { path: joinSegments(segments, from), kind } : undefined;
        // No route at all (a clone URL) has nothing after it either.
        const page = keyword === undefined && at.type === 'default' ? 'repo' : 'browse';
        return oneReading(repositoryContext(repo, at, page, path, lines));
      }
      case 'commits': {
        if (more === 0) {
          return oneReading({
            kind: 'repository',
            repo,
            revision: revisionFromAt(url.query.get('until')),
            page: 'commits',
          });
        }
        const sha = shaOrError(segments[from], `${siteOf(url)}/projects/KEY/repos/${name}/commits/1a2b3c4`);
        return sha.ok
          ? oneReading({
              kind: 'repository',
              repo,
              revision: { type: 'commit', sha: sha.value },
              page: 'commit',
            })
          : sha;
      }
      case 'pull-requests': {
        if (more === 0) return oneReading(atDefault(repo, 'repo'));
        const number = readNumber(segments[from]);
        if (number === undefined) {
          return numberError(
            segments[from],
            'pull request',
            'pull-requests',
            `${siteOf(url)}/projects/KEY/repos/${name}/pull-requests/12`,
          );
        }
        return oneReading(pullRequestContext(repo, number, segments[from + 1], PR_TABS));
      }
      default:
        return oneReading(atDefault(repo, 'repo'));
    }
  },

  webUrl(context, entry) {
    const { owner, name } = context.repo;
    const repoPath = owner.startsWith('~')
      ? `users/${encodeSegment(owner.slice(1))}/repos/${encodeSegment(name)}`
      : `projects/${encodeSegment(owner)}/repos/${encodeSegment(name)}`;
    const base = `${entry.origin}${entry.basePath}/${repoPath}`;
    switch (context.kind) {
      case 'pull-request':
        return `${base}/pull-requests/${context.number}${context.tab ? `/${context.tab}` : ''}`;
      case 'issue':
        // Bitbucket Server has no issues of its own (they live in Jira); keep the number visible all the same.
        return `${base}/browse#issue-${context.number}`;
      case 'repository': {
        const { revision, page, path } = context;
        if (revision.type === 'commit' && page === 'commit') return `${base}/commits/${revision.sha}`;
        if (page === 'commits') {
          const until = atValue(revision);
          return `${base}/commits${until === '' ? '' : `?until=${encodeQueryValue(until)}`}`;
        }
        if (page === 'repo') return base;
        const at = atValue(revision);
        const pathText =
          path === undefined ? '' : `/${encodePath(path.path)}${path.kind === 'folder' ? '/' : ''}`;
        return `${base}/browse${pathText}${at === '' ? '' : `?at=${encodeQueryValue(at)}`}${lineFragment(context.lines, LINES)}`;
      }
    }
  },

  cloneUrl(repo, entry) {
    const owner = repo.owner.startsWith('~') ? repo.owner : repo.owner.toLowerCase();
    return `${entry.origin}${entry.basePath}/scm/${owner}/${repo.name}.git`;
  },

  defaultApiBaseUrl: (webBase) => `${webBase}/rest/api/1.0`,
};

function locateRepo(
  segments: readonly string[],
  via: HostUrl['via'],
): { owner: string; rawSlug: string; routeStart: number } | undefined {
  // By index, not a destructuring with a rest element (an iterator per parse).
  const a = segments[0];
  const b = segments[1];
  const c = segments[2];
  const d = segments[3];
  if (a === 'projects' && b !== undefined && c === 'repos' && d !== undefined)
    return { owner: b, rawSlug: d, routeStart: 4 };
  if (a === 'users' && b !== undefined && c === 'repos' && d !== undefined)
    return { owner: `~${b}`, rawSlug: d, routeStart: 4 };
  // Clone URLs: `https://host/scm/key/repo.git`, `ssh://git@host:7999/key/repo.git` (no route: it starts past the
  // last segment).
  if (a === 'scm' && b !== undefined && c !== undefined && d === undefined)
    return { owner: b, rawSlug: c, routeStart: segments.length };
  if (via === 'ssh' && a !== undefined && b !== undefined && c === undefined)
    return { owner: a, rawSlug: b, routeStart: segments.length };
  return undefined;
}

/** `refs/heads/feature/x` → branch, `refs/tags/v1` → tag, 40 hex → commit, a bare name → ask the host. */
function revisionFromAt(at: string | undefined): Revision {
  if (at === undefined || at === '') return { type: 'default' };
  if (at.startsWith('refs/heads/') && at.length > 11)
    return { type: 'ref', name: at.slice(11), refType: 'branch' };
  if (at.startsWith('refs/tags/') && at.length > 10)
    return { type: 'ref', name: at.slice(10), refType: 'tag' };
  if (isFullSha(at)) return { type: 'commit', sha: lowerCase(at) };
  return { type: 'ref', name: at, refType: 'any' };
}

function atValue(revision: Revision): string {
  switch (revision.type) {
    case 'default':
      return '';
    case 'commit':
      return revision.sha;
    case 'ref':
      return revision.refType === 'branch'
        ? `refs/heads/${revision.name}`
        : revision.refType === 'tag'
          ? `refs/tags/${revision.name}`
          : revision.name;
    case 'ambiguous':
      return revision.candidates[0]?.ref ?? '';
  }
}
