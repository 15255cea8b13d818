// GitHub's URL grammar (github.com and GitHub Enterprise): repo, tree, blob, commits, commit, release tag, pull
// request and issue pages. Never decides where a ref with slashes ends: that is left as candidates.

import type { ParseError, RepoRef } from '../launch-request.ts';
import { err, type Result } from '../result.ts';
import { encodePath, encodeSegment } from '../url-encoding.ts';
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
  HYPHEN,
  hasAsciiWord,
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
  wordTable,
} from './path-grammar.ts';

const LINES = { prefix: '#L', separator: '-', endPrefix: 'L' } as const;

// First path segments that are GitHub's own pages, not owners (github.com/settings, /orgs/x, /marketplace…).
const RESERVED_OWNERS = wordTable([
  'about',
  'account',
  'apps',
  'codespaces',
  'collections',
  'contact',
  'customer-stories',
  'dashboard',
  'enterprise',
  'enterprises',
  'explore',
  'features',
  'gist',
  'issues',
  'join',
  'login',
  'logout',
  'marketplace',
  'new',
  'notifications',
  'orgs',
  'organizations',
  'pricing',
  'pulls',
  'search',
  'security',
  'sessions',
  'settings',
  'site',
  'sponsors',
  'stars',
  'team',
  'topics',
  'trending',
  'users',
  'watching',
]);

// Logins: letters, digits, single hyphens inside (`octo-cat`): `^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`.
const isLogin = (owner: string): boolean =>
  isCharIn(owner.charCodeAt(0), LETTER_OR_DIGIT) && isNameOf(owner, LETTER_OR_DIGIT | HYPHEN, 1, 39);
// Repositories: letters, digits, `.`, `_`, `-`: `^[A-Za-z0-9._-]{1,100}$`.
const isRepoName = (name: string): boolean => isNameOf(name, NAME_CHARS, 1, 100);

const PULL_TABS = wordTable(['files', 'commits', 'checks', 'changes']);

export const github: HostFamily = {
  id: 'github',
  displayName: 'GitHub',
  contextKinds: ['repository', 'pull-request', 'issue'],
  builtins: [
    {
      hostname: 'github.com',
      apiBaseUrl: 'https://api.github.com',
      aliases: ['www.github.com', 'github.dev'],
    },
  ],
  selfHostedName: 'GitHub Enterprise',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    // Segments by index, and the site's address only on the way to an error: this runs for every GitHub link.
    const segments = url.segments;
    const owner = segments[0];
    const rawName = segments[1];
    const keyword = segments[2];
    if (owner === undefined) {
      const site = siteOf(url);
      return err({
        code: 'not-a-repository',
        message: `${site} is GitHub itself, not a repository. Paste a repository URL like ${site}/owner/repo.`,
      });
    }
    // A login is ASCII, so a reserved name is compared folded, without lowering a copy.
    if (!isLogin(owner) || hasAsciiWord(RESERVED_OWNERS, owner)) {
      const site = siteOf(url);
      return err({
        code: 'unsupported-page',
        message: `${site}/${owner} is a GitHub page, not a repository. Open a repository (${site}/owner/repo) and try again.`,
      });
    }
    if (rawName === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${siteOf(url)}/${owner} is a user or organisation, not a repository. Open one of its repositories and try again.`,
      });
    }
    const name = stripGitSuffix(rawName);
    if (!isRepoName(name) || name === '.' || name === '..') {
      return err({
        code: 'not-a-repository',
        message: `'${rawName}' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).`,
      });
    }
    const repo: RepoRef = { host: url.entry.hostname, family: 'github', owner, name };
    if (url.via === 'ssh') return oneReading(atDefault(repo, 'repo'));
    // What follows the keyword: `tree/<ref>/<path>`, `pull/<n>/<tab>`.
    const more = segments.length - 3;

    switch (keyword) {
      case 'tree':
      case 'blob': {
        if (more <= 0) return oneReading(atDefault(repo, 'repo'));
        const isBlob = keyword === 'blob';
        const { revision, path } = refAndPath(segments, isBlob ? 'file' : 'folder', isBlob ? 1 : 0, 3);
        const lines = isBlob && more > 1 ? parseLines(url.fragment) : undefined;
        return oneReading(repositoryContext(repo, revision, isBlob ? 'blob' : 'tree', path, lines));
      }
      case 'commits': {
        if (more <= 0) return oneReading(atDefault(repo, 'commits'));
        const { revision, path } = refAndPath(segments, 'unknown', 0, 3);
        return oneReading(repositoryContext(repo, revision, 'commits', path));
      }
      case 'commit': {
        const sha = shaOrError(
          segments[3]?.replace(/\.(patch|diff)$/, ''),
          `${siteOf(url)}/${owner}/${name}/commit/1a2b3c4`,
        );
        if (!sha.ok) return sha;
        return oneReading({
          kind: 'repository',
          repo,
          revision: { type: 'commit', sha: sha.value },
          page: 'commit',
        });
      }
      case 'releases': {
        if (segments[3] !== 'tag' || more < 2) return oneReading(atDefault(repo, 'repo'));
        const tag = joinSegments(segments, 4);
        return oneReading({
          kind: 'repository',
          repo,
          revision: { type: 'ref', name: tag, refType: 'tag' },
          page: 'tag',
        });
      }
      case 'pull': {
        const number = readNumber(segments[3]);
        if (number === undefined)
          return numberError(segments[3], 'pull request', 'pull', `${siteOf(url)}/${owner}/${name}/pull/12`);
        return oneReading(pullRequestContext(repo, number, segments[4], PULL_TABS));
      }
      case 'issues': {
        if (more <= 0) return oneReading(atDefault(repo, 'repo'));
        const number = readNumber(segments[3]);
        if (number === undefined)
          return numberError(segments[3], 'issue', 'issues', `${siteOf(url)}/${owner}/${name}/issues/7`);
        return oneReading({ kind: 'issue', repo, number });
      }
      default:
        // Any other repository tab (actions, wiki, settings, pulls…) opens the repository itself.
        return oneReading(atDefault(repo, 'repo'));
    }
  },

  webUrl(context, entry) {
    const base = `${entry.origin}${entry.basePath}/${encodeSegment(context.repo.owner)}/${encodeSegment(context.repo.name)}`;
    switch (context.kind) {
      case 'pull-request':
        return `${base}/pull/${context.number}${context.tab ? `/${context.tab}` : ''}`;
      case 'issue':
        return `${base}/issues/${context.number}`;
      case 'repository': {
        const { revision, page } = context;
        if (revision.type === 'default') return page === 'commits' ? `${base}/commits` : base;
        if (revision.type === 'commit' && page === 'commit') return `${base}/commit/${revision.sha}`;
        if (revision.type === 'ref' && page === 'tag')
          return `${base}/releases/tag/${encodePath(revision.name)}`;
        const keyword = page === 'blob' ? 'blob' : page === 'commits' ? 'commits' : 'tree';
        return `${base}/${keyword}/${refAndPathText(context)}${lineFragment(context.lines, LINES)}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: (webBase) => `${webBase}/api/v3`,
};
