// A fake GitLab (gitlab.com or a self-managed instance, under a base path too) serving the sample model: the REST v4
// endpoints the launcher uses, in GitLab's real response shapes (error bodies, RateLimit-* headers, x-total / x-next-page
// / Link pagination). Web APIs only, so it runs inside workerd and under Node. Never reveals a private project to a
// caller who cannot read it: like GitLab, it answers 404, not 403.

import { sha1 } from '@oslojs/crypto/sha1';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { utf8Bytes } from '../../shared/digest.ts';
import {
  type Commitish,
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
import { decode } from './request-parts.ts';
import type { Delivery, PushFacts } from './webhook-signing.ts';

export interface FakeGitLabOptions {
  /** Path the instance lives under: `''` on gitlab.com, `/gitlab` for `https://code.example.org/gitlab`. */
  readonly basePath?: string;
  /** Answer every request with 429, as GitLab's rate limiter does. */
  readonly rateLimited?: boolean;
  /** `Retry-After` of a 429, in seconds (default 60). */
  readonly retryAfterSeconds?: number;
  /** Answer 502 this many times before behaving (`Infinity`: always). */
  readonly failTimes?: number;
  /** `RateLimit-Limit` (default 2000, gitlab.com's authenticated API limit per minute). */
  readonly limit?: number;
  /** Clock for `RateLimit-Reset`; default `Date.now`. */
  readonly now?: () => number;
}

type Handler = (request: Request) => Promise<Response>;
type Query = URLSearchParams;

interface Reply {
  readonly status: number;
  readonly body: string | null;
  readonly type: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function fakeGitLab(data: FakeHostData, options: FakeGitLabOptions = {}): Handler {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const web = `https://${data.hostname}${basePath}`;
  const apiRoot = `${basePath}/api/v4/`;
  const now = options.now ?? Date.now;
  const limit = options.limit ?? 2000;
  let failuresLeft = options.failTimes ?? 0;
  let observed = 0;

  return async (request) => {
    observed++;
    const nowSeconds = Math.floor(now() / 1000);
    const rate: Record<string, string> = {
      'ratelimit-limit': String(limit),
      'ratelimit-observed': String(observed),
      'ratelimit-remaining': String(Math.max(0, limit - observed)),
      'ratelimit-reset': String(nowSeconds + 60),
      'ratelimit-resettime': new Date((nowSeconds + 60) * 1000).toUTCString(),
    };
    const reply = answer(request);
    const body = request.method === 'HEAD' ? null : reply.body;
    return new Response(body, {
      status: reply.status,
      headers: { ...rate, 'content-type': reply.type, ...reply.headers },
    });

    function answer(request: Request): Reply {
      if (failuresLeft > 0) {
        failuresLeft--;
        return {
          status: 502,
          body: '<!DOCTYPE html><html><body><h1>502</h1><p>Whoops, GitLab is taking too much time to respond.</p></body></html>',
          type: 'text/html; charset=utf-8',
        };
      }
      if (options.rateLimited === true) {
        const retryAfter = options.retryAfterSeconds ?? 60;
        return {
          status: 429,
          body: 'Retry later\n',
          type: 'text/plain',
          headers: {
            'retry-after': String(retryAfter),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(nowSeconds + retryAfter),
            'ratelimit-resettime': new Date((nowSeconds + retryAfter) * 1000).toUTCString(),
          },
        };
      }
      const token = tokenOf(request.headers);
      if (token !== undefined && data.tokens[token] === undefined)
        return json(401, { message: '401 Unauthorized' });
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return json(405, { error: '405 Not Allowed' });
      const url = new URL(request.url);
      if (!url.pathname.startsWith(apiRoot)) return json(404, { error: '404 Not Found' });
      const segments = url.pathname.slice(apiRoot.length).split('/').map(decode);
      const [resource, id, ...rest] = segments;
      if (resource !== 'projects' || id === undefined || id === '')
        return json(404, { error: '404 Not Found' });
      const repo = projectById(id);
      if (repo === undefined || !canSee(data, repo, token))
        return json(404, { message: '404 Project Not Found' });
      return projectRoute(repo, rest, url);
    }
  };

  function projectRoute(repo: FakeRepo, rest: readonly string[], url: URL): Reply {
    const query = url.searchParams;
    const [area, kind, name, tail] = rest;
    if (area === undefined) return json(200, project(repo));
    if (area === 'merge_requests' && kind !== undefined && name === undefined)
      return mergeRequest(repo, kind);
    if (area === 'issues' && kind !== undefined && name === undefined) return issue(repo, kind);
    if (area !== 'repository') return json(404, { error: '404 Not Found' });
    switch (kind) {
      case 'commits': {
        if (name === undefined) {
          // `GET .../repository/commits?ref_name=&per_page=`: history from a ref or sha, newest first.
          const ref = query.get('ref_name') ?? repo.defaultBranch;
          const found = commitish(repo, ref);
          if (found === undefined) return json(404, { message: '404 Commit Not Found' });
          const perPage = Math.min(100, Number(query.get('per_page') ?? 20) || 20);
          return json(
            200,
            history(repo, found.sha, perPage).map((c) => commitJson(repo, c)),
          );
        }
        if (tail !== undefined) break;
        const found = commitish(repo, name);
        const commit = found === undefined ? undefined : repo.commits[found.sha];
        return commit === undefined
          ? json(404, { message: '404 Commit Not Found' })
          : json(200, {
              ...commitJson(repo, commit),
              stats: { additions: 0, deletions: 0, total: 0 },
              status: null,
              project_id: repo.id,
              last_pipeline: null,
            });
      }
      case 'branches': {
        if (tail !== undefined) break;
        if (name === undefined) {
          const names = searched(Object.keys(repo.branches).sort(), query.get('search'));
          return paginated(
            names.map((n) => branchJson(repo, n)),
            url,
          );
        }
        return repo.branches[name] === undefined
          ? json(404, { message: '404 Branch Not Found' })
          : json(200, branchJson(repo, name));
      }
      case 'tags': {
        if (tail !== undefined) break;
        if (name === undefined) {
          const byName = query.get('order_by') === 'name';
          let names = Object.keys(repo.tags).sort((a, b) =>
            byName
              ? a.localeCompare(b)
              : dateOf(repo, repo.tags[a]).localeCompare(dateOf(repo, repo.tags[b])),
          );
          // GitLab's default is the most recently updated first.
          if ((query.get('sort') ?? (byName ? 'asc' : 'desc')) === 'desc') names = names.reverse();
          return paginated(
            searched(names, query.get('search')).map((n) => tagJson(repo, n)),
            url,
          );
        }
        return repo.tags[name] === undefined
          ? json(404, { message: '404 Tag Not Found' })
          : json(200, tagJson(repo, name));
      }
      case 'files':
        if (name === undefined) break;
        if (tail === 'raw' && rest.length === 4) return file(repo, name, query, 'raw');
        if (tail === undefined) return file(repo, name, query, 'json');
        break;
      case 'tree':
        if (name === undefined) return tree(repo, url);
        break;
    }
    return json(404, { error: '404 Not Found' });
  }

  function projectById(id: string): FakeRepo | undefined {
    if (/^[0-9]+$/.test(id)) return data.repos.find((r) => r.id === Number(id));
    const slash = id.lastIndexOf('/');
    return slash === -1 ? undefined : findRepo(data, id.slice(0, slash), id.slice(slash + 1));
  }

  function commitish(repo: FakeRepo, ref: string): Commitish | undefined {
    const branch = (name: string | undefined): Commitish | undefined => {
      const sha = name === undefined ? undefined : repo.branches[name];
      return name === undefined || sha === undefined ? undefined : { kind: 'branch', name, sha };
    };
    if (ref === 'HEAD') return branch(repo.defaultBranch);
    if (ref.startsWith('refs/heads/')) return branch(ref.slice('refs/heads/'.length));
    if (ref.startsWith('refs/tags/')) {
      const name = ref.slice('refs/tags/'.length);
      const sha = repo.tags[name];
      return sha === undefined ? undefined : { kind: 'tag', name, sha };
    }
    return resolveCommitish(repo, ref);
  }

  // --- Files and trees

  function file(repo: FakeRepo, path: string, query: Query, shape: 'raw' | 'json'): Reply {
    const ref = query.get('ref') ?? (shape === 'raw' ? 'HEAD' : undefined);
    if (ref === undefined || ref === '') return json(400, { error: 'ref is missing, ref is empty' });
    const found = commitish(repo, ref);
    const commit = found === undefined ? undefined : repo.commits[found.sha];
    if (commit === undefined) return json(404, { message: '404 Commit Not Found' });
    const text = commit.files[path.replace(/^\/+/, '')];
    if (text === undefined) return json(404, { message: '404 File Not Found' });
    const bytes = utf8Bytes(text);
    const meta = {
      file_name: path.slice(path.lastIndexOf('/') + 1),
      file_path: path,
      size: bytes.length,
      encoding: 'base64',
      content_sha256: encodeHexLowerCase(sha256(bytes)),
      ref,
      blob_id: blobId(text),
      commit_id: commit.sha,
      last_commit_id: lastCommitFor(repo, commit, path),
      execute_filemode: false,
    };
    const headers = Object.fromEntries(
      Object.entries(meta).map(([key, value]) => [`x-gitlab-${key.replaceAll('_', '-')}`, String(value)]),
    );
    if (shape === 'raw') return { status: 200, body: text, type: 'text/plain; charset=utf-8', headers };
    return json(200, { ...meta, content: base64(bytes) }, headers);
  }

  function tree(repo: FakeRepo, url: URL): Reply {
    const query = url.searchParams;
    const found = commitish(repo, query.get('ref') ?? 'HEAD');
    const commit = found === undefined ? undefined : repo.commits[found.sha];
    if (commit === undefined) return json(404, { message: '404 Tree Not Found' });
    const path = (query.get('path') ?? '').replace(/^\/+|\/+$/g, '');
    const at = pathAt(commit, path);
    if (at === undefined) return json(404, { message: '404 Tree Not Found' });
    // A file's "tree" is empty, as GitLab answers.
    if (at.kind === 'file') return paginated([], url);
    const prefix = path === '' ? '' : `${path}/`;
    const entries =
      query.get('recursive') === 'true'
        ? recursiveEntries(commit, prefix)
        : at.entries.map((e) => ({ path: prefix + e.name, kind: e.kind }));
    const sorted = entries.sort((a, b) =>
      a.kind === b.kind ? a.path.localeCompare(b.path) : a.kind === 'folder' ? -1 : 1,
    );
    return paginated(
      sorted.map((e) => ({
        id: e.kind === 'file' ? blobId(commit.files[e.path] ?? '') : hex(`tree ${commit.sha}:${e.path}`),
        name: e.path.slice(e.path.lastIndexOf('/') + 1),
        type: e.kind === 'file' ? 'blob' : 'tree',
        path: e.path,
        mode: e.kind === 'file' ? '100644' : '040000',
      })),
      url,
    );
  }

  // --- Merge requests and issues

  function mergeRequest(repo: FakeRepo, iid: string): Reply {
    const pull = repo.pulls.find((p) => String(p.number) === iid);
    if (pull === undefined) return json(404, { message: '404 Not found' });
    return json(200, mergeRequestJson(repo, pull));
  }

  function mergeRequestJson(repo: FakeRepo, pull: FakePull): Record<string, unknown> {
    const slash = pull.headRepo.lastIndexOf('/');
    const source = findRepo(data, pull.headRepo.slice(0, slash), pull.headRepo.slice(slash + 1));
    const baseSha = repo.branches[pull.baseRef] ?? null;
    const when = dateOf(repo, repo.branches[repo.defaultBranch]);
    return {
      id: repo.id * 1000 + pull.number,
      iid: pull.number,
      project_id: repo.id,
      title: pull.title,
      description: '',
      state: pull.state === 'open' ? 'opened' : pull.state,
      created_at: when,
      updated_at: when,
      merged_by: null,
      merge_user: null,
      merged_at: pull.state === 'merged' ? when : null,
      closed_by: null,
      closed_at: pull.state === 'closed' ? when : null,
      target_branch: pull.baseRef,
      source_branch: pull.headRef,
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      author: user(pull.author),
      assignees: [],
      assignee: null,
      reviewers: [],
      source_project_id: source?.id ?? null,
      target_project_id: repo.id,
      labels: [],
      draft: false,
      work_in_progress: false,
      milestone: null,
      merge_when_pipeline_succeeds: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: pull.state === 'open' ? 'mergeable' : 'not_open',
      sha: pull.headSha,
      merge_commit_sha: null,
      squash_commit_sha: null,
      discussion_locked: null,
      should_remove_source_branch: null,
      force_remove_source_branch: false,
      reference: `!${pull.number}`,
      references: {
        short: `!${pull.number}`,
        relative: `!${pull.number}`,
        full: `${fullName(repo)}!${pull.number}`,
      },
      web_url: `${web}/${fullName(repo)}/-/merge_requests/${pull.number}`,
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      squash: false,
      squash_on_merge: false,
      task_completion_status: { count: 0, completed_count: 0 },
      has_conflicts: false,
      blocking_discussions_resolved: true,
      diff_refs: { base_sha: baseSha, head_sha: pull.headSha, start_sha: baseSha },
    };
  }

  function issue(repo: FakeRepo, iid: string): Reply {
    const found = repo.issues.find((i) => String(i.number) === iid);
    if (found === undefined) return json(404, { message: '404 Not found' });
    return json(200, issueJson(repo, found));
  }

  function issueJson(repo: FakeRepo, found: FakeIssue): Record<string, unknown> {
    const when = dateOf(repo, repo.branches[repo.defaultBranch]);
    return {
      id: repo.id * 1000 + found.number,
      iid: found.number,
      project_id: repo.id,
      title: found.title,
      description: '',
      state: found.state === 'open' ? 'opened' : 'closed',
      created_at: when,
      updated_at: when,
      closed_at: found.state === 'closed' ? when : null,
      closed_by: null,
      labels: [],
      milestone: null,
      assignees: [],
      assignee: null,
      author: user(found.author),
      type: 'ISSUE',
      issue_type: 'issue',
      user_notes_count: 0,
      merge_requests_count: 0,
      upvotes: 0,
      downvotes: 0,
      due_date: null,
      confidential: false,
      discussion_locked: null,
      web_url: `${web}/${fullName(repo)}/-/issues/${found.number}`,
      references: {
        short: `#${found.number}`,
        relative: `#${found.number}`,
        full: `${fullName(repo)}#${found.number}`,
      },
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      task_completion_status: { count: 0, completed_count: 0 },
      severity: 'UNKNOWN',
    };
  }

  // --- Response shapes

  function project(repo: FakeRepo): Record<string, unknown> {
    const parent = repo.forkOf === undefined ? undefined : projectById(repo.forkOf);
    return {
      ...projectBasics(repo),
      visibility: repo.private ? 'private' : 'public',
      empty_repo: false,
      archived: false,
      issues_enabled: true,
      merge_requests_enabled: true,
      open_issues_count: repo.issues.filter((i) => i.state === 'open').length,
      ...(parent !== undefined && { forked_from_project: projectBasics(parent) }),
    };
  }

  function projectBasics(repo: FakeRepo): Record<string, unknown> {
    const full = fullName(repo);
    const owner = repo.owner.split('/');
    const group = repo.owner.includes('/') || repo.forkOf === undefined;
    const headDate = dateOf(repo, repo.branches[repo.defaultBranch]);
    return {
      id: repo.id,
      description: null,
      name: repo.name,
      name_with_namespace: [...owner, repo.name].join(' / '),
      path: repo.name,
      path_with_namespace: full,
      created_at: headDate,
      default_branch: repo.defaultBranch,
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@${data.hostname.split(':')[0]}:${full}.git`,
      http_url_to_repo: `${web}/${full}.git`,
      web_url: `${web}/${full}`,
      readme_url: `${web}/${full}/-/blob/${repo.defaultBranch}/README.md`,
      forks_count: data.repos.filter((r) => r.forkOf === full).length,
      avatar_url: null,
      star_count: 0,
      last_activity_at: headDate,
      namespace: {
        id: 100 + repo.id,
        name: owner.at(-1),
        path: owner.at(-1),
        kind: group ? 'group' : 'user',
        full_path: repo.owner,
        parent_id: null,
        avatar_url: null,
        web_url: group ? `${web}/groups/${repo.owner}` : `${web}/${repo.owner}`,
      },
    };
  }

  function commitJson(repo: FakeRepo, commit: FakeCommit): Record<string, unknown> {
    const email = `${commit.author}@users.noreply.${data.hostname}`;
    return {
      id: commit.sha,
      short_id: commit.sha.slice(0, 8),
      created_at: commit.date,
      parent_ids: commit.parents,
      title: commit.message.split('\n')[0],
      message: commit.message,
      author_name: commit.author,
      author_email: email,
      authored_date: commit.date,
      committer_name: commit.author,
      committer_email: email,
      committed_date: commit.date,
      trailers: {},
      extended_trailers: {},
      web_url: `${web}/${fullName(repo)}/-/commit/${commit.sha}`,
    };
  }

  function branchJson(repo: FakeRepo, name: string): Record<string, unknown> {
    const commit = repo.commits[repo.branches[name] ?? ''];
    return {
      name,
      commit: commit === undefined ? null : commitJson(repo, commit),
      merged: false,
      protected: name === repo.defaultBranch,
      developers_can_push: false,
      developers_can_merge: false,
      can_push: false,
      default: name === repo.defaultBranch,
      web_url: `${web}/${fullName(repo)}/-/tree/${name}`,
    };
  }

  /** Tags are annotated: `target` is the tag object, `commit` the commit it points at (what clients must use). */
  function tagJson(repo: FakeRepo, name: string): Record<string, unknown> {
    const sha = repo.tags[name] ?? '';
    const commit = repo.commits[sha];
    return {
      name,
      message: `Release ${name}`,
      target: hex(`tag ${name}\nobject ${sha}`),
      commit: commit === undefined ? null : commitJson(repo, commit),
      release: null,
      protected: false,
      created_at: commit?.date ?? null,
    };
  }

  function user(login: string): Record<string, unknown> {
    const known = Object.values(data.tokens).find((u) => u.login === login);
    return {
      id: known?.id ?? 5000 + [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0),
      username: login,
      name: login,
      state: 'active',
      locked: false,
      avatar_url: null,
      web_url: `${web}/${login}`,
    };
  }

  /** One page of a list, with GitLab's offset-pagination headers (`per_page` default 20, at most 100). */
  function paginated(items: readonly unknown[], url: URL): Reply {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 20));
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    const page = Math.min(pages, Math.max(1, Number(url.searchParams.get('page')) || 1));
    const link = (n: number) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      target.searchParams.set('per_page', String(perPage));
      return target.toString();
    };
    const links = [
      ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
      ...(page < pages ? [`<${link(page + 1)}>; rel="next"`] : []),
      `<${link(1)}>; rel="first"`,
      `<${link(pages)}>; rel="last"`,
    ];
    return json(200, items.slice((page - 1) * perPage, page * perPage), {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(pages),
      'x-next-page': page < pages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      link: links.join(', '),
    });
  }
}

function json(status: number, value: unknown, headers?: Readonly<Record<string, string>>): Reply {
  return {
    status,
    body: JSON.stringify(value),
    type: 'application/json',
    ...(headers !== undefined && { headers }),
  };
}

/** `Authorization: Bearer <t>` (OAuth and personal tokens) or `PRIVATE-TOKEN: <t>`. */
function tokenOf(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  return bearer?.[1] ?? headers.get('private-token') ?? undefined;
}

/**
 * GitLab's ref search: a plain term matches anywhere (exact match first); `^term`, `term$` and `*` make it a pattern.
 * Case-insensitive either way. `^feature` → `feature`, `feature/x/y`, but not `my-feature`.
 */
function searched(names: readonly string[], search: string | null): string[] {
  if (search === null || search === '') return [...names];
  const term = search.toLowerCase();
  if (!/[\^$*]/.test(search)) {
    const matches = names.filter((n) => n.toLowerCase().includes(term));
    const exact = matches.findIndex((n) => n.toLowerCase() === term);
    return exact === -1 ? matches : [matches[exact] as string, ...matches.filter((_, i) => i !== exact)];
  }
  const pattern = term
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace('\\^', '^')
    .replaceAll('\\*', '.*?')
    .replace('\\$', '$');
  const regex = new RegExp(pattern);
  return names.filter((n) => regex.test(n.toLowerCase()));
}

function recursiveEntries(commit: FakeCommit, prefix: string): { path: string; kind: 'file' | 'folder' }[] {
  const entries = new Map<string, 'file' | 'folder'>();
  for (const path of Object.keys(commit.files)) {
    if (!path.startsWith(prefix)) continue;
    const parts = path.slice(prefix.length).split('/');
    for (let i = 1; i < parts.length; i++) entries.set(prefix + parts.slice(0, i).join('/'), 'folder');
    entries.set(path, 'file');
  }
  return [...entries].map(([path, kind]) => ({ path, kind }));
}

/** The newest commit on `commit`'s first-parent line that changed `path`. */
function lastCommitFor(repo: FakeRepo, commit: FakeCommit, path: string): string {
  const line = history(repo, commit.sha, 1000);
  for (const [i, c] of line.entries()) {
    const parent = line[i + 1];
    if (parent === undefined || parent.files[path] !== c.files[path]) return c.sha;
  }
  return commit.sha;
}

const dateOf = (repo: FakeRepo, sha: string | undefined): string =>
  repo.commits[sha ?? '']?.date ?? '2026-10-01T12:00:00.000Z';

const hex = (text: string): string => encodeHexLowerCase(sha1(utf8Bytes(text)));

/** Git's own blob id: sha1 of `blob <size>\0<content>`. */
function blobId(text: string): string {
  const content = utf8Bytes(text);
  const header = utf8Bytes(`blob ${content.length}\0`);
  const all = new Uint8Array(header.length + content.length);
  all.set(header);
  all.set(content, header.length);
  return encodeHexLowerCase(sha1(all));
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A push as GitLab delivers it (the secret itself in X-Gitlab-Token). */
export async function gitlabPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const body = JSON.stringify({
    object_kind: 'push',
    before: '0'.repeat(40),
    after: push.sha,
    ref: `refs/heads/${push.branch}`,
    checkout_sha: push.sha,
    project: {
      path_with_namespace: `${push.owner}/${push.name}`,
      default_branch: push.defaultBranch,
      visibility_level: push.private ? 0 : 20,
    },
  });
  const headers = {
    'content-type': 'application/json',
    'x-gitlab-event': 'Push Hook',
    'x-gitlab-event-uuid': push.delivery,
    'x-gitlab-token': secret,
  };
  return { headers, body };
}
