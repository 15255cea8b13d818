// A fake Gitea / Forgejo API v1 serving the sample model in the swagger's real shapes (templates/swagger/v1_json.tmpl):
// Repository, Branch, Reference (the ref-prefix listing: an array, one object for a single exact match, 404 for
// none), Tag, Commit, ContentsResponse (an array for a folder), raw files, PullRequest (head.ref falls back to
// `refs/pull/{n}/head` when the head branch is gone), Issue (`pull_request` set when the number is a PR), the
// signed-in user, `/version`; `page`/`limit` paging with `X-Total-Count` and `Link`; `{"message","url"}` error
// bodies; a reverse proxy's 429 with `Retry-After` (Codeberg). Works under any sub-path (`/git/api/v1`), so a
// self-hosted instance at `https://corp.example/git/` is served too. Web APIs only: runs inside workerd and Node.

import { giteaWebPage } from './gitea-web.ts';
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
import { decode } from './request-parts.ts';
import { type Delivery, hmacHex, type PushFacts } from './webhook-signing.ts';

export interface FakeGiteaOptions {
  /** Answer every request 429 with `Retry-After`, as Codeberg's proxy does under load. */
  readonly rateLimited?: boolean;
  /** `Retry-After` seconds on a 429 (default 30). */
  readonly retryAfterSeconds?: number;
  /** Answer 502 this many times before behaving. */
  readonly failTimes?: number;
  /** What `/version` says (default a Forgejo version string). */
  readonly version?: string;
}

type Handler = (request: Request) => Promise<Response>;
type Reply = { status: number; json?: unknown; text?: string; headers?: Record<string, string> };

const MARKER = '/api/v1/';
const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 50;

