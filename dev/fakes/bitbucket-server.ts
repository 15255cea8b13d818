// A fake Bitbucket Server / Data Center REST API 1.0 serving the sample model in Bitbucket's real response shapes:
// repositories (project and personal `~user`), default branch, branches (`filterText`, `boostMatches`), tags,
// commits, raw files, browse (lines vs children), pull requests; `{"errors":[…]}` bodies with exception names, paged
// `values` with `isLastPage`/`nextPageStart`, Data Center's token-bucket rate-limit headers. Works under any base
// path (`/bitbucket/rest/api/1.0`). Who a token belongs to: `/plugins/servlet/applinks/whoami` (the user name as
// plain text, empty for an anonymous caller) and `users/{slug}`. Web APIs only, so it runs inside workerd and Node.

import {
  canSee,
  type FakeCommit,
  type FakeHostData,
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

export interface FakeBitbucketServerOptions {
  /** Answer every authenticated request 429, as Data Center's rate limiter does when a token bucket is empty. */
  readonly rateLimited?: boolean;
  /** `Retry-After` seconds on a 429 (default 30). */
  readonly retryAfterSeconds?: number;
  /** Answer 502 this many times before behaving (`Infinity`: always). */
  readonly failTimes?: number;
}

type Handler = (request: Request) => Promise<Response>;

const API_MARKERS = ['/rest/api/1.0/', '/rest/api/latest/'];
const WHOAMI = '/plugins/servlet/applinks/whoami';
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;
const EXCEPTION = 'com.atlassian.bitbucket';

export function fakeBitbucketServer(data: FakeHostData, options: FakeBitbucketServerOptions = {}): Handler {
  let failuresLeft = options.failTimes ?? 0;

  return async (request) => {
    const url = new URL(request.url);
    const marker = API_MARKERS.map((m) => ({ m, at: url.pathname.indexOf(m) })).find((x) => x.at >= 0);
    const token = bearer(request.headers.get('authorization'));
    // Data Center rate-limits only authenticated requests, and says so on every answer to them.
    const limits: Record<string, string> =
      token === undefined
        ? {}
        : {
            'x-ratelimit-limit': '60',
            'x-ratelimit-remaining': options.rateLimited === true ? '0' : '59',
            'x-ratelimit-interval-seconds': '1',
            'x-ratelimit-fillrate': '5',
            'retry-after': options.rateLimited === true ? String(options.retryAfterSeconds ?? 30) : '0',
          };
    if (failuresLeft > 0) {
      failuresLeft--;
      return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html', ...limits },
      });
    }
    if (options.rateLimited === true && token !== undefined) {
      return errors(429, 'You have been rate limited. Try again later.', null, limits);
    }
    if (token === null || (token !== undefined && data.tokens[token] === undefined)) {
      return errors(
        401,
        'Authentication failed. Please check your credentials and try again.',
        `${EXCEPTION}.auth.IncorrectPasswordAuthenticationException`,
        limits,
      );
    }
    // Bitbucket's own answer to "who is calling": the user name, or nothing at all for an anonymous request.
    if (url.pathname.endsWith(WHOAMI) && request.method === 'GET') {
      const user = token === undefined ? undefined : data.tokens[token];
      return new Response(user?.login ?? '', {
        status: 200,
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...limits },
      });
    }
    if (marker === undefined) return errors(404, 'Not found', null, limits);
    if (request.method !== 'GET')
      return errors(405, `Method ${request.method} is not allowed.`, null, limits);

    const webBase = url.origin + url.pathname.slice(0, marker.at);
    const apiBase = `${webBase}${marker.m.slice(0, -1)}`;
    const segments = url.pathname
      .slice(marker.at + marker.m.length)
      .split('/')
      .map(decode);
    const [scope, ownerSegment, repos, slug, ...rest] = segments;
    if (scope === 'users' && ownerSegment !== undefined && segments.length === 2) {
      if (token === undefined)
        return errors(401, 'Authentication required.', `${EXCEPTION}.AuthorisationException`, limits);
      const user = Object.values(data.tokens).find((u) => u.login === ownerSegment.toLowerCase());
      if (user === undefined)
        return errors(
          404,
          `User ${ownerSegment} does not exist.`,
          `${EXCEPTION}.user.NoSuchUserException`,
          limits,
        );
      const body = {
        name: user.login,
        emailAddress: `${user.login}@example.test`,
        id: user.id,
        displayName: user.login,
        active: true,
        slug: user.login,
        type: 'NORMAL',
        links: { self: [{ href: `${webBase}/users/${user.login}` }] },
      };
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json;charset=UTF-8', ...limits },
      });
    }
    const owner =
      scope === 'projects'
        ? ownerSegment
        : scope === 'users' && ownerSegment !== undefined
          ? `~${ownerSegment}`
          : undefined;
    if (owner === undefined || repos !== 'repos' || slug === undefined || slug === '') {
      return errors(404, 'Not found', null, limits);
    }
    const repo = findRepo(data, owner, slug);
    if (repo === undefined) {
      const projectExists = data.repos.some((r) => r.owner.toLowerCase() === owner.toLowerCase());
      return projectExists
        ? errors(
            404,
            `Repository ${owner.toUpperCase()}/${slug} does not exist.`,
            `${EXCEPTION}.repository.NoSuchRepositoryException`,
            limits,
          )
        : errors(
            404,
            `Project ${owner.toUpperCase()} does not exist.`,
            `${EXCEPTION}.project.NoSuchProjectException`,
            limits,
          );
    }
    if (!canSee(data, repo, token)) {
      // Bitbucket Server answers 401 (not 403) to a caller who may not read the repository.
      return errors(
        401,
        'You are not permitted to access this resource',
        `${EXCEPTION}.AuthorisationException`,
        limits,
      );
    }
    const links = new Links(apiBase, webBase, repo);
    const reply = route(data, repo, rest, url.searchParams, links);
    const headers = new Headers(limits);
    if (reply.text !== undefined) {
      headers.set('content-type', 'text/plain; charset=utf-8');
      return new Response(reply.text, { status: reply.status, headers });
    }
    headers.set('content-type', 'application/json;charset=UTF-8');
    return new Response(JSON.stringify(reply.json), { status: reply.status, headers });
  };
}

interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
}

function route(
  data: FakeHostData,
  repo: FakeRepo,
  rest: readonly string[],
  query: URLSearchParams,
  links: Links,
): Reply {
  const [what, ...more] = rest;
  switch (what) {
    case undefined:
    case '':
      return json(repositoryJson(data, repo, links));
    case 'default-branch':
      return json({ id: `refs/heads/${repo.defaultBranch}`, displayId: repo.defaultBranch, type: 'BRANCH' });
    case 'branches': {
      if (more[0] === 'default' && more.length === 1) {
        const sha = repo.branches[repo.defaultBranch];
        if (sha === undefined) return noSuch('branch', `Branch ${repo.defaultBranch} does not exist.`);
        return json(branchJson(repo, repo.defaultBranch, sha));
      }
      const filter = (query.get('filterText') ?? '').toLowerCase();
      let names = Object.keys(repo.branches).filter((n) => n.toLowerCase().includes(filter));
      names.sort();
      if (query.get('boostMatches') === 'true' && filter !== '') {
        const exact = names.filter((n) => n.toLowerCase() === filter);
        const prefix = names.filter((n) => n.toLowerCase() !== filter && n.toLowerCase().startsWith(filter));
        names = [...exact, ...prefix, ...names.filter((n) => !exact.includes(n) && !prefix.includes(n))];
      }
      return json(page(names, query, (n) => branchJson(repo, n, repo.branches[n] ?? '')));
    }
    case 'tags': {
      if (more.length > 0) {
        // `tags/{name:.*}`: a tag's name may hold slashes.
        const name = more.join('/');
        const sha = repo.tags[name];
        if (sha === undefined) return noSuch('tag', `Tag ${name} does not exist in this repository.`);
        return json(tagJson(name, sha));
      }
      const filter = (query.get('filterText') ?? '').toLowerCase();
      const names = Object.keys(repo.tags)
        .filter((n) => n.toLowerCase().includes(filter))
        .sort();
      return json(page(names, query, (n) => tagJson(n, repo.tags[n] ?? '')));
    }
    case 'commits': {
      if (more.length > 0) {
        const id = more.join('/');
        const commit = commitAt(repo, id);
        if (commit === undefined) return noSuchCommit(repo, id);
        return json(commitJson(commit));
      }
      const until = query.get('until') ?? undefined;
      const tip = commitAt(repo, until);
      if (tip === undefined) return noSuchCommit(repo, until ?? repo.defaultBranch);
      const limit = pageLimit(query);
      const start = Math.max(0, Number(query.get('start') ?? 0) || 0);
      const chain = history(repo, tip.sha, start + limit + 1);
      return json(page(chain, query, commitJson));
    }
    case 'raw': {
      const at = query.get('at') ?? undefined;
      const commit = commitAt(repo, at);
      if (commit === undefined) return noSuchCommit(repo, at ?? repo.defaultBranch);
      const path = more.filter((p) => p !== '').join('/');
      const found = pathAt(commit, path);
      if (found?.kind !== 'file') return noSuchPath(path, at ?? repo.defaultBranch);
      return { status: 200, text: found.text };
    }
    case 'browse':
      return browse(repo, more, query);
    case 'pull-requests': {
      const pull = repo.pulls.find((p) => String(p.number) === more[0]);
      if (pull === undefined || more.length !== 1) {
        return noSuch(
          'pull.NoSuchPullRequest',
          `Pull request ${more[0] ?? ''} does not exist in ${fullName(repo)}.`,
        );
      }
      return json(pullJson(data, repo, pull, links));
    }
    default:
      return {
        status: 404,
        json: { errors: [{ context: null, message: 'Not found', exceptionName: null }] },
      };
  }
}

