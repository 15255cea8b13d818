// Azure DevOps' URL grammar: dev.azure.com, the legacy `<org>.visualstudio.com[/DefaultCollection]` (the same
// organisation, so the same repository), and Azure DevOps Server / TFS at a configured collection base
// (`/tfs/DefaultCollection`). Refs, paths and lines travel in the query (`version=GB|GT|GC…`, `path=`, `line=`), so
// nothing is ambiguous. `owner` is `<org>/<project>` on Services and `<project>` on Server (the collection is the
// host entry's base path). Names may hold spaces and any Unicode: segments are compared decoded.

import type { LineRange, ParseError, PathTarget, RepoRef, Revision } from '../launch-request.ts';
import { lowerCase } from '../lower-case.ts';
import { err, ok, type Result } from '../result.ts';
import { encodeQueryValue, encodeSegment } from '../url-encoding.ts';
import {
  atDefault,
  type HostEntry,
  type HostFamily,
  type HostUrl,
  type ParsedContext,
  pullRequestContext,
  type RepoContext,
  repositoryContext,
  siteOf,
} from './host-family.ts';
import { isSha, numberError, readNumber, shaOrError, wordTable } from './path-grammar.ts';

const SERVICES = 'dev.azure.com';
const LEGACY_DOMAIN = 'visualstudio.com';
const PULL_TABS = wordTable(['files', 'commits', 'overview']);
// Repository pages that are lists (the context is the repository).
const LIST_PAGES = new Set(['branches', 'tags', 'commits', 'pushes', 'pullrequests']);

