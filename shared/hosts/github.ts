// GitHub's URL grammar (github.com and GitHub Enterprise): repo, tree, blob, commits, commit, release tag, pull
// request and issue pages. Never decides where a ref with slashes ends: that is left as candidates.

import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { err, ok, type Result } from '../result.ts';
import { encodePath, encodeSegment } from '../url-encoding.ts';
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

// First path segments that are GitHub's own pages, not owners (github.com/settings, /orgs/x, /marketplace…).
const RESERVED_OWNERS = new Set([
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

// Logins: letters, digits, single hyphens inside (`octo-cat`); repos: letters, digits, `.`, `_`, `-`.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

const PULL_TABS = new Set(['files', 'commits', 'checks', 'changes']);

export const github: HostFamily = {
  id: 'github',
  displayName: 'GitHub',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const [owner, rawName, keyword, ...rest] = url.segments;
    const site = url.entry.origin + url.entry.basePath;
    if (owner === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${site} is GitHub itself, not a repository. Paste a repository URL like ${site}/owner/repo.`,
      });
    }
    if (RESERVED_OWNERS.has(owner.toLowerCase()) || !OWNER.test(owner)) {
      return err({
        code: 'unsupported-page',
        message: `${site}/${owner} is a GitHub page, not a repository. Open a repository (${site}/owner/repo) and try again.`,
      });
    }
    if (rawName === undefined) {
      return err({
        code: 'not-a-repository',
        message: `${site}/${owner} is a user or organisation, not a repository. Open one of its repositories and try again.`,
      });
    }
    const name = stripGitSuffix(rawName);
    if (!REPO.test(name) || name === '.' || name === '..') {
      return err({
        code: 'not-a-repository',
        message: `'${rawName}' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).`,
      });
    }
    const repo: RepoRef = { host: url.entry.hostname, family: 'github', owner, name };
    const one = (context: GitContext): Result<ParsedContext, ParseError> => ok({ context, alternatives: [] });
    const atDefault: RepoContext = { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' };
    if (url.via === 'ssh') return one(atDefault);

    switch (keyword) {
      case 'tree':
      case 'blob': {
        if (rest.length === 0) return one(atDefault);
        const isBlob = keyword === 'blob';
        const { revision, path } = refAndPath(rest, isBlob ? 'file' : 'folder', isBlob ? 1 : 0);
        const lines = isBlob && rest.length > 1 ? parseLines(url.fragment) : undefined;
        return one(repositoryContext(repo, revision, isBlob ? 'blob' : 'tree', path, lines));
      }
      case 'commits': {
        if (rest.length === 0) return one({ ...atDefault, page: 'commits' });
        const { revision, path } = refAndPath(rest, 'unknown', 0);
        return one(repositoryContext(repo, revision, 'commits', path));
      }
      case 'commit': {
        const sha = shaOrError(
          rest[0]?.replace(/\.(patch|diff)$/, ''),
          `${site}/${owner}/${name}/commit/1a2b3c4`,
        );
        if (!sha.ok) return sha;
        return one({
          kind: 'repository',
          repo,
          revision: { type: 'commit', sha: sha.value },
          page: 'commit',
        });
      }
      case 'releases': {
        if (rest[0] !== 'tag' || rest.length < 2) return one(atDefault);
        const tag = rest.slice(1).join('/');
        return one({
          kind: 'repository',
          repo,
          revision: { type: 'ref', name: tag, refType: 'tag' },
          page: 'tag',
        });
      }
      case 'pull': {
        const number = parseNumber(rest[0], 'pull request', 'pull', `${site}/${owner}/${name}/pull/12`);
        if (!number.ok) return number;
        const tab = rest[1];
        return one({
          kind: 'pull-request',
          repo,
          number: number.value,
          ...(tab && PULL_TABS.has(tab) && { tab }),
        });
      }
      case 'issues': {
        if (rest.length === 0) return one(atDefault);
        const number = parseNumber(rest[0], 'issue', 'issues', `${site}/${owner}/${name}/issues/7`);
        if (!number.ok) return number;
        return one({ kind: 'issue', repo, number: number.value });
      }
      default:
        // Any other repository tab (actions, wiki, settings, pulls…) opens the repository itself.
        return one(atDefault);
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
        return `${base}/${keyword}/${refAndPathText(context)}${lineFragment(context.lines, 'github')}`;
      }
    }
  },

  cloneUrl: (repo, entry) => `${entry.origin}${entry.basePath}/${repo.owner}/${repo.name}.git`,

  defaultApiBaseUrl: (webBase) => `${webBase}/api/v3`,
};
