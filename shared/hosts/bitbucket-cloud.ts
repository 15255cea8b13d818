// Bitbucket Cloud's URL grammar (bitbucket.org): source and raw file, branch, commits, pull request and issue pages,
// with the branch named in `?at=` when `src/` holds a commit id.

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
  hasWord,
  isNameOf,
  isSha,
  joinSegments,
  NAME_CHARS,
  numberError,
  parseLines,
  pathFrom,
  readNumber,
  refAndPath,
  refAndPathText,
  segmentCount,
  shaOrError,
  stripGitSuffix,
  wordTable,
} from './path-grammar.ts';

const RESERVED_WORKSPACES = wordTable([
  'account',
  'api',
  'blog',
  'dashboard',
  'product',
  'repo',
  'site',
  'snippets',
  'socialauth',
  'support',
]);
// Workspaces and repository slugs: `^[A-Za-z0-9_.-]{1,128}$`.
const isSlug = (text: string): boolean => isNameOf(text, NAME_CHARS, 1, 128);
const LINES = { prefix: '#lines-', separator: ':', endPrefix: '' } as const;
const PR_TABS = wordTable(['diff', 'commits', 'activity']);

export const bitbucketCloud: HostFamily = {
  id: 'bitbucket-cloud',
  displayName: 'Bitbucket',
  contextKinds: ['repository', 'pull-request', 'issue'],
  builtins: [
    {
      hostname: 'bitbucket.org',
      apiBaseUrl: 'https://api.bitbucket.org/2.0',
      aliases: ['www.bitbucket.org'],
    },
  ],

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    // By index, not a destructuring with a rest element (an iterator per parse).
    const segments = url.segments;
    const workspace = segments[0];
    const rawSlug = segments[1];
    const keyword = segments[2];
    if (workspace === undefined || hasWord(RESERVED_WORKSPACES, lowerCase(workspace))) {
      return err({
        code: 'unsupported-page',
        message: `That is a Bitbucket page, not a repository. Open a repository (${siteOf(url)}/workspace/repo) and try again.`,
      });
    }
    if (rawSlug === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${siteOf(url)}/${workspace} is a Bitbucket workspace, not a repository. Open one of its repositories and try again.`,
      });
    }
    const name = stripGitSuffix(rawSlug);
    if (!isSlug(workspace) || !isSlug(name)) {
      return err({
        code: 'not-a-repository',
        message: `'${workspace}/${rawSlug}' is not a valid Bitbucket repository path.`,
      });
    }
    const repo: RepoRef = { host: url.entry.hostname, family: 'bitbucket-cloud', owner: workspace, name };
    if (url.via === 'ssh') return oneReading(atDefault(repo, 'repo'));
    // What follows the keyword: segments 3 on, read in place (no copied array).
    const more = segments.length - 3;

    switch (keyword) {
      case 'src': {
        if (more === 0) return oneReading(atDefault(repo, 'repo'));
        const kind: PathTarget['kind'] = url.trailingSlash ? 'folder' : 'unknown';
        const at = url.query.get('at');
        const lines = kind === 'unknown' ? parseLines(url.fragment) : undefined;
        const first = segments[3] ?? '';
        if (isSha(first)) {
          const sha = lowerCase(first);
          const revision: Revision =
            at === undefined || at === '' ? { type: 'commit', sha } : { type: 'commit', sha, branch: at };
          return oneReading(repositoryContext(repo, revision, 'tree', pathFrom(segments, 4, kind), lines));
        }
        // `src/feature/x/app.py?at=feature/x`: the branch in `at` says where the ref ends.
        if (at !== undefined && at !== '') {
          const atEnd = 3 + segmentCount(at);
          if (joinSegments(segments, 3, atEnd) === at) {
            return oneReading(
              repositoryContext(
                repo,
                { type: 'ref', name: at, refType: 'branch' },
                'tree',
                pathFrom(segments, atEnd, kind),
                lines,
              ),
            );
          }
        }
        const { revision, path } = refAndPath(segments, kind, 0, 3);
        return oneReading(repositoryContext(repo, revision, 'tree', path, lines));
      }
      // `raw/<ref-or-sha>/<path>`: a file's raw text — the same file at the same ref (the path is never empty). The
      // path kind stays `unknown`, as for `src/`, so the canonical `src/` link reads back the same.
      case 'raw': {
        if (more < 2) return oneReading(atDefault(repo, 'repo'));
        const first = segments[3] ?? '';
        const lines = parseLines(url.fragment);
        if (isSha(first)) {
          const path: PathTarget = { path: joinSegments(segments, 4), kind: 'unknown' };
          return oneReading(
            repositoryContext(repo, { type: 'commit', sha: lowerCase(first) }, 'tree', path, lines),
          );
        }
        const { revision, path } = refAndPath(segments, 'unknown', 1, 3);
        return oneReading(repositoryContext(repo, revision, 'tree', path, lines));
      }
      case 'branch': {
        if (more === 0) return oneReading(atDefault(repo, 'repo'));
        return oneReading({
          kind: 'repository',
          repo,
          revision: { type: 'ref', name: joinSegments(segments, 3), refType: 'branch' },
          page: 'branch',
        });
      }
      case 'commits': {
        const what = segments[3];
        if (what === undefined || what === 'all') return oneReading(atDefault(repo, 'commits'));
        if ((what === 'branch' || what === 'tag') && more > 1) {
          const revision = {
            type: 'ref' as const,
            name: joinSegments(segments, 4),
            refType: what as 'branch' | 'tag',
          };
          return oneReading({ kind: 'repository', repo, revision, page: 'commits' });
        }
        const sha = shaOrError(what, `${repoAddress(url, repo)}/commits/1a2b3c4`);
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
        const number = readNumber(segments[3]);
        if (number === undefined)
          return numberError(
            segments[3],
            'pull request',
            'pull-requests',
            `${repoAddress(url, repo)}/pull-requests/12`,
          );
        return oneReading(pullRequestContext(repo, number, segments[4], PR_TABS));
      }
      case 'issues': {
        if (more === 0) return oneReading(atDefault(repo, 'repo'));
        const number = readNumber(segments[3]);
        if (number === undefined)
          return numberError(segments[3], 'issue', 'issues', `${repoAddress(url, repo)}/issues/7`);
        return oneReading({ kind: 'issue', repo, number });
      }
      default:
        return oneReading(atDefault(repo, 'repo'));
    }
  },

  webUrl(context, entry) {
    const base = `${entry.origin}${entry.basePath}/${encodeSegment(context.repo.owner)}/${encodeSegment(context.repo.name)}`;
    switch (context.kind) {
      case 'pull-request':
        return `${base}/pull-requests/${context.number}${context.tab ? `/${context.tab}` : ''}`;
      case 'issue':
        return `${base}/issues/${context.number}`;
      case 'repository': {
        const { revision, page, path } = context;
        if (revision.type === 'default') return page === 'commits' ? `${base}/commits` : base;
        if (revision.type === 'commit' && page === 'commit') return `${base}/commits/${revision.sha}`;
        if (revision.type === 'ref' && page === 'branch')
          return `${base}/branch/${encodePath(revision.name)}`;
        if (revision.type === 'ref' && page === 'commits') {
          return `${base}/commits/${revision.refType === 'tag' ? 'tag' : 'branch'}/${encodePath(revision.name)}`;
        }
        const slash = path?.kind === 'folder' ? '/' : '';
        let at = '';
        if (revision.type === 'commit' && revision.branch !== undefined)
          at = `?at=${encodeQueryValue(revision.branch)}`;
        if (revision.type === 'ref' && revision.refType === 'branch')
          at = `?at=${encodeQueryValue(revision.name)}`;
        return `${base}/src/${refAndPathText(context)}${slash}${at}${lineFragment(context.lines, LINES)}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: () => 'https://api.bitbucket.org/2.0',
};

/** `https://bitbucket.org/workspace/repo`, for error messages (built only when one is given). */
const repoAddress = (url: HostUrl, repo: RepoRef): string => `${siteOf(url)}/${repo.owner}/${repo.name}`;
