// A fake GitHub (github.com or GitHub Enterprise) serving the sample model: the REST endpoints the launcher uses and
// `POST /graphql`, in GitHub's real response shapes (error bodies, rate-limit headers, Link pagination).
// Web APIs only, so it runs inside workerd and under Node. Never reveals a private repository to a stranger.

import { utf8Bytes } from '../../shared/digest.ts';
import {
  executeGraphql,
  type GitHubWorld,
  type GitObject,
  isOrganization,
  objectAtPath,
  refTarget,
  revision,
  tagObjectSha,
} from './github-graphql.ts';
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
} from './model.ts';
import { type Delivery, hmacHex, type PushFacts } from './webhook-signing.ts';

export interface FakeGitHubOptions {
  /** Where the REST API is mounted: `''` on api.github.com, `/api/v3` on GitHub Enterprise. */
  readonly apiPrefix?: string;
  /** `/graphql` on api.github.com, `/api/graphql` on GitHub Enterprise. */
  readonly graphqlPath?: string;
  /** Origin of `html_url` fields; default `https://<data.hostname>`. */
  readonly webOrigin?: string;
  /** Answer every request as over the primary rate limit (REST: 403, GraphQL: `RATE_LIMITED`). */
  readonly rateLimited?: boolean;
  /** Seconds until the rate-limit window resets, for `x-ratelimit-reset` (default 1800). */
  readonly resetInSeconds?: number;
  /** Answer 502 this many times before behaving (`Infinity`: always). */
  readonly failTimes?: number;
  /** Clock for `x-ratelimit-reset`; default `Date.now`. */
  readonly now?: () => number;
  /** Serve tags as annotated tag objects (clients must peel them) instead of lightweight refs. */
  readonly annotatedTags?: boolean;
  /** Default page size of list endpoints (GitHub's is 30; `per_page` may ask for up to 100). */
  readonly pageSize?: number;
}

type Handler = (request: Request) => Promise<Response>;

const DOCS = 'https://docs.github.com/rest';

