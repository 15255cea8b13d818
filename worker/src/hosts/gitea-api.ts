// Gitea / Forgejo API v1 client for the launcher: every request through hostFetch, the token only in the Authorization
// header, never in an error; what a failed request means to a person.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { encodePath } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import { emptyRepo, repoNotFound } from './gitea-errors.ts';
import { hostFetch } from './host-http.ts';
import type { HostCredentials, HttpTuning } from './host-resolver.ts';
import { CONFIG_FILE, FULL_SHA, unavailable, unreadable } from './resolver-common.ts';

interface Answer {
  readonly status: number;
  readonly text: string;
}

export type Reply = Result<Answer, LaunchError>;

export interface GiteaApi {
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  /** "Codeberg", or "git.corp.example" for a self-hosted instance. */
  readonly label: string;
  /** `https://corp.example/git`: where the instance's pages live. */
  readonly site: string;
  get(path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  failure(answer: Answer, what: string): LaunchError;
}

export function giteaApi(
  entry: HostEntry,
  credentials: HostCredentials,
  http: HttpTuning | undefined,
): GiteaApi {
  const builtin = hostFamilies[entry.family].builtins.find((b) => b.hostname === entry.hostname);
  const label = entry.builtin ? (builtin?.label ?? entry.hostname) : entry.hostname;
  const site = `${entry.origin}${entry.basePath}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  // Personal access tokens and OAuth2 tokens are both taken as `token <t>`.
  if (credentials.token !== undefined && credentials.token !== '')
    headers.authorization = `token ${credentials.token}`;
  const api: GiteaApi = {
    entry,
    credentials,
    label,
    site,
    async get(path, query = {}) {
      const search = new URLSearchParams(query).toString();
      const url = `${entry.apiBaseUrl}${path}${search === '' ? '' : `?${search}`}`;
      const reply = await hostFetch(
        url,
        { method: 'GET', headers },
        { hostLabel: label, hostWebUrl: site, backoffMs: http?.backoffMs, now: http?.now },
      );
      if (!reply.ok) return reply;
      try {
        return ok({ status: reply.value.status, text: await reply.value.text() });
      } catch {
        return err(unavailable(label, site, 'the answer broke off'));
      }
    },
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
          title: 'No access to this repository',
          detail: `${label} does not let ${credentials.kind === 'user' ? 'your account' : 'the launcher'} read ${what}. Ask a maintainer for read access, or open a repository you can read.`,
          wayOut: { label: `Open ${label}`, href: site },
        });
      }
      return unavailable(label, site, `HTTP ${answer.status} for ${what}`);
    },
  };
  return api;
}

export const fullName = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;
export const repoPath = (repo: RepoRef): string =>
  `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

export function resolved(
  parts: { [K in keyof ResolvedContext]: ResolvedContext[K] | undefined },
): ResolvedContext {
  return Object.fromEntries(
    Object.entries(parts).filter(([, v]) => v !== undefined),
  ) as unknown as ResolvedContext;
}

interface Repository {
  readonly repo: RepoRef;
  readonly visibility: 'public' | 'private';
  readonly defaultBranch: string;
}

export function repositoryOf(api: GiteaApi, json: unknown): Repository | undefined {
  const full = field(json, 'full_name');
  const branch = field(json, 'default_branch');
  const isPrivate = field(json, 'private');
  const internal = field(json, 'internal');
  if (typeof full !== 'string' || !full.includes('/')) return undefined;
  const slash = full.indexOf('/');
  return {
    repo: {
      host: api.entry.hostname,
      family: api.entry.family,
      owner: full.slice(0, slash),
      name: full.slice(slash + 1),
    },
    // `internal` repositories (any signed-in user may read them) need an account to clone: private for us.
    visibility: isPrivate === false && internal !== true ? 'public' : 'private',
    defaultBranch: typeof branch === 'string' && branch !== '' ? branch : 'main',
  };
}

export function readRepository(api: GiteaApi, reply: Reply, asked: RepoRef): Result<Repository, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return err(repoNotFound(api, asked));
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullName(asked)));
  const body = parseJson(reply.value.text);
  const repository = repositoryOf(api, body);
  if (repository === undefined) return err(unreadable(api, fullName(asked)));
  if (field(body, 'empty') === true) return err(emptyRepo(api, asked));
  return ok(repository);
}

