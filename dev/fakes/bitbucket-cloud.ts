// A fake Bitbucket Cloud REST API 2.0 (api.bitbucket.org/2.0) serving the sample model in Bitbucket's real response
// shapes: repositories, refs with BBQL `name = "…"` filters, commits, source (raw files, directory pages,
// `?format=meta`), pull requests and issues; `{"type":"error",…}` bodies, page objects, rate-limit headers.
// Web APIs only, so it runs inside workerd and under Node. Never reveals a private repository to a stranger.

import {
  canSee,
  type FakeCommit,
  type FakeHostData,
  type FakeIssue,
  type FakePull,
  type FakeRepo,
  findRepo,
  fullName,
  history,
  pathAt,
  resolveCommitish,
} from './model.ts';
import { bearer, decode } from './request-parts.ts';
import { type Delivery, hmacHex, type PushFacts } from './webhook-signing.ts';

export interface FakeBitbucketCloudOptions {
  /** Answer every request 429 "Rate limit for this resource has been exceeded". */
  readonly rateLimited?: boolean;
  /** `Retry-After` seconds on a 429 (default 1800). */
  readonly retryAfterSeconds?: number;
  /** Answer 502 this many times before behaving (`Infinity`: always). */
  readonly failTimes?: number;
  /** Origin of `links.html` and clone URLs; default `https://<data.hostname>`. */
  readonly webOrigin?: string;
}

type Handler = (request: Request) => Promise<Response>;

const API_PREFIX = '/2.0';
const DEFAULT_PAGELEN = 10;
const MAX_PAGELEN = 100;

export function fakeBitbucketCloud(data: FakeHostData, options: FakeBitbucketCloudOptions = {}): Handler {
  const webOrigin = options.webOrigin ?? `https://${data.hostname}`;
  let failuresLeft = options.failTimes ?? 0;

  return async (request) => {
    const url = new URL(request.url);
    const apiBase = `${url.origin}${API_PREFIX}`;
    const token = bearer(request.headers.get('authorization'));
    // Bitbucket sends its limits only to access tokens; the fake sends them always so tests can read them.
    const limits = {
      'x-ratelimit-limit': token === undefined ? '60' : '1000',
      'x-ratelimit-resource': 'api-repository',
      'x-ratelimit-nearlimit': 'false',
    };
    if (failuresLeft > 0) {
      failuresLeft--;
      return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html', ...limits },
      });
    }
    if (options.rateLimited === true) {
      return error(429, 'Rate limit for this resource has been exceeded', {
        ...limits,
        'x-ratelimit-nearlimit': 'true',
        'retry-after': String(options.retryAfterSeconds ?? 1800),
      });
    }
    if (token === null || (token !== undefined && data.tokens[token] === undefined)) {
      return error(401, 'Token is invalid, expired, or not supported for this endpoint.', {
        ...limits,
        'www-authenticate': 'Bearer realm="api.bitbucket.org"',
      });
    }
    if (request.method !== 'GET') return error(405, `Method ${request.method} is not allowed here.`, limits);
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return error(404, 'Resource not found', limits);

    const segments = url.pathname
      .slice(API_PREFIX.length + 1)
      .split('/')
      .map(decode);
    const [collection, workspace, slug, ...rest] = segments;
    if (collection !== 'repositories' || workspace === undefined || slug === undefined || slug === '') {
      return error(404, 'Resource not found', limits);
    }
    const repo = findRepo(data, workspace, slug);
    if (repo === undefined || !canSee(data, repo, token)) {
      // Bitbucket answers 404, not 403, for a private repository the caller may not read.
      return error(404, `Repository ${workspace}/${slug} not found`, limits);
    }
    const links = new Links(apiBase, webOrigin, repo);
    const reply = route(data, repo, rest, url, links);
    const headers = new Headers(limits);
    for (const [name, value] of Object.entries(reply.headers ?? {})) headers.set(name, value);
    if (reply.text !== undefined) {
      headers.set('content-type', 'text/plain; charset=utf-8');
      return new Response(reply.text, { status: reply.status, headers });
    }
    headers.set('content-type', 'application/json; charset=utf-8');
    return new Response(JSON.stringify(reply.json), { status: reply.status, headers });
  };
}

interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

function route(data: FakeHostData, repo: FakeRepo, rest: readonly string[], url: URL, links: Links): Reply {
  const [what, ...more] = rest;
  const query = url.searchParams;
  switch (what) {
    case undefined:
    case '':
      return json(repositoryJson(data, repo, links));
    case 'refs':
      return refs(repo, more, url, links);
    case 'commit': {
      const found = more.length === 1 ? resolveCommitish(repo, more[0] ?? '') : undefined;
      const commit = found === undefined ? undefined : repo.commits[found.sha];
      if (commit === undefined) return errorReply(404, `Commit ${more.join('/')} not found`);
      return json(commitJson(commit, links));
    }
    case 'commits': {
      // `GET .../commits/<revision>?pagelen=`: history from a branch or sha, newest first (one page here).
      const found = more.length === 1 ? resolveCommitish(repo, more[0] ?? '') : undefined;
      if (found === undefined) return errorReply(404, `Commit ${more.join('/')} not found`);
      const pagelen = Math.min(100, Number(query.get('pagelen') ?? 30) || 30);
      const values = history(repo, found.sha, pagelen).map((c) => commitJson(c, links));
      return json({ pagelen, values });
    }
    case 'src':
      return source(repo, more, query, url, links);
    case 'pullrequests': {
      const pull = repo.pulls.find((p) => String(p.number) === more[0]);
      if (pull === undefined || more.length !== 1) return errorReply(404, 'Pull request not found');
      return json(pullJson(data, repo, pull, links));
    }
    case 'issues': {
      if (repo.issues.length === 0) return errorReply(404, 'Repository has no issue tracker.');
      const issue = repo.issues.find((i) => String(i.number) === more[0]);
      if (issue === undefined || more.length !== 1) return errorReply(404, 'Issue not found');
      return json(issueJson(repo, issue, links));
    }
    default:
      return errorReply(404, 'Resource not found');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Refs: `refs`, `refs/branches`, `refs/tags` (pages, BBQL `q`), and `refs/branches/<name>`, `refs/tags/<name>`.

interface RefItem {
  readonly type: 'branch' | 'tag';
  readonly name: string;
  readonly sha: string;
}

function refs(repo: FakeRepo, more: readonly string[], url: URL, links: Links): Reply {
  const [kind, ...name] = more;
  const branches: RefItem[] = Object.entries(repo.branches).map(([n, sha]) => ({
    type: 'branch',
    name: n,
    sha,
  }));
  const tags: RefItem[] = Object.entries(repo.tags).map(([n, sha]) => ({ type: 'tag', name: n, sha }));
  let items: RefItem[];
  if (kind === undefined) items = [...branches, ...tags];
  else if (kind === 'branches') items = branches;
  else if (kind === 'tags') items = tags;
  else return errorReply(404, 'Resource not found');

  if (name.length > 0) {
    // A ref's name may hold slashes: `refs/branches/feature/x/y`.
    const wanted = name.join('/');
    const item = items.find((i) => i.name === wanted);
    if (item === undefined) {
      return errorReply(404, `${kind === 'tags' ? 'Tag' : 'Branch'} "${wanted}" does not exist.`);
    }
    return json(refJson(repo, item, links));
  }
  const q = url.searchParams.get('q');
  if (q !== null) {
    const filter = parseBbql(q);
    if (filter === undefined) {
      return {
        status: 400,
        json: {
          type: 'error',
          error: { message: 'Invalid query', detail: `The query ${JSON.stringify(q)} is not valid BBQL.` },
        },
      };
    }
    items = items.filter((i) => filter(i.name));
  }
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return json(pageOf(items, url, (i) => refJson(repo, i, links)));
}

/**
 * The subset of BBQL the launcher sends: `name = "a" OR name ~ "b"` (`=` exact, `~` contains, case-insensitive
 * like Bitbucket's `~`). Undefined when the query is not valid in that subset.
 */
function parseBbql(query: string): ((name: string) => boolean) | undefined {
  const term = /\s*name\s*(=|!=|~)\s*"((?:[^"\\]|\\.)*)"\s*/y;
  const or = /OR\b/y;
  const tests: ((name: string) => boolean)[] = [];
  let at = 0;
  for (;;) {
    term.lastIndex = at;
    const match = term.exec(query);
    if (match === null) return undefined;
    const op = match[1];
    const value = (match[2] ?? '').replace(/\\(.)/g, '$1');
    tests.push(
      op === '='
        ? (n) => n === value
        : op === '!='
          ? (n) => n !== value
          : (n) => n.toLowerCase().includes(value.toLowerCase()),
    );
    at = term.lastIndex;
    if (at === query.length) break;
    or.lastIndex = at;
    if (or.exec(query) === null) return undefined;
    at = or.lastIndex;
  }
  return (name) => tests.some((t) => t(name));
}