export function fakeGitHub(data: FakeHostData, options: FakeGitHubOptions = {}): Handler {
  const apiPrefix = (options.apiPrefix ?? '').replace(/\/+$/, '');
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const webOrigin = options.webOrigin ?? `https://${data.hostname}`;
  const now = options.now ?? Date.now;
  let failuresLeft = options.failTimes ?? 0;
  const used = new Map<string, number>();

  return async (request) => {
    const url = new URL(request.url);
    const isGraphql = url.pathname === graphqlPath;
    const token = bearer(request.headers.get('authorization'));
    const viewer = token === undefined ? undefined : data.tokens[token];
    const resource = isGraphql ? 'graphql' : 'core';
    const limit = token === undefined ? 60 : 5000;
    const key = `${resource}:${token ?? 'anonymous'}`;
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    const limited = options.rateLimited === true;
    const rateHeaders: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': limited ? '0' : String(Math.max(0, limit - count)),
      'x-ratelimit-reset': String(Math.floor(now() / 1000) + (options.resetInSeconds ?? 1800)),
      'x-ratelimit-used': String(limited ? limit : count),
      'x-ratelimit-resource': resource,
      'x-github-request-id': `FAKE:${count.toString(16).toUpperCase()}`,
    };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      json(status, body, { ...rateHeaders, ...extra });

    if (failuresLeft > 0) {
      failuresLeft--;
      return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html', ...rateHeaders },
      });
    }
    if (token !== undefined && viewer === undefined) {
      return reply(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }

    if (isGraphql) {
      if (request.method !== 'POST')
        return reply(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      if (viewer === undefined) {
        return reply(401, {
          message: 'This endpoint requires you to be authenticated.',
          documentation_url:
            'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
        });
      }
      if (limited) {
        return reply(200, {
          errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for user ID ${viewer.id}.` }],
        });
      }
      const body = await request.json().catch(() => undefined);
      const world: GitHubWorld = { data, token, webOrigin, annotatedTags: options.annotatedTags ?? false };
      return reply(200, await executeGraphql(world, viewer, body));
    }

    if (limited) {
      return reply(403, {
        message:
          viewer === undefined
            ? "API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
            : `API rate limit exceeded for user ID ${viewer.id}.`,
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      });
    }
    if (request.method !== 'GET' || !url.pathname.startsWith(`${apiPrefix}/`)) {
      return reply(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
    const segments = url.pathname
      .slice(apiPrefix.length + 1)
      .split('/')
      .map((s) => safeDecode(s));
    const rest = new RestApi(
      { data, token, webOrigin, annotatedTags: options.annotatedTags ?? false },
      `${url.origin}${apiPrefix}`,
      rateHeaders,
    );
    return rest.route(
      segments,
      url.searchParams,
      request.headers.get('accept') ?? '',
      options.pageSize ?? 30,
    );
  };
}

/** The REST endpoints, one method each, over one caller's view of the data. */
class RestApi {
  constructor(
    private readonly world: GitHubWorld,
    private readonly api: string,
    private readonly rateHeaders: Readonly<Record<string, string>>,
  ) {}

  private reply(status: number, body: unknown, extra: Record<string, string> = {}): Response {
    return json(status, body, { ...this.rateHeaders, ...extra });
  }

  route(segments: readonly string[], query: URLSearchParams, accept: string, pageSize: number): Response {
    const [top, owner, name, section, ...rest] = segments;
    if (top !== 'repos' || owner === undefined || name === undefined) return this.notFound();
    const repo = findRepo(this.world.data, owner, name);
    if (repo === undefined || !canSee(this.world.data, repo, this.world.token)) {
      return this.notFound('repos/repos#get-a-repository');
    }
    const tail = rest.join('/');
    switch (section) {
      case undefined:
      case '':
        return this.reply(200, this.repoJson(repo));
      case 'commits':
        return tail === '' ? this.commitList(repo, query, pageSize) : this.commit(repo, tail, accept);
      case 'branches':
        return this.branch(repo, tail);
      case 'git':
        return this.git(repo, rest, query, pageSize);
      case 'contents':
        return this.contents(repo, tail, query.get('ref'), accept);
      case 'pulls': {
        const pull = repo.pulls.find((p) => String(p.number) === tail);
        return pull === undefined
          ? this.notFound('pulls/pulls#get-a-pull-request')
          : this.reply(200, this.pullJson(repo, pull));
      }
      case 'issues': {
        const number = Number(tail);
        const pull = repo.pulls.find((p) => p.number === number);
        const issue = repo.issues.find((i) => i.number === number);
        if (pull !== undefined) return this.reply(200, this.issueJson(repo, pull, pull));
        if (issue !== undefined) return this.reply(200, this.issueJson(repo, issue));
        return this.notFound('issues/issues#get-an-issue');
      }
      default:
        return this.notFound();
    }
  }

  private notFound(doc?: string, message = 'Not Found'): Response {
    return this.reply(404, {
      message,
      documentation_url: doc === undefined ? DOCS : `${DOCS}/${doc}`,
      status: '404',
    });
  }

  /** `GET /repos/{o}/{r}/commits?sha=&per_page=`: first-parent history from `sha` (default branch), newest first. */
  private commitList(repo: FakeRepo, query: URLSearchParams, pageSize: number): Response {
    const ref = query.get('sha') ?? repo.defaultBranch;
    const found = revision(this.world, repo, ref);
    const tip = found === undefined ? undefined : peel(found);
    if (tip === undefined) {
      return this.reply(404, {
        message: `No commit found for SHA: ${ref}`,
        documentation_url: `${DOCS}/commits/commits#list-commits`,
        status: '404',
      });
    }
    const perPage = Math.min(100, Number(query.get('per_page') ?? pageSize) || pageSize);
    return this.reply(
      200,
      history(repo, tip.sha, perPage).map((c) => this.commitJson(repo, c)),
    );
  }

  private commit(repo: FakeRepo, ref: string, accept: string): Response {
    const found = ref === '' ? undefined : revision(this.world, repo, ref);
    const commit = found === undefined ? undefined : peel(found);
    if (commit === undefined) {
      return this.reply(422, {
        message: `No commit found for SHA: ${ref}`,
        documentation_url: `${DOCS}/commits/commits#get-a-commit`,
        status: '422',
      });
    }
    if (accept.includes('application/vnd.github.sha')) {
      return new Response(commit.sha, {
        status: 200,
        headers: {
          ...this.rateHeaders,
          'content-type': 'application/vnd.github.sha; charset=utf-8',
          'x-github-media-type': 'github.v3; param=sha',
        },
      });
    }
    return this.reply(200, this.commitJson(repo, commit));
  }

  private branch(repo: FakeRepo, name: string): Response {
    const sha = repo.branches[name];
    const commit = sha === undefined ? undefined : repo.commits[sha];
    if (commit === undefined) return this.notFound('branches/branches#get-a-branch', 'Branch not found');
    return this.reply(200, {
      name,
      commit: this.commitJson(repo, commit),
      _links: {
        self: `${this.api}/repos/${fullName(repo)}/branches/${name}`,
        html: `${this.web(repo)}/tree/${name}`,
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
      },
      protection_url: `${this.api}/repos/${fullName(repo)}/branches/${name}/protection`,
    });
  }

  private git(repo: FakeRepo, rest: readonly string[], query: URLSearchParams, pageSize: number): Response {
    const [kind, ...more] = rest;
    const name = more.join('/');
    if (kind === 'ref') {
      const target = name === '' ? undefined : refTarget(this.world, repo, `refs/${name}`);
      if (target === undefined) return this.notFound('git/refs#get-a-reference');
      return this.reply(200, this.refJson(repo, `refs/${name}`, target));
    }
    if (kind === 'matching-refs') {
      const all = [
        ...Object.keys(repo.branches).map((b) => `refs/heads/${b}`),
        ...Object.keys(repo.tags).map((t) => `refs/tags/${t}`),
      ]
        .filter((ref) => ref.startsWith(`refs/${name}`))
        .sort();
      const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? pageSize) || pageSize));
      const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
      const items = all.slice((page - 1) * perPage, page * perPage).map((ref) => {
        const target = refTarget(this.world, repo, ref);
        return target === undefined ? undefined : this.refJson(repo, ref, target);
      });
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number, rel: string) =>
        `<${this.api}/repos/${fullName(repo)}/git/matching-refs/${name}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ];
      return this.reply(
        200,
        items.filter((i) => i !== undefined),
        links.length > 0 ? { link: links.join(', ') } : {},
      );
    }
    if (kind === 'tags' && this.world.annotatedTags) {
      const tag = Object.entries(repo.tags).find(([t]) => tagObjectSha(repo, t) === name);
      const commit = tag === undefined ? undefined : repo.commits[tag[1]];
      if (tag === undefined || commit === undefined) return this.notFound('git/tags#get-a-tag');
      return this.reply(200, {
        node_id: btoa(`Tag:${name}`),
        tag: tag[0],
        sha: name,
        url: `${this.api}/repos/${fullName(repo)}/git/tags/${name}`,
        message: `Release ${tag[0]}\n`,
        tagger: { name: 'sample-bot', email: 'sample-bot@users.noreply.github.com', date: commit.date },
        object: {
          sha: commit.sha,
          type: 'commit',
          url: `${this.api}/repos/${fullName(repo)}/git/commits/${commit.sha}`,
        },
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null,
        },
      });
    }
    return this.notFound();
  }

  private contents(repo: FakeRepo, path: string, ref: string | null, accept: string): Response {
    const target = revision(this.world, repo, ref ?? 'HEAD');
    const commit = target === undefined ? undefined : peel(target);
    if (commit === undefined) {
      return this.notFound(
        'repos/contents#get-repository-content',
        `No commit found for the ref ${ref ?? 'HEAD'}`,
      );
    }
    const object = objectAtPath(commit, path);
    if (object === undefined) return this.notFound('repos/contents#get-repository-content');
    const at = ref ?? repo.defaultBranch;
    if (object.kind === 'blob') {
      if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
        return new Response(object.text, {
          status: 200,
          headers: {
            ...this.rateHeaders,
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'x-github-media-type': 'github.v3; param=raw',
            etag: `"${object.sha}"`,
          },
        });
      }
      return this.reply(200, {
        ...this.entryJson(repo, at, object.path, 'file', object.sha, object.text),
        ...base64Content(object.text),
      });
    }
    const listing = pathAt(commit, path);
    const entries = listing?.kind === 'folder' ? listing.entries : [];
    return this.reply(
      200,
      entries.map((entry) => {
        const child = object.path === '' ? entry.name : `${object.path}/${entry.name}`;
        const found = objectAtPath(commit, child);
        return this.entryJson(
          repo,
          at,
          child,
          entry.kind === 'file' ? 'file' : 'dir',
          found?.sha ?? '',
          found?.kind === 'blob' ? found.text : undefined,
        );
      }),
    );
  }

  // -- JSON shapes ------------------------------------------------------------------------------------------------

  private web(repo: FakeRepo): string {
    return `${this.world.webOrigin}/${fullName(repo)}`;
  }

  private ownerJson(login: string) {
    const type = isOrganization(this.world.data, login) ? 'Organization' : 'User';
    const user = Object.values(this.world.data.tokens).find((u) => u.login === login);
    return {
      login,
      id: user?.id ?? stableId(login),
      node_id: btoa(`${type}:${login}`),
      url: `${this.api}/users/${login}`,
      html_url: `${this.world.webOrigin}/${login}`,
      type,
      site_admin: false,
    };
  }

  private repoJson(repo: FakeRepo): Record<string, unknown> {
    const parent =
      repo.forkOf === undefined ? undefined : findRepo(this.world.data, ...splitFullName(repo.forkOf));
    return {
      id: repo.id,
      node_id: btoa(`Repository:${repo.id}`),
      name: repo.name,
      full_name: fullName(repo),
      private: repo.private,
      owner: this.ownerJson(repo.owner),
      html_url: this.web(repo),
      description: null,
      fork: repo.forkOf !== undefined,
      url: `${this.api}/repos/${fullName(repo)}`,
      clone_url: `${this.web(repo)}.git`,
      default_branch: repo.defaultBranch,
      visibility: repo.private ? 'private' : 'public',
      archived: false,
      disabled: false,
      has_issues: true,
      ...(parent !== undefined && {
        parent: { id: parent.id, full_name: fullName(parent), default_branch: parent.defaultBranch },
      }),
    };
  }

  private commitJson(repo: FakeRepo, commit: FakeCommit): Record<string, unknown> {
    const person = {
      name: commit.author,
      email: `${commit.author}@users.noreply.github.com`,
      date: commit.date,
    };
    return {
      sha: commit.sha,
      node_id: btoa(`Commit:${commit.sha}`),
      commit: {
        author: person,
        committer: person,
        message: commit.message,
        tree: {
          sha: objectAtPath(commit, '')?.sha,
          url: `${this.api}/repos/${fullName(repo)}/git/trees/${commit.sha}`,
        },
        url: `${this.api}/repos/${fullName(repo)}/git/commits/${commit.sha}`,
        comment_count: 0,
        verification: {
          verified: false,
          reason: 'unsigned',
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      url: `${this.api}/repos/${fullName(repo)}/commits/${commit.sha}`,
      html_url: `${this.web(repo)}/commit/${commit.sha}`,
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${this.api}/repos/${fullName(repo)}/commits/${sha}`,
        html_url: `${this.web(repo)}/commit/${sha}`,
      })),
      stats: { total: 0, additions: 0, deletions: 0 },
      files: [],
    };
  }

  private refJson(repo: FakeRepo, ref: string, target: GitObject): Record<string, unknown> {
    const type = target.kind === 'tag' ? 'tag' : 'commit';
    return {
      ref,
      node_id: btoa(`Ref:${repo.id}:${ref}`),
      url: `${this.api}/repos/${fullName(repo)}/git/${ref}`,
      object: {
        sha: target.sha,
        type,
        url: `${this.api}/repos/${fullName(repo)}/git/${type}s/${target.sha}`,
      },
    };
  }

  private entryJson(
    repo: FakeRepo,
    ref: string,
    path: string,
    type: 'file' | 'dir',
    sha: string,
    text?: string,
  ) {
    const self = `${this.api}/repos/${fullName(repo)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const html = `${this.web(repo)}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${path}`;
    const git = `${this.api}/repos/${fullName(repo)}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
    return {
      type,
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      sha,
      size: text === undefined ? 0 : utf8Bytes(text).length,
      url: self,
      html_url: html,
      git_url: git,
      download_url: type === 'file' ? `${this.world.webOrigin}/${fullName(repo)}/raw/${ref}/${path}` : null,
      _links: { self, git, html },
    };
  }

  private pullJson(repo: FakeRepo, pull: FakePull): Record<string, unknown> {
    const [headOwner, headName] = splitFullName(pull.headRepo);
    const head = findRepo(this.world.data, headOwner, headName);
    const headVisible =
      head !== undefined && !pull.headDeleted && canSee(this.world.data, head, this.world.token);
    const merged = pull.state === 'merged';
    const mergedAt = merged ? '2026-10-05T12:00:00Z' : null;
    const side = (owner: string, ref: string, sha: string, side: FakeRepo | undefined) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: this.ownerJson(owner),
      repo: side === undefined ? null : this.repoJson(side),
    });
    return {
      url: `${this.api}/repos/${fullName(repo)}/pulls/${pull.number}`,
      id: repo.id * 1000 + pull.number,
      node_id: btoa(`PullRequest:${repo.id}:${pull.number}`),
      html_url: `${this.web(repo)}/pull/${pull.number}`,
      number: pull.number,
      state: pull.state === 'open' ? 'open' : 'closed',
      locked: false,
      title: pull.title,
      user: this.ownerJson(pull.author),
      body: null,
      created_at: '2026-10-04T12:00:00Z',
      updated_at: '2026-10-04T12:00:00Z',
      closed_at: pull.state === 'open' ? null : '2026-10-05T12:00:00Z',
      merged_at: mergedAt,
      draft: false,
      head: side(headOwner, pull.headRef, pull.headSha, headVisible ? head : undefined),
      base: side(repo.owner, pull.baseRef, repo.branches[pull.baseRef] ?? '', repo),
      merged,
      mergeable: null,
      comments: 0,
      commits: 1,
    };
  }

  private issueJson(repo: FakeRepo, issue: FakeIssue | FakePull, pull?: FakePull): Record<string, unknown> {
    return {
      url: `${this.api}/repos/${fullName(repo)}/issues/${issue.number}`,
      id: repo.id * 1000 + issue.number,
      node_id: btoa(`Issue:${repo.id}:${issue.number}`),
      html_url: `${this.web(repo)}/${pull === undefined ? 'issues' : 'pull'}/${issue.number}`,
      number: issue.number,
      title: issue.title,
      user: this.ownerJson(issue.author),
      labels: [],
      state: issue.state === 'open' ? 'open' : 'closed',
      locked: false,
      comments: 0,
      body: null,
      ...(pull !== undefined && {
        pull_request: {
          url: `${this.api}/repos/${fullName(repo)}/pulls/${pull.number}`,
          html_url: `${this.web(repo)}/pull/${pull.number}`,
          diff_url: `${this.web(repo)}/pull/${pull.number}.diff`,
          patch_url: `${this.web(repo)}/pull/${pull.number}.patch`,
          merged_at: pull.state === 'merged' ? '2026-10-05T12:00:00Z' : null,
        },
      }),
    };
  }
}