export function fakeGitea(data: FakeHostData, options: FakeGiteaOptions = {}): Handler {
  let failuresLeft = options.failTimes ?? 0;
  return async (request) => {
    const url = new URL(request.url);
    if (failuresLeft > 0) {
      failuresLeft--;
      return new Response('<html><body>502 Bad Gateway</body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      });
    }
    if (options.rateLimited === true) {
      return Response.json(
        { message: 'rate limit exceeded' },
        { status: 429, headers: { 'retry-after': String(options.retryAfterSeconds ?? 30) } },
      );
    }
    const at = url.pathname.indexOf(MARKER);
    // Outside the API: the instance's web pages (the offline demo's button door).
    if (at === -1 && request.method === 'GET') return giteaWebPage(data, url) ?? notFound(url);
    if (at === -1 || request.method !== 'GET') return notFound(url);
    const apiBase = `${url.origin}${url.pathname.slice(0, at)}${MARKER.slice(0, -1)}`;
    const webBase = `${url.origin}${url.pathname.slice(0, at)}`;
    const token = tokenOf(request.headers.get('authorization'));
    if (token === null || (token !== undefined && data.tokens[token] === undefined)) {
      return Response.json(
        { message: 'user does not exist [uid: 0, name: ]', url: `${apiBase}/swagger` },
        {
          status: 401,
        },
      );
    }
    const parts = url.pathname
      .slice(at + MARKER.length)
      .split('/')
      .map(decode);
    const reply = route(data, parts, url.searchParams, token, { apiBase, webBase }, options);
    const headers = { 'content-type': 'application/json;charset=utf-8', ...reply.headers };
    if (reply.text !== undefined)
      return new Response(reply.text, {
        status: reply.status,
        headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      });
    if (reply.json === undefined && reply.status === 404) return notFound(url, apiBase);
    return new Response(JSON.stringify(reply.json ?? null), { status: reply.status, headers });
  };
}

interface Links {
  readonly apiBase: string;
  readonly webBase: string;
}

function route(
  data: FakeHostData,
  parts: readonly string[],
  query: URLSearchParams,
  token: string | undefined,
  links: Links,
  options: FakeGiteaOptions,
): Reply {
  const [first, owner, name, kind, ...more] = parts;
  if (first === 'version') return ok({ version: options.version ?? '9.0.0+gitea-1.22.0' });
  if (first === 'user' && parts.length === 1) {
    const user = token === undefined ? undefined : data.tokens[token];
    if (user === undefined)
      return { status: 401, json: { message: 'token is required', url: links.apiBase } };
    return ok({ id: user.id, login: user.login, full_name: user.login, email: `${user.login}@noreply.test` });
  }
  if (first !== 'repos' || owner === undefined || name === undefined) return { status: 404 };
  const repo = findRepo(data, owner, name);
  // Gitea answers a private repository the caller cannot read exactly like a missing one.
  if (repo === undefined || !canSee(data, repo, token)) return { status: 404 };
  if (kind === undefined) return ok(repositoryJson(data, repo, links));
  const rest = more.join('/');
  switch (kind) {
    case 'branches': {
      if (rest === '') {
        return paged(Object.entries(repo.branches), query, links, ([b, sha]) => branchJson(repo, b, sha));
      }
      const sha = repo.branches[rest];
      return sha === undefined ? { status: 404 } : ok(branchJson(repo, rest, sha));
    }
    case 'tags': {
      const sha = repo.tags[rest];
      return sha === undefined ? { status: 404 } : ok(tagJson(links, repo, rest, sha));
    }
    case 'git': {
      const [what, ...after] = more;
      if (what === 'refs') return refs(repo, after.join('/'), links);
      if (what === 'commits') {
        const id = after[0] ?? '';
        if (!/^[0-9a-f]{4,64}$/i.test(id))
          return unprocessable(`object does not exist [id: ${id}, rel_path: ]`);
        const found = resolveCommitish(repo, id);
        const commit = found?.kind === 'commit' ? repo.commits[found.sha] : undefined;
        return commit === undefined ? { status: 404 } : ok(commitJson(repo, commit, links));
      }
      return { status: 404 };
    }
    case 'commits': {
      if (rest !== '') return { status: 404 };
      const ref = query.get('sha') || repo.defaultBranch;
      const found = resolveCommitish(repo, ref);
      if (Object.keys(repo.commits).length === 0)
        return { status: 409, json: { message: 'Git Repository is empty.', url: links.apiBase } };
      if (found === undefined) return { status: 404 };
      const all = history(repo, found.sha, 10_000);
      return paged(all, query, links, (c) => commitJson(repo, c, links));
    }
    case 'contents': {
      const commit = commitAt(repo, query.get('ref'));
      if (commit === undefined) return { status: 404 };
      const found = pathAt(commit, rest);
      if (found === undefined)
        return {
          status: 404,
          json: { message: `object does not exist [id: , rel_path: ${rest}]`, url: links.apiBase },
        };
      if (found.kind === 'file') return ok(contentJson(repo, commit, rest, found.text, links));
      return ok(
        found.entries.map((e) => ({
          name: e.name,
          path: rest === '' ? e.name : `${rest}/${e.name}`,
          type: e.kind === 'file' ? 'file' : 'dir',
          sha: commit.sha,
          last_commit_sha: commit.sha,
        })),
      );
    }
    case 'raw': {
      const commit = commitAt(repo, query.get('ref'));
      const found = commit === undefined ? undefined : pathAt(commit, rest);
      if (found?.kind !== 'file')
        return {
          status: 404,
          json: { message: `object does not exist [id: , rel_path: ${rest}]`, url: links.apiBase },
        };
      return { status: 200, text: found.text };
    }
    case 'pulls': {
      const number = Number(rest);
      const pull = repo.pulls.find((p) => p.number === number);
      return pull === undefined ? { status: 404 } : ok(pullJson(data, repo, pull, links));
    }
    case 'issues': {
      const number = Number(rest);
      const pull = repo.pulls.find((p) => p.number === number);
      if (pull !== undefined)
        return ok(issueJson(repo, number, pull.title, pull.author, pull.state, links, true));
      const issue = repo.issues.find((i) => i.number === number);
      if (issue === undefined) return { status: 404 };
      return ok(issueJson(repo, number, issue.title, issue.author, issue.state, links, false));
    }
    default:
      return { status: 404 };
  }
}

/** `git/refs/heads/feat` → every ref whose full name starts with `refs/heads/feat` (a plain string prefix). */
function refs(repo: FakeRepo, prefix: string, links: Links): Reply {
  const all = [
    ...Object.entries(repo.branches).map(([b, sha]) => [`refs/heads/${b}`, sha] as const),
    ...Object.entries(repo.tags).map(([t, sha]) => [`refs/tags/${t}`, sha] as const),
  ].sort(([a], [b]) => (a < b ? -1 : 1));
  const wanted = `refs/${prefix}`;
  const matches = all.filter(([ref]) => ref.startsWith(wanted));
  const json = matches.map(([ref, sha]) => ({
    ref,
    url: `${links.apiBase}/repos/${fullName(repo)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${links.apiBase}/repos/${fullName(repo)}/git/commits/${sha}` },
  }));
  if (json.length === 0) return { status: 404 };
  // A single exact match comes back as one object, not a list (routers/api/v1/repo/git_ref.go).
  const only = json[0];
  if (json.length === 1 && only !== undefined && only.ref === wanted) return ok(only);
  return ok(json);
}