/** `at`: absent → the default branch; `refs/heads/x`, `refs/tags/x`, or a bare name / (abbreviated) commit id. */
function commitAt(repo: FakeRepo, at: string | undefined): FakeCommit | undefined {
  let sha: string | undefined;
  if (at === undefined || at === '') sha = repo.branches[repo.defaultBranch];
  else if (at.startsWith('refs/heads/')) sha = repo.branches[at.slice('refs/heads/'.length)];
  else if (at.startsWith('refs/tags/')) sha = repo.tags[at.slice('refs/tags/'.length)];
  else sha = resolveCommitish(repo, at)?.sha;
  return sha === undefined ? undefined : repo.commits[sha];
}

function browse(repo: FakeRepo, more: readonly string[], query: URLSearchParams): Reply {
  const at = query.get('at') ?? undefined;
  const commit = commitAt(repo, at);
  if (commit === undefined) return noSuchCommit(repo, at ?? repo.defaultBranch);
  const path = more.filter((p) => p !== '').join('/');
  const found = pathAt(commit, path);
  if (found === undefined) return noSuchPath(path, at ?? repo.defaultBranch);
  if (found.kind === 'file') {
    // A file answers a page of `lines` (not `values`); a folder a page of `children`.
    const { values, ...paging } = page(found.text.replace(/\n$/, '').split('\n'), query, (text) => ({
      text,
    }));
    return json({ lines: values, ...paging });
  }
  const children = found.entries
    .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'folder' ? -1 : 1))
    .map((e) => {
      const full = path === '' ? e.name : `${path}/${e.name}`;
      return {
        path: pathJson(e.name),
        contentId: e.kind === 'file' ? blobId(commit, full) : undefined,
        type: e.kind === 'file' ? 'FILE' : 'DIRECTORY',
        ...(e.kind === 'file' && { size: new TextEncoder().encode(commit.files[full] ?? '').length }),
      };
    });
  return json({
    path: pathJson(path),
    revision: at ?? `refs/heads/${repo.defaultBranch}`,
    children: page(children, query, (c) => c),
  });
}

function pathJson(path: string): unknown {
  const components = path === '' ? [] : path.split('/');
  const name = components[components.length - 1] ?? '';
  const dot = name.lastIndexOf('.');
  return {
    components,
    parent: components.slice(0, -1).join('/'),
    name,
    ...(dot > 0 && { extension: name.slice(dot + 1) }),
    toString: path,
  };
}