function peel(object: GitObject): FakeCommit | undefined {
  return object.kind === 'commit' || object.kind === 'tag' ? object.commit : undefined;
}

function bearer(header: string | null): string | undefined {
  const match = header === null ? null : /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      ...headers,
    },
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const splitFullName = (ownerSlashName: string): [string, string] => {
  const slash = ownerSlashName.lastIndexOf('/');
  return [ownerSlashName.slice(0, slash), ownerSlashName.slice(slash + 1)];
};

const stableId = (login: string): number =>
  [...login].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1_000_000, 7) + 5000;

/** GitHub's `content` field: base64 wrapped at 60 columns. */
function base64Content(text: string): { content: string; encoding: 'base64' } {
  let binary = '';
  for (const byte of utf8Bytes(text)) binary += String.fromCharCode(byte);
  const encoded = btoa(binary);
  return { content: `${encoded.match(/.{1,60}/g)?.join('\n') ?? ''}\n`, encoding: 'base64' };
}

/** A push as GitHub delivers it to a webhook (X-Hub-Signature-256 over the body). */
export async function githubPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const body = JSON.stringify({
    ref: `refs/heads/${push.branch}`,
    before: '0'.repeat(40),
    after: push.sha,
    deleted: false,
    repository: {
      full_name: `${push.owner}/${push.name}`,
      default_branch: push.defaultBranch,
      private: push.private,
    },
  });
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': push.delivery,
    'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}`,
  };
  return { headers, body };
}