function commitAt(repo: FakeRepo, ref: string | null): FakeCommit | undefined {
  const found = resolveCommitish(repo, ref || repo.defaultBranch);
  return found === undefined ? undefined : repo.commits[found.sha];
}

function ownerJson(login: string, id: number): unknown {
  return { id, login, full_name: '', avatar_url: '', username: login };
}

function repositoryJson(data: FakeHostData, repo: FakeRepo, links: Links): unknown {
  const parent = repo.forkOf === undefined ? undefined : data.repos.find((r) => fullName(r) === repo.forkOf);
  const [ownerLogin] = fullName(repo).split('/');
  const host = new URL(links.webBase).hostname;
  return {
    id: repo.id,
    owner: ownerJson(ownerLogin ?? repo.owner, repo.id * 10),
    name: repo.name,
    full_name: fullName(repo),
    description: '',
    empty: Object.keys(repo.commits).length === 0,
    private: repo.private,
    fork: repo.forkOf !== undefined,
    ...(parent !== undefined && { parent: repositoryJson(data, parent, links) }),
    mirror: false,
    archived: false,
    html_url: `${links.webBase}/${fullName(repo)}`,
    clone_url: `${links.webBase}/${fullName(repo)}.git`,
    ssh_url: `git@${host}:${fullName(repo)}.git`,
    default_branch: repo.defaultBranch,
    object_format_name: 'sha1',
    permissions: { admin: false, push: false, pull: true },
  };
}

function branchJson(repo: FakeRepo, name: string, sha: string): unknown {
  const commit = repo.commits[sha];
  return {
    name,
    commit: { id: sha, message: commit?.message ?? '', timestamp: commit?.date ?? '' },
    protected: name === repo.defaultBranch,
    user_can_push: false,
    user_can_merge: false,
  };
}

function tagJson(links: Links, repo: FakeRepo, name: string, sha: string): unknown {
  return {
    name,
    message: '',
    id: sha,
    commit: { sha, url: `${links.apiBase}/repos/${fullName(repo)}/git/commits/${sha}`, created: '' },
    zipball_url: `${links.webBase}/${fullName(repo)}/archive/${name}.zip`,
  };
}