/** A stable stand-in for a blob id (the model has no blob objects). */
function blobId(commit: FakeCommit, path: string): string {
  let hash = 0;
  for (const ch of `${commit.sha}:${path}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(5);
}

// ---------------------------------------------------------------------------------------------------------------
// Repositories, refs, commits, pull requests.

class Links {
  readonly repoWeb: string;
  constructor(
    readonly apiBase: string,
    readonly webBase: string,
    repo: FakeRepo,
  ) {
    this.repoWeb = `${webBase}/${repoWebPath(repo)}`;
  }
}

const isPersonal = (repo: FakeRepo): boolean => repo.owner.startsWith('~');

function repoWebPath(repo: FakeRepo): string {
  return isPersonal(repo)
    ? `users/${repo.owner.slice(1).toLowerCase()}/repos/${repo.name}`
    : `projects/${repo.owner.toUpperCase()}/repos/${repo.name}`;
}

function projectJson(repo: FakeRepo, webBase: string): unknown {
  if (isPersonal(repo)) {
    const user = repo.owner.slice(1).toLowerCase();
    return {
      key: `~${user.toUpperCase()}`,
      id: 100 + repo.id,
      name: user,
      type: 'PERSONAL',
      owner: {
        name: user,
        emailAddress: `${user}@launchpod.test`,
        id: 200 + repo.id,
        displayName: user,
        active: true,
        slug: user,
        type: 'NORMAL',
        links: { self: [{ href: `${webBase}/users/${user}` }] },
      },
      links: { self: [{ href: `${webBase}/users/${user}` }] },
    };
  }
  const key = repo.owner.toUpperCase();
  return {
    key,
    id: 1,
    name: key,
    public: true,
    type: 'NORMAL',
    links: { self: [{ href: `${webBase}/projects/${key}` }] },
  };
}

function repositoryJson(data: FakeHostData, repo: FakeRepo, links: Links): unknown {
  const origin = repo.forkOf === undefined ? undefined : data.repos.find((r) => fullName(r) === repo.forkOf);
  const host = new URL(links.webBase).hostname;
  const scmOwner = repo.owner.toLowerCase();
  return {
    slug: repo.name,
    id: repo.id,
    name: repo.name,
    hierarchyId: `${'0'.repeat(19)}${repo.id}`.slice(-20),
    scmId: 'git',
    state: 'AVAILABLE',
    statusMessage: 'Available',
    forkable: true,
    ...(origin !== undefined && {
      origin: repositoryJson(data, origin, new Links(links.apiBase, links.webBase, origin)),
    }),
    project: projectJson(repo, links.webBase),
    public: !repo.private,
    archived: false,
    links: {
      clone: [
        { href: `${links.webBase}/scm/${scmOwner}/${repo.name}.git`, name: 'http' },
        { href: `ssh://git@${host}:7999/${scmOwner}/${repo.name}.git`, name: 'ssh' },
      ],
      self: [{ href: `${links.repoWeb}/browse` }],
    },
  };
}

function branchJson(repo: FakeRepo, name: string, sha: string): unknown {
  return {
    id: `refs/heads/${name}`,
    displayId: name,
    type: 'BRANCH',
    latestCommit: sha,
    latestChangeset: sha,
    isDefault: name === repo.defaultBranch,
  };
}

function tagJson(name: string, sha: string): unknown {
  return {
    id: `refs/tags/${name}`,
    displayId: name,
    type: 'TAG',
    latestCommit: sha,
    latestChangeset: sha,
    hash: null,
  };
}

function person(login: string): unknown {
  return { name: login, emailAddress: `${login}@launchpod.test`, displayName: login };
}

function commitJson(commit: FakeCommit): unknown {
  const at = Date.parse(commit.date);
  return {
    id: commit.sha,
    displayId: commit.sha.slice(0, 11),
    author: person(commit.author),
    authorTimestamp: at,
    committer: person(commit.author),
    committerTimestamp: at,
    message: commit.message,
    parents: commit.parents.map((p) => ({ id: p, displayId: p.slice(0, 11) })),
  };
}