export const azureDevops: HostFamily = {
  id: 'azure-devops',
  displayName: 'Azure DevOps',
  // Work items are not tied to a repository: they are not a context of their own.
  contextKinds: ['repository', 'pull-request'],
  builtins: [
    {
      hostname: SERVICES,
      apiBaseUrl: `https://${SERVICES}`,
      subdomainsOf: LEGACY_DOMAIN,
      sshHosts: ['ssh.dev.azure.com', 'vs-ssh.visualstudio.com'],
    },
  ],
  selfHostedName: 'Azure DevOps',

  parse(url: HostUrl): Result<ParsedContext, ParseError> {
    const located = locate(url);
    if (!located.ok) return located;
    const { repo, rest } = located.value;
    if (url.via === 'ssh') return oneReading(atDefault(repo, 'repo'));
    const [keyword, ...more] = rest;
    const lower = keyword === undefined ? undefined : lowerCase(keyword);
    if (lower === 'commit') {
      const sha = shaOrError(more[0], `${repoAddress(url, repo)}/commit/1a2b3c4`);
      if (!sha.ok) return sha;
      const branch = url.query.get('refName');
      const revision: Revision =
        branch?.startsWith('refs/heads/') === true
          ? { type: 'commit', sha: sha.value, branch: branch.slice(11) }
          : { type: 'commit', sha: sha.value };
      return oneReading({ kind: 'repository', repo, revision, page: 'commit' });
    }
    if (lower === 'pullrequest') {
      const number = readNumber(more[0]);
      if (number === undefined)
        return numberError(
          more[0],
          'pull request',
          'pullrequest',
          `${repoAddress(url, repo)}/pullrequest/12`,
        );
      return oneReading(pullRequestContext(repo, number, url.query.get('_a'), PULL_TABS));
    }
    if (lower === 'pullrequestcreate') {
      const source = url.query.get('sourceRef');
      return oneReading(
        source === undefined || source === ''
          ? atDefault(repo, 'repo')
          : repositoryContext(
              repo,
              { type: 'ref', name: source.replace(/^refs\/heads\//, ''), refType: 'branch' },
              'tree',
            ),
      );
    }
    if (lower !== undefined && LIST_PAGES.has(lower))
      return oneReading(atDefault(repo, lower === 'commits' ? 'commits' : 'repo'));
    // The files hub: `?version=GB…&path=/…&line=…&lineEnd=…`.
    const revision = versionOf(url.query.get('version'));
    const path = pathOf(url.query.get('path'));
    const history = url.query.get('_a') === 'history';
    if (revision.type === 'default' && path === undefined)
      return oneReading(atDefault(repo, history ? 'commits' : 'repo'));
    return oneReading(repositoryContext(repo, revision, history ? 'commits' : 'tree', path, linesOf(url)));
  },

  webUrl(context, entry) {
    const base = repoBase(context.repo, entry);
    switch (context.kind) {
      case 'pull-request':
        return `${base}/pullrequest/${context.number}${context.tab ? `?_a=${context.tab}` : ''}`;
      case 'issue':
        // Not a context of this family (work items are not tied to a repository): the repository.
        return base;
      case 'repository': {
        const { revision, page, path, lines } = context;
        if (revision.type === 'commit' && page === 'commit')
          return `${base}/commit/${revision.sha}${revision.branch === undefined ? '' : `?refName=${encodeQueryValue(`refs/heads/${revision.branch}`)}`}`;
        const query: string[] = [];
        const version = versionText(revision);
        if (version !== undefined) query.push(`version=${encodeQueryValue(version)}`);
        if (path !== undefined) query.push(`path=${encodeQueryValue(`/${path.path}`)}`);
        if (lines !== undefined && path !== undefined) {
          query.push(`line=${lines.start}`);
          if (lines.end !== lines.start) query.push(`lineEnd=${lines.end}`);
        }
        if (page === 'commits') query.push('_a=history');
        return query.length === 0 ? base : `${base}?${query.join('&')}`;
      }
    }
  },

  cloneUrl: (repo, entry) => repoBase(repo, entry),

  // Services: `https://dev.azure.com` + `/<org>/<project>/_apis/…`; Server: the collection + `/<project>/_apis/…`.
  defaultApiBaseUrl: (webBase) => webBase,
};

const oneReading = (context: RepoContext): Result<ParsedContext, ParseError> =>
  ok({ context, alternatives: [] });

interface Located {
  readonly repo: RepoRef;
  /** What follows the repository name: `commit/<sha>`, `pullrequest/<n>`, … */
  readonly rest: readonly string[];
}

/**
 * Where the organisation, project and repository are: `<org>/<project>/_git/<repo>` on dev.azure.com,
 * `[DefaultCollection/]<project>/_git/<repo>` on `<org>.visualstudio.com`, `<project>/_git/<repo>` below a Server
 * collection; `_git/<repo>` alone names a repository in the project of the same name. ssh: `v3/<org>/<project>/<repo>`
 * (Services) or `<collection…>/<project>/_git/<repo>` (Server).
 */
function locate(url: HostUrl): Result<Located, ParseError> {
  let segments = url.segments;
  let org: string | undefined;
  const services = url.entry.builtin;
  if (services) {
    if (url.via === 'ssh' && segments[0] === 'v3') {
      // `v3/<org>/<project>/<repo>`: no `_git` in ssh paths.
      const [, sshOrg, project, name] = segments;
      if (sshOrg === undefined || project === undefined || name === undefined) return notARepo(url);
      return ok({ repo: repoRef(url, `${sshOrg}/${project}`, stripGit(name)), rest: [] });
    }
    if (url.hostname.endsWith(`.${LEGACY_DOMAIN}`)) {
      org = url.hostname.slice(0, -(LEGACY_DOMAIN.length + 1));
      // The organisation is one label: `..visualstudio.com` and `a.b.visualstudio.com` name none.
      if (org === '' || org.includes('.')) return notARepo(url);
    } else {
      org = segments[0];
      segments = segments.slice(1);
    }
    if (org === undefined) return notARepo(url);
    if (lowerCase(segments[0] ?? '') === 'defaultcollection') segments = segments.slice(1);
  } else if (url.via === 'ssh') {
    // Server ssh paths carry the collection: skip to the segment before `_git`.
    const git = segments.indexOf('_git');
    if (git >= 1) segments = segments.slice(git - 1);
  }
  const git = segments.indexOf('_git');
  let project: string | undefined;
  let name: string | undefined;
  let rest: readonly string[];
  if (git === 0) {
    name = segments[1];
    project = name;
    rest = segments.slice(2);
  } else if (git === 1) {
    project = segments[0];
    name = segments[2];
    rest = segments.slice(3);
  } else if (git === -1 && segments.length === 1) {
    // A project's home: its repository of the same name, as Azure's own default repository is named.
    project = segments[0];
    name = project;
    rest = [];
  } else if (git === -1 && segments.length > 1 && segments[1]?.startsWith('_') === true) {
    const site = siteOf(url);
    return err({
      code: 'unsupported-page',
      message: `${site}/…/${segments[1]} is a project page (boards, pipelines, work items…), not a repository. Open the repository under Repos (…/_git/<repo>) and try again.`,
    });
  } else {
    return notARepo(url);
  }
  if (project === undefined || name === undefined || project === '' || project.startsWith('_'))
    return notARepo(url);
  return ok({ repo: repoRef(url, org === undefined ? project : `${org}/${project}`, stripGit(name)), rest });
}

const stripGit = (name: string): string => (name.endsWith('.git') ? name.slice(0, -4) : name);

function repoRef(url: HostUrl, owner: string, name: string): RepoRef {
  return { host: url.entry.hostname, family: 'azure-devops', owner, name };
}

function notARepo(url: HostUrl): Result<never, ParseError> {
  const site = siteOf(url);
  return err({
    code: 'not-a-repository',
    message: `That ${site} address is not a repository. A repository link looks like https://dev.azure.com/<organisation>/<project>/_git/<repository>.`,
  });
}

/** `GBfeature/a`, `GTv1.0`, `GC1a2b3c4…`; a version without a prefix is a branch, tag or commit name. */
function versionOf(text: string | undefined): Revision {
  if (text === undefined || text === '') return { type: 'default' };
  const kind = text.slice(0, 2).toUpperCase();
  const name = text.slice(2);
  if (kind === 'GB' && name !== '') return { type: 'ref', name, refType: 'branch' };
  if (kind === 'GT' && name !== '') return { type: 'ref', name, refType: 'tag' };
  if (kind === 'GC' && isSha(name)) return { type: 'commit', sha: lowerCase(name) };
  return isSha(text) ? { type: 'commit', sha: lowerCase(text) } : { type: 'ref', name: text, refType: 'any' };
}

function versionText(revision: Revision): string | undefined {
  switch (revision.type) {
    case 'default':
      return undefined;
    case 'commit':
      return `GC${revision.sha}`;
    case 'ref':
      return revision.refType === 'branch'
        ? `GB${revision.name}`
        : revision.refType === 'tag'
          ? `GT${revision.name}`
          : revision.name;
    case 'ambiguous': {
      const first = revision.candidates[0];
      return first === undefined ? undefined : `GB${first.ref}`;
    }
  }
}

/** `path=/src/a.ts` → `src/a.ts`; `/` (the root) → none. */
function pathOf(text: string | undefined): PathTarget | undefined {
  const path = text?.replace(/^\/+|\/+$/g, '');
  return path === undefined || path === '' ? undefined : { path, kind: 'unknown' };
}

/** `line=10&lineEnd=12` → 10–12. */
function linesOf(url: HostUrl): LineRange | undefined {
  const start = readNumber(url.query.get('line'));
  if (start === undefined) return undefined;
  const end = readNumber(url.query.get('lineEnd')) ?? start;
  return end >= start ? { start, end } : { start: end, end: start };
}

/** `https://dev.azure.com/<org>/<project>/_git/<repo>` or `<collection base>/<project>/_git/<repo>`. */
function repoBase(repo: RepoRef, entry: HostEntry): string {
  const owner = repo.owner.split('/').map(encodeSegment).join('/');
  return `${entry.origin}${entry.basePath}/${owner}/_git/${encodeSegment(repo.name)}`;
}

const repoAddress = (url: HostUrl, repo: RepoRef): string => `${siteOf(url)}/${repo.owner}/_git/${repo.name}`;