function commitJson(repo: FakeRepo, commit: FakeCommit, links: Links): unknown {
  const person = { name: commit.author, email: `${commit.author}@noreply.test`, date: commit.date };
  return {
    url: `${links.apiBase}/repos/${fullName(repo)}/git/commits/${commit.sha}`,
    sha: commit.sha,
    created: commit.date,
    html_url: `${links.webBase}/${fullName(repo)}/commit/${commit.sha}`,
    commit: { message: commit.message, author: person, committer: person, tree: { sha: commit.sha } },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${links.apiBase}/repos/${fullName(repo)}/git/commits/${sha}`,
    })),
  };
}

function contentJson(repo: FakeRepo, commit: FakeCommit, path: string, text: string, links: Links): unknown {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return {
    name: path.split('/').pop() ?? path,
    path,
    sha: commit.sha,
    last_commit_sha: commit.sha,
    type: 'file',
    size: bytes.length,
    encoding: 'base64',
    content: btoa(binary),
    download_url: `${links.webBase}/${fullName(repo)}/raw/commit/${commit.sha}/${path}`,
  };
}

function pullJson(data: FakeHostData, repo: FakeRepo, pull: FakePull, links: Links): unknown {
  const head = data.repos.find((r) => fullName(r) === pull.headRepo);
  const gone = pull.headDeleted === true || head === undefined;
  return {
    id: repo.id * 1000 + pull.number,
    number: pull.number,
    title: pull.title,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged: pull.state === 'merged',
    draft: false,
    user: ownerJson(pull.author, 7),
    html_url: `${links.webBase}/${fullName(repo)}/pulls/${pull.number}`,
    head: {
      label: pull.headRef,
      // While the head branch exists Gitea names it; once it is gone, the ref the base repository keeps.
      ref: gone ? `refs/pull/${pull.number}/head` : pull.headRef,
      sha: pull.headSha,
      repo_id: gone ? 0 : head.id,
      ...(!gone && { repo: repositoryJson(data, head, links) }),
    },
    base: {
      label: pull.baseRef,
      ref: pull.baseRef,
      sha: repo.branches[pull.baseRef] ?? '',
      repo_id: repo.id,
      repo: repositoryJson(data, repo, links),
    },
    merge_base: repo.branches[pull.baseRef] ?? '',
    flow: 0,
  };
}

function issueJson(
  repo: FakeRepo,
  number: number,
  title: string,
  author: string,
  state: string,
  links: Links,
  isPull: boolean,
): unknown {
  return {
    id: repo.id * 1000 + number,
    number,
    title,
    user: ownerJson(author, 8),
    state: state === 'open' ? 'open' : 'closed',
    html_url: `${links.webBase}/${fullName(repo)}/${isPull ? 'pulls' : 'issues'}/${number}`,
    pull_request: isPull
      ? { merged: state === 'merged', html_url: `${links.webBase}/${fullName(repo)}/pulls/${number}` }
      : null,
  };
}

/** `page` (1-based) and `limit` (default 30, at most 50), `X-Total-Count` and a `Link` header, as Gitea pages. */
function paged<T>(
  items: readonly T[],
  query: URLSearchParams,
  links: Links,
  render: (item: T) => unknown,
): Reply {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(query.get('limit')) || DEFAULT_LIMIT));
  const page = Math.max(1, Number(query.get('page')) || 1);
  const slice = items.slice((page - 1) * limit, page * limit);
  const last = Math.max(1, Math.ceil(items.length / limit));
  const link =
    page < last
      ? `<${links.apiBase}?page=${page + 1}&limit=${limit}>; rel="next",<${links.apiBase}?page=${last}&limit=${limit}>; rel="last"`
      : '';
  return {
    status: 200,
    json: slice.map(render),
    headers: { 'x-total-count': String(items.length), ...(link !== '' && { link }) },
  };
}

const ok = (json: unknown): Reply => ({ status: 200, json });

const unprocessable = (message: string): Reply => ({ status: 422, json: { message, url: '' } });

function notFound(url: URL, apiBase = `${url.origin}/api/v1`): Response {
  return Response.json(
    { errors: null, message: "The target couldn't be found.", url: `${apiBase}/swagger` },
    { status: 404 },
  );
}

/** `token <t>` (personal access token) or `Bearer <t>` (OAuth2); undefined without a header, null for another scheme. */
function tokenOf(header: string | null): string | undefined | null {
  if (header === null) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * A push as Gitea and Forgejo deliver it: `X-Gitea-Event: push` (and Forgejo's `X-Forgejo-Event`), the delivery
 * in `X-Gitea-Delivery`, `X-Gitea-Signature` = hex HMAC-SHA256 of the body (plus the GitHub-style
 * `X-Hub-Signature-256`); payload fields as in woodpecker's HookPush.json fixture.
 */
export async function giteaPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const full = `${push.owner}/${push.name}`;
  const body = JSON.stringify({
    ref: `refs/heads/${push.branch}`,
    before: '0'.repeat(40),
    after: push.sha,
    compare_url: '',
    commits: [{ id: push.sha, message: 'Update', url: '' }],
    head_commit: { id: push.sha, message: 'Update' },
    repository: {
      id: 1,
      owner: { login: push.owner, username: push.owner },
      name: push.name,
      full_name: full,
      private: push.private,
      default_branch: push.defaultBranch,
    },
    pusher: { login: 'sample-bot', username: 'sample-bot' },
    sender: { login: 'sample-bot', username: 'sample-bot' },
  });
  const hex = await hmacHex(secret, body);
  const headers = {
    'content-type': 'application/json',
    'x-gitea-event': 'push',
    'x-gitea-event-type': 'push',
    'x-forgejo-event': 'push',
    'x-gitea-delivery': push.delivery,
    'x-forgejo-delivery': push.delivery,
    'x-gitea-signature': hex,
    'x-forgejo-signature': hex,
    'x-hub-signature-256': `sha256=${hex}`,
  };
  return { headers, body };
}