function pullJson(data: FakeHostData, repo: FakeRepo, pull: FakePull, links: Links): unknown {
  const head = data.repos.find((r) => fullName(r) === pull.headRepo);
  const state = pull.state === 'open' ? 'OPEN' : pull.state === 'merged' ? 'MERGED' : 'DECLINED';
  const ref = (name: string, sha: string, of: FakeRepo | undefined) => ({
    id: `refs/heads/${name}`,
    displayId: name,
    latestCommit: sha,
    type: 'BRANCH',
    repository:
      of === undefined ? null : repositoryJson(data, of, new Links(links.apiBase, links.webBase, of)),
  });
  const user = {
    name: pull.author,
    emailAddress: `${pull.author}@launchpod.test`,
    id: 300 + pull.number,
    displayName: pull.author,
    active: true,
    slug: pull.author,
    type: 'NORMAL',
  };
  return {
    id: pull.number,
    version: 0,
    title: pull.title,
    description: '',
    state,
    open: state === 'OPEN',
    closed: state !== 'OPEN',
    createdDate: Date.UTC(2026, 9, 4, 12),
    updatedDate: Date.UTC(2026, 9, 5, 12),
    fromRef: ref(pull.headRef, pull.headSha, head),
    toRef: ref(pull.baseRef, repo.branches[pull.baseRef] ?? '', repo),
    locked: false,
    author: { user, role: 'AUTHOR', approved: false, status: 'UNAPPROVED' },
    reviewers: [],
    participants: [],
    links: { self: [{ href: `${links.repoWeb}/pull-requests/${pull.number}` }] },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pages, errors, small readers.

function pageLimit(query: URLSearchParams): number {
  return Math.min(MAX_LIMIT, Math.max(1, Number(query.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
}

interface Page {
  readonly size: number;
  readonly limit: number;
  readonly isLastPage: boolean;
  readonly values: unknown[];
  readonly start: number;
  readonly nextPageStart?: number;
}

/** Bitbucket Server's page: `size`, `limit`, `isLastPage`, `values`, `start`, and `nextPageStart` while more remain. */
function page<T>(items: readonly T[], query: URLSearchParams, render: (item: T) => unknown): Page {
  const limit = pageLimit(query);
  const start = Math.max(0, Number(query.get('start') ?? 0) || 0);
  const slice = items.slice(start, start + limit);
  const isLastPage = start + limit >= items.length;
  return {
    size: slice.length,
    limit,
    isLastPage,
    values: slice.map(render),
    start,
    ...(!isLastPage && { nextPageStart: start + limit }),
  };
}

const json = (body: unknown): Reply => ({ status: 200, json: body });

function noSuch(kind: string, message: string): Reply {
  const exception =
    kind === 'branch'
      ? `${EXCEPTION}.repository.NoSuchBranchException`
      : kind === 'tag'
        ? `${EXCEPTION}.repository.NoSuchTagException`
        : `${EXCEPTION}.${kind}Exception`;
  return { status: 404, json: { errors: [{ context: null, message, exceptionName: exception }] } };
}

function noSuchCommit(repo: FakeRepo, id: string): Reply {
  return {
    status: 404,
    json: {
      errors: [
        {
          context: null,
          message: `Commit '${id}' does not exist in repository '${repo.name}'.`,
          exceptionName: `${EXCEPTION}.commit.NoSuchCommitException`,
        },
      ],
    },
  };
}

function noSuchPath(path: string, at: string): Reply {
  return {
    status: 404,
    json: {
      errors: [
        {
          context: null,
          message: `The path "${path}" does not exist at revision "${at}"`,
          exceptionName: `${EXCEPTION}.content.NoSuchPathException`,
        },
      ],
    },
  };
}

function errors(
  status: number,
  message: string,
  exceptionName: string | null,
  headers: Record<string, string>,
): Response {
  return new Response(JSON.stringify({ errors: [{ context: null, message, exceptionName }] }), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

/** A push as Bitbucket Server / Data Center delivers it (X-Hub-Signature over the body). */
export async function bitbucketServerPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const body = JSON.stringify({
    eventKey: 'repo:refs_changed',
    repository: { slug: push.name, project: { key: push.owner }, public: !push.private },
    changes: [
      {
        ref: { id: `refs/heads/${push.branch}`, displayId: push.branch, type: 'BRANCH' },
        fromHash: '0'.repeat(40),
        toHash: push.sha,
        type: 'UPDATE',
      },
    ],
  });
  const headers = {
    'content-type': 'application/json',
    'x-event-key': 'repo:refs_changed',
    'x-request-id': push.delivery,
    'x-hub-signature': `sha256=${await hmacHex(secret, body)}`,
  };
  return { headers, body };
}