function refJson(repo: FakeRepo, item: RefItem, links: Links): unknown {
  const commit = repo.commits[item.sha];
  const collection = item.type === 'branch' ? 'branches' : 'tags';
  const base = {
    type: item.type,
    name: item.name,
    target: commit === undefined ? { type: 'commit', hash: item.sha } : commitJson(commit, links),
    links: {
      self: { href: `${links.api}/refs/${collection}/${item.name}` },
      commits: { href: `${links.api}/commits/${item.name}` },
      html: { href: `${links.web}/${item.type === 'branch' ? 'branch' : 'commits/tag'}/${item.name}` },
    },
  };
  if (item.type === 'branch') {
    return {
      ...base,
      merge_strategies: ['merge_commit', 'squash', 'fast_forward'],
      default_merge_strategy: 'merge_commit',
    };
  }
  return { ...base, message: null, date: commit?.date ?? null, tagger: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Source: `src/<commit>/<path>` — a file's raw text, a directory's page of entries, or `?format=meta`.

function source(
  repo: FakeRepo,
  more: readonly string[],
  query: URLSearchParams,
  url: URL,
  links: Links,
): Reply {
  const [revision, ...pathParts] = more;
  if (revision === undefined || revision === '') {
    // `src` alone redirects to the main branch's root.
    const main = repo.branches[repo.defaultBranch] ?? '';
    return { status: 302, headers: { location: `${links.api}/src/${main}/` } };
  }
  const found = resolveCommitish(repo, revision);
  const commit = found === undefined ? undefined : repo.commits[found.sha];
  if (commit === undefined) return errorReply(404, `Commit ${revision} not found`);
  const path = pathParts.filter((p) => p !== '').join('/');
  const at = pathAt(commit, path);
  if (at === undefined) return errorReply(404, `No such file or directory: ${path}`);
  const meta = query.get('format') === 'meta';
  if (at.kind === 'file') {
    if (meta) return json(fileJson(commit, path, at.text, links));
    return { status: 200, text: at.text };
  }
  if (meta) return json(directoryJson(commit, path, links));
  const entries = at.entries
    .map((e) => ({ ...e, path: path === '' ? e.name : `${path}/${e.name}` }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return json(
    pageOf(entries, url, (e) =>
      e.kind === 'folder'
        ? directoryJson(commit, e.path, links)
        : fileJson(commit, e.path, commit.files[e.path] ?? '', links),
    ),
  );
}

function fileJson(commit: FakeCommit, path: string, text: string, links: Links): unknown {
  return {
    type: 'commit_file',
    path,
    escaped_path: path,
    size: new TextEncoder().encode(text).length,
    mimetype: null,
    attributes: [],
    commit: commitRef(commit.sha, links),
    links: {
      self: { href: `${links.api}/src/${commit.sha}/${path}` },
      meta: { href: `${links.api}/src/${commit.sha}/${path}?format=meta` },
      history: { href: `${links.api}/filehistory/${commit.sha}/${path}` },
    },
  };
}

function directoryJson(commit: FakeCommit, path: string, links: Links): unknown {
  return {
    type: 'commit_directory',
    path,
    commit: commitRef(commit.sha, links),
    links: {
      self: { href: `${links.api}/src/${commit.sha}/${path}/` },
      meta: { href: `${links.api}/src/${commit.sha}/${path}/?format=meta` },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Repositories, commits, pull requests, issues.

class Links {
  readonly api: string;
  readonly web: string;
  constructor(
    readonly apiBase: string,
    readonly webOrigin: string,
    repo: FakeRepo,
  ) {
    this.api = `${apiBase}/repositories/${fullName(repo)}`;
    this.web = `${webOrigin}/${fullName(repo)}`;
  }
}

const uuid = (id: number): string => `{00000000-0000-4000-8000-${String(id).padStart(12, '0')}}`;

function repositorySummary(repo: FakeRepo, apiBase: string, webOrigin: string): unknown {
  return {
    type: 'repository',
    full_name: fullName(repo),
    name: repo.name,
    uuid: uuid(repo.id),
    links: {
      self: { href: `${apiBase}/repositories/${fullName(repo)}` },
      html: { href: `${webOrigin}/${fullName(repo)}` },
      avatar: { href: `${webOrigin}/${fullName(repo)}/avatar/32/` },
    },
  };
}

function repositoryJson(data: FakeHostData, repo: FakeRepo, links: Links): unknown {
  const parent = repo.forkOf === undefined ? undefined : data.repos.find((r) => fullName(r) === repo.forkOf);
  const host = new URL(links.webOrigin).host;
  return {
    type: 'repository',
    full_name: fullName(repo),
    name: repo.name,
    slug: repo.name,
    uuid: uuid(repo.id),
    description: '',
    scm: 'git',
    is_private: repo.private,
    fork_policy: 'allow_forks',
    language: 'javascript',
    has_issues: repo.issues.length > 0,
    has_wiki: false,
    size: 4096,
    created_on: '2026-10-01T12:00:00.000000+00:00',
    updated_on: '2026-10-03T12:00:00.000000+00:00',
    mainbranch: { type: 'branch', name: repo.defaultBranch },
    owner: { type: 'team', username: repo.owner, display_name: repo.owner, uuid: uuid(repo.id + 1000) },
    workspace: { type: 'workspace', slug: repo.owner, name: repo.owner, uuid: uuid(repo.id + 2000) },
    ...(parent !== undefined && { parent: repositorySummary(parent, links.apiBase, links.webOrigin) }),
    links: {
      self: { href: links.api },
      html: { href: links.web },
      avatar: { href: `${links.web}/avatar/32/` },
      pullrequests: { href: `${links.api}/pullrequests` },
      commits: { href: `${links.api}/commits` },
      forks: { href: `${links.api}/forks` },
      watchers: { href: `${links.api}/watchers` },
      downloads: { href: `${links.api}/downloads` },
      clone: [
        { name: 'https', href: `${links.webOrigin}/${fullName(repo)}.git` },
        { name: 'ssh', href: `git@${host}:${fullName(repo)}.git` },
      ],
      hooks: { href: `${links.api}/hooks` },
    },
  };
}

const commitRef = (sha: string, links: Links) => ({
  type: 'commit',
  hash: sha,
  links: { self: { href: `${links.api}/commit/${sha}` }, html: { href: `${links.web}/commits/${sha}` } },
});

function commitJson(commit: FakeCommit, links: Links): unknown {
  return {
    ...commitRef(commit.sha, links),
    date: commit.date.replace(/\.\d+Z$/, '+00:00'),
    message: `${commit.message}\n`,
    author: { type: 'author', raw: `${commit.author} <${commit.author}@users.noreply.launchpod.test>` },
    parents: commit.parents.map((p) => commitRef(p, links)),
  };
}

function pullJson(data: FakeHostData, repo: FakeRepo, pull: FakePull, links: Links): unknown {
  const head = data.repos.find((r) => fullName(r) === pull.headRepo);
  const baseSha = repo.branches[pull.baseRef] ?? '';
  const state = pull.state === 'open' ? 'OPEN' : pull.state === 'merged' ? 'MERGED' : 'DECLINED';
  // The API gives both commits as 12-digit abbreviated hashes.
  return {
    type: 'pullrequest',
    id: pull.number,
    title: pull.title,
    description: '',
    state,
    author: {
      type: 'user',
      display_name: pull.author,
      nickname: pull.author,
      uuid: uuid(7000 + pull.number),
    },
    source: {
      branch: { name: pull.headRef },
      commit: commitRef(pull.headSha.slice(0, 12), links),
      repository: head === undefined ? null : repositorySummary(head, links.apiBase, links.webOrigin),
    },
    destination: {
      branch: { name: pull.baseRef },
      commit: commitRef(baseSha.slice(0, 12), links),
      repository: repositorySummary(repo, links.apiBase, links.webOrigin),
    },
    merge_commit: null,
    close_source_branch: false,
    comment_count: 0,
    task_count: 0,
    created_on: '2026-10-04T12:00:00.000000+00:00',
    updated_on: '2026-10-05T12:00:00.000000+00:00',
    links: {
      self: { href: `${links.api}/pullrequests/${pull.number}` },
      html: { href: `${links.web}/pull-requests/${pull.number}` },
      commits: { href: `${links.api}/pullrequests/${pull.number}/commits` },
      diff: { href: `${links.api}/pullrequests/${pull.number}/diff` },
    },
  };
}

function issueJson(repo: FakeRepo, issue: FakeIssue, links: Links): unknown {
  return {
    type: 'issue',
    id: issue.number,
    title: issue.title,
    state: issue.state === 'open' ? 'new' : 'resolved',
    kind: 'enhancement',
    priority: 'major',
    reporter: {
      type: 'user',
      display_name: issue.author.replace(/-/g, ' '),
      nickname: issue.author,
      uuid: uuid(8000 + issue.number),
      account_id: `557058:${issue.number}`,
    },
    assignee: null,
    content: { type: 'rendered', raw: '', markup: 'markdown', html: '' },
    votes: 0,
    watches: 1,
    created_on: '2026-10-06T12:00:00.000000+00:00',
    updated_on: '2026-10-06T12:00:00.000000+00:00',
    repository: { type: 'repository', full_name: fullName(repo), name: repo.name, uuid: uuid(repo.id) },
    links: {
      self: { href: `${links.api}/issues/${issue.number}` },
      html: { href: `${links.web}/issues/${issue.number}` },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pages, errors, small readers.

/** Bitbucket's page object: `pagelen`, `size`, `page`, `values`, and `next` while more pages remain. */
function pageOf<T>(items: readonly T[], url: URL, render: (item: T) => unknown): unknown {
  const pagelen = Math.min(
    MAX_PAGELEN,
    Math.max(1, Number(url.searchParams.get('pagelen') ?? DEFAULT_PAGELEN) || 1),
  );
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const slice = items.slice((page - 1) * pagelen, page * pagelen);
  const body: Record<string, unknown> = { pagelen, size: items.length, page, values: slice.map(render) };
  if (page * pagelen < items.length) {
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    body.next = next.toString();
  }
  return body;
}

const json = (body: unknown): Reply => ({ status: 200, json: body });

const errorReply = (status: number, message: string): Reply => ({
  status,
  json: { type: 'error', error: { message } },
});

function error(status: number, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ type: 'error', error: { message } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A push as Bitbucket Cloud delivers it (X-Hub-Signature over the body). */
export async function bitbucketCloudPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const body = JSON.stringify({
    push: {
      changes: [{ new: { type: 'branch', name: push.branch, target: { type: 'commit', hash: push.sha } } }],
    },
    repository: { full_name: `${push.owner}/${push.name}`, is_private: push.private },
  });
  const headers = {
    'content-type': 'application/json',
    'x-event-key': 'repo:push',
    'x-request-uuid': push.delivery,
    'x-hub-signature': `sha256=${await hmacHex(secret, body)}`,
  };
  return { headers, body };
}