/** The sha at `object.<key>` (`branches/<b>` → commit.id, `tags/<t>` → commit.sha); undefined for a 404. */
export async function refSha(
  api: GiteaApi,
  pending: Promise<Reply> | undefined,
  repo: RepoRef,
  object: string,
  key: string,
): Promise<Result<string | undefined, LaunchError>> {
  if (pending === undefined) return ok(undefined);
  const reply = await pending;
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullName(repo)));
  const sha = field(field(parseJson(reply.value.text), object), key);
  return typeof sha === 'string' && FULL_SHA.test(sha) ? ok(sha) : err(unreadable(api, fullName(repo)));
}

/** `git/commits/<sha>`: the full sha; undefined when there is no such commit (404, or 422 for a malformed one). */
export async function commitSha(
  api: GiteaApi,
  pending: Promise<Reply> | undefined,
  repo: RepoRef,
): Promise<Result<string | undefined, LaunchError>> {
  if (pending === undefined) return ok(undefined);
  const reply = await pending;
  if (!reply.ok) return reply;
  if (reply.value.status === 404 || reply.value.status === 422) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullName(repo)));
  const sha = field(parseJson(reply.value.text), 'sha');
  return typeof sha === 'string' && FULL_SHA.test(sha) ? ok(sha) : err(unreadable(api, fullName(repo)));
}

/** The first commit of a `commits` list: the default branch's head; undefined for an empty repository (409). */
export async function firstCommit(
  api: GiteaApi,
  pending: Promise<Reply>,
  repo: RepoRef,
): Promise<Result<string | undefined, LaunchError>> {
  const reply = await pending;
  if (!reply.ok) return reply;
  if (reply.value.status === 409) return ok(undefined);
  if (reply.value.status === 404) return err(repoNotFound(api, repo));
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullName(repo)));
  const list = parseJson(reply.value.text);
  const sha = Array.isArray(list) ? field(list[0], 'sha') : undefined;
  return typeof sha === 'string' && FULL_SHA.test(sha) ? ok(sha) : ok(undefined);
}

/** `git/refs/heads/<prefix>` → name (without `refs/heads/`) → object; one object for an exact match, 404 for none. */
export async function refList(
  api: GiteaApi,
  pending: Promise<Reply> | undefined,
  repo: RepoRef,
  strip: string,
): Promise<Result<Map<string, { sha: string; type: string }>, LaunchError>> {
  const refs = new Map<string, { sha: string; type: string }>();
  if (pending === undefined) return ok(refs);
  const reply = await pending;
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(refs);
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullName(repo)));
  const body = parseJson(reply.value.text);
  for (const item of Array.isArray(body) ? body : [body]) {
    const ref = field(item, 'ref');
    const sha = field(field(item, 'object'), 'sha');
    const type = field(field(item, 'object'), 'type');
    if (typeof ref === 'string' && ref.startsWith(strip) && typeof sha === 'string' && FULL_SHA.test(sha))
      refs.set(ref.slice(strip.length), { sha, type: typeof type === 'string' ? type : 'commit' });
  }
  return ok(refs);
}

/** `.gitpod.yml` at a commit: its text, or null when the commit has none. */
export async function readConfig(
  api: GiteaApi,
  repo: RepoRef,
  sha: string,
): Promise<Result<string | null, LaunchError>> {
  const reply = await api.get(`${repoPath(repo)}/raw/${CONFIG_FILE}`, { ref: sha });
  if (!reply.ok) return reply;
  if (reply.value.status === 200) return ok(reply.value.text);
  if (reply.value.status === 404) return ok(null);
  return err(api.failure(reply.value, `${fullName(repo)}/${CONFIG_FILE}`));
}

/** A file (the contents answer is an object) or a folder (a list), or undefined when the path is not there. */
export async function pathKind(
  api: GiteaApi,
  repo: RepoRef,
  path: string,
  sha: string,
): Promise<Result<'file' | 'folder' | undefined, LaunchError>> {
  const reply = await api.get(`${repoPath(repo)}/contents/${encodePath(path)}`, { ref: sha });
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, `${fullName(repo)}/${path}`));
  const body = parseJson(reply.value.text);
  if (Array.isArray(body)) return ok('folder');
  return ok(field(body, 'type') === 'dir' ? 'folder' : 'file');
}

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
