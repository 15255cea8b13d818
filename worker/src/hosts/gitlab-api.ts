// GitLab REST API v4 client for the launcher: every request through hostFetch, the token only in the Authorization
// header, never in an error; what a failed request means to a person.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { PathTarget, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { LaunchError } from '../errors.ts';
import type { Picked } from './gitlab.ts';
import { repoNotFound } from './gitlab-errors.ts';
import { hostFetch } from './host-http.ts';
import type { HostCredentials, HttpTuning } from './host-resolver.ts';
import { unavailable, unreadable } from './resolver-common.ts';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export type Reply = Result<Answer, LaunchError>;

export interface GitLabApi {
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  /** "GitLab", or "GitLab at code.example.org" for a self-managed instance. */
  readonly label: string;
  /** `https://code.example.org/gitlab`: where the instance's pages live. */
  readonly site: string;
  get(path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  head(path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  /** An answer none of the callers expects (400, 401, 403, 409…), as an error a person can act on. */
  failure(answer: Answer, what: string): LaunchError;
}

export function gitlabApi(
  entry: HostEntry,
  credentials: HostCredentials,
  http: HttpTuning | undefined,
): GitLabApi {
  const label = entry.builtin ? 'GitLab' : `GitLab at ${entry.hostname}`;
  const site = `${entry.origin}${entry.basePath}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials.token !== undefined && credentials.token !== '') {
    headers.authorization = `Bearer ${credentials.token}`;
  }
  const request = async (
    method: 'GET' | 'HEAD',
    path: string,
    query: Readonly<Record<string, string>> = {},
  ): Promise<Reply> => {
    const search = new URLSearchParams(query).toString();
    const url = `${entry.apiBaseUrl}${path}${search === '' ? '' : `?${search}`}`;
    const reply = await hostFetch(
      url,
      { method, headers },
      { hostLabel: label, hostWebUrl: site, backoffMs: http?.backoffMs, now: http?.now },
    );
    if (!reply.ok) return reply;
    try {
      const text = method === 'HEAD' ? '' : await reply.value.text();
      return ok({ status: reply.value.status, headers: reply.value.headers, text });
    } catch {
      return err(unavailable(label, site, 'the answer broke off'));
    }
  };
  const api: GitLabApi = {
    entry,
    credentials,
    label,
    site,
    get: (path, query) => request('GET', path, query),
    head: (path, query) => request('HEAD', path, query),
    failure(answer, what) {
      if (answer.status === 401) {
        return new LaunchError('private-repo', {
          title: `${label} did not accept the sign-in`,
          detail:
            credentials.kind === 'user'
              ? `${label} refused your sign-in token while opening ${what}; it may have expired or been revoked. Sign in with ${label} again.`
              : `${label} refused the launcher's access token while opening ${what}. Ask the launcher's operator to renew it.`,
          wayOut: { label: `Open ${label}`, href: site },
          facts: { tokenRejected: true },
        });
      }
      if (answer.status === 403) {
        return new LaunchError('private-repo', {
          title: 'No access to this project',
          detail: `${label} does not let ${credentials.kind === 'user' ? 'your account' : 'the launcher'} read ${what}. Ask a maintainer for at least Reporter access, or open a project you can read.`,
          wayOut: { label: `Open ${label}`, href: site },
        });
      }
      return unavailable(label, site, `HTTP ${answer.status} for ${what}`);
    },
  };
  return api;
}

/** Project ids are the URL-encoded full path: `group%2Fsub%2Fproject`. */
export const projectPath = (repo: RepoRef): string => `/projects/${encodeId(fullPath(repo))}`;
export const fullPath = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;
/** Branch names, refs and file paths are one URL segment each: `feature/x` → `feature%2Fx`. */
export const encodeId = (text: string): string => encodeURIComponent(text).replaceAll('.', '%2E');
export const rawFilePath = (project: string, path: string): string =>
  `${project}/repository/files/${encodeId(path)}/raw`;

export function resolved(
  parts: { [K in keyof ResolvedContext]: ResolvedContext[K] | undefined },
): ResolvedContext {
  // Only the fields that are set: `toStrictEqual` and JSON both see what the resolver knows, nothing more.
  return Object.fromEntries(
    Object.entries(parts).filter(([, v]) => v !== undefined),
  ) as unknown as ResolvedContext;
}

export function withPath(picked: Picked, path: PathTarget | undefined): Picked {
  return path === undefined ? picked : { ...picked, path };
}

interface Project {
  readonly id: number;
  readonly repo: RepoRef;
  /** GitLab's `internal` (any signed-in user) counts as private: git needs an account. */
  readonly visibility: ResolvedContext['visibility'];
  readonly defaultBranch: string | undefined;
}

export function readProject(api: GitLabApi, reply: Reply, asked: RepoRef): Result<Project, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return err(repoNotFound(api, asked));
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(asked)));
  const body = parseJson(reply.value.text);
  const id = field(body, 'id');
  const path = field(body, 'path_with_namespace');
  const defaultBranch = field(body, 'default_branch');
  const visibility = field(body, 'visibility');
  if (typeof id !== 'number' || typeof path !== 'string' || !path.includes('/')) {
    return err(unreadable(api, fullPath(asked)));
  }
  const slash = path.lastIndexOf('/');
  return ok({
    id,
    repo: {
      host: api.entry.hostname,
      family: 'gitlab',
      owner: path.slice(0, slash),
      name: path.slice(slash + 1),
    },
    visibility:
      visibility === 'public'
        ? 'public'
        : visibility === 'private' || visibility === 'internal'
          ? 'private'
          : undefined,
    defaultBranch: typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined,
  });
}

/** The full sha a `commits/:ref` answer names; undefined when GitLab has no such commit. */
export function commitOf(
  api: GitLabApi,
  reply: Reply,
  repo: RepoRef,
): Result<string | undefined, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(repo)));
  const id = field(parseJson(reply.value.text), 'id');
  return typeof id === 'string' && FULL_SHA.test(id) ? ok(id) : err(unreadable(api, fullPath(repo)));
}

/** The commit each branch or tag answer points at (tags peeled: `commit.id`, not `target`), undefined for 404. */
export function refShas(
  api: GitLabApi,
  replies: readonly Reply[],
  repo: RepoRef,
): Result<(string | undefined)[], LaunchError> {
  const shas: (string | undefined)[] = [];
  for (const reply of replies) {
    if (!reply.ok) return reply;
    if (reply.value.status === 404) {
      shas.push(undefined);
      continue;
    }
    if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(repo)));
    const sha = headOf(parseJson(reply.value.text));
    if (sha === undefined) return err(unreadable(api, fullPath(repo)));
    shas.push(sha);
  }
  return ok(shas);
}

const headOf = (ref: unknown): string | undefined => {
  const id = field(field(ref, 'commit'), 'id');
  return typeof id === 'string' && FULL_SHA.test(id) ? id : undefined;
};

export interface RefList {
  /** Exact name → commit, for every listed ref. */
  readonly heads: Map<string, string>;
  /** More refs match than one page holds. */
  readonly truncated: boolean;
}

/** Branches or tags whose names start with `prefix` (GitLab's `search=^prefix`, case-insensitive), one page. */
export async function listRefs(
  api: GitLabApi,
  project: string,
  kind: 'branches' | 'tags',
  prefix: string,
): Promise<Result<RefList, LaunchError>> {
  const order: Record<string, string> = kind === 'tags' ? { order_by: 'name', sort: 'asc' } : {};
  const reply = await api.get(`${project}/repository/${kind}`, {
    search: `^${prefix}`,
    per_page: '100',
    ...order,
  });
  if (!reply.ok) return reply;
  if (reply.value.status !== 200) return err(api.failure(reply.value, project));
  const list = parseJson(reply.value.text);
  if (!Array.isArray(list)) return err(unreadable(api, `the ${kind} list`));
  const heads = new Map<string, string>();
  for (const item of list) {
    const name = field(item, 'name');
    const sha = headOf(item);
    if (typeof name === 'string' && sha !== undefined) heads.set(name, sha);
  }
  const next = reply.value.headers.get('x-next-page');
  return ok({ heads, truncated: next !== null && next !== '' });
}

/** Whether `path` is a file or a folder at `ref`, or absent: the files metadata (HEAD) and a one-entry tree. */
export async function probePath(
  api: GitLabApi,
  project: string,
  path: string,
  ref: string,
): Promise<Result<'file' | 'folder' | undefined, LaunchError>> {
  const [file, tree] = await Promise.all([
    api.head(`${project}/repository/files/${encodeId(path)}`, { ref }),
    api.get(`${project}/repository/tree`, { path, ref, per_page: '1' }),
  ]);
  if (!file.ok) return file;
  if (!tree.ok) return tree;
  if (file.value.status === 200) return ok('file');
  const entries = tree.value.status === 200 ? parseJson(tree.value.text) : undefined;
  return ok(Array.isArray(entries) && entries.length > 0 ? 'folder' : undefined);
}

/**
 * `.gitpod.yml` from a raw-file answer, when it is known to be the file at `sha`: GitLab names the commit it read in
 * `X-Gitlab-Commit-Id`; a 404 says nothing about which commit, so it counts only when `probeIsSha`.
 */
export function readConfig(
  reply: Reply | undefined,
  sha: string,
  probeIsSha: boolean,
): string | null | undefined {
  if (reply === undefined || !reply.ok) return undefined;
  const { status, headers, text } = reply.value;
  if (status === 200) return probeIsSha || headers.get('x-gitlab-commit-id') === sha ? text : undefined;
  if (status === 404 && probeIsSha && errorMessage(text) === '404 File Not Found') return null;
  return undefined;
}

interface MergeRequest {
  readonly title: string;
  readonly state: ResolvedPullRequest['state'];
  /** Undefined when the source project is gone. */
  readonly sourceProjectId: number | undefined;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly headSha: string | undefined;
}

export function readMergeRequest(body: unknown): MergeRequest | undefined {
  const title = field(body, 'title');
  const state = field(body, 'state');
  const source = field(body, 'source_project_id');
  const sourceBranch = field(body, 'source_branch');
  const targetBranch = field(body, 'target_branch');
  if (typeof title !== 'string' || typeof sourceBranch !== 'string' || typeof targetBranch !== 'string') {
    return undefined;
  }
  const head = field(field(body, 'diff_refs'), 'head_sha') ?? field(body, 'sha');
  return {
    title,
    // `locked` is the moment a merge is in progress: still open.
    state: state === 'merged' ? 'merged' : state === 'closed' ? 'closed' : 'open',
    sourceProjectId: typeof source === 'number' ? source : undefined,
    sourceBranch,
    targetBranch,
    headSha: typeof head === 'string' && FULL_SHA.test(head) ? head : undefined,
  };
}

const FULL_SHA = /^[0-9a-f]{40}$/;

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** GitLab's error bodies: `{"message":"404 Project Not Found"}`. */
export function errorMessage(text: string): string | undefined {
  const message = field(parseJson(text), 'message');
  return typeof message === 'string' ? message : undefined;
}
