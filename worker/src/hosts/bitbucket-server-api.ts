// Bitbucket Server / Data Center REST 1.0 requests for the launcher: every request through hostFetch, the token only
// in the Authorization header, never in an error.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import { err, ok } from '../../../shared/result.ts';
import { encodePath, encodeQueryValue, encodeSegment } from '../../../shared/url-encoding.ts';
import {
  branchName,
  type ConfigAnswer,
  type Found,
  type PathKind,
  type ServerApi,
  type ServerRef,
  type ServerRepository,
} from './bitbucket-server.ts';
import {
  errorMessage,
  fullSha,
  isMissingRepository,
  repositoryError,
  unexpected,
} from './bitbucket-server-errors.ts';
import { hostFetch } from './host-http.ts';
import type { HostCredentials, HttpTuning } from './host-resolver.ts';
import { CONFIG_FILE, parseJsonObject } from './resolver-common.ts';

export function serverApi(
  entry: HostEntry,
  credentials: HostCredentials,
  http: HttpTuning | undefined,
): ServerApi {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (credentials.kind !== 'anonymous' && credentials.token !== undefined) {
    headers.Authorization = `Bearer ${credentials.token}`;
  }
  const options = {
    hostLabel: entry.hostname,
    hostWebUrl: entry.origin + entry.basePath,
    ...(http?.backoffMs !== undefined && { backoffMs: http.backoffMs }),
    ...(http?.now !== undefined && { now: http.now }),
  };
  return {
    entry,
    credentials,
    async get(path) {
      const response = await hostFetch(`${entry.apiBaseUrl}${path}`, { headers }, options);
      if (!response.ok) return response;
      const text = await response.value.text();
      return ok({ status: response.value.status, text });
    },
  };
}

/** `/projects/PLAT/repos/app`, `/projects/~jdoe/repos/dotfiles` (personal repositories live in `~user` projects). */
export const repoPath = (repo: RepoRef): string =>
  `/projects/${encodeSegment(repo.owner)}/repos/${encodeSegment(repo.name)}`;

/** The repository's own `public` flag; unknown (absent) when the API did not say. */
export function visibilityOf(repository: ServerRepository | null | undefined): ResolvedContext['visibility'] {
  if (repository?.public === true) return 'public';
  return repository?.public === false ? 'private' : undefined;
}

export async function fetchRepository(api: ServerApi, repo: RepoRef): Promise<Found<ServerRepository>> {
  const answer = await api.get(repoPath(repo));
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status !== 200) return err(repositoryError(status, text, repo, api));
  return ok(parseJsonObject<ServerRepository>(text) ?? {});
}

/** `GET default-branch` → `{id: 'refs/heads/main', displayId: 'main'}`: the configured name, even before a push. */
export async function fetchDefaultBranchName(api: ServerApi, base: string): Promise<Found<string>> {
  const answer = await api.get(`${base}/default-branch`);
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status === 200) {
    const ref = parseJsonObject<ServerRef>(text);
    const name = ref?.displayId ?? branchName(ref?.id);
    if (name !== undefined && name !== '') return ok(name);
  }
  if (status === 404 && isMissingRepository(text)) return err(repositoryError(status, text, undefined, api));
  if (status === 401 || status === 403) return err(repositoryError(status, text, undefined, api));
  return err(unexpected(api.entry, status, 'read the default branch', errorMessage(text)));
}

/** A branch's head commit, by exact name (`filterText` matches substrings; `boostMatches` puts the exact one first). */
export async function fetchBranch(
  api: ServerApi,
  base: string,
  name: string,
): Promise<Found<string | undefined>> {
  const query = `filterText=${encodeURIComponent(name)}&boostMatches=true&details=false&limit=25`;
  const answer = await api.get(`${base}/branches?${query}`);
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status === 404)
    return isMissingRepository(text) ? err(repositoryError(404, text, undefined, api)) : ok(undefined);
  if (status !== 200) return err(unexpected(api.entry, status, 'list branches', errorMessage(text)));
  const page = parseJsonObject<{ values?: ServerRef[] }>(text);
  const branch = page?.values?.find((b) => b.displayId === name || b.id === `refs/heads/${name}`);
  return ok(fullSha(branch?.latestCommit));
}

/** A tag's commit (`latestCommit` is already peeled from an annotated tag object). */
export async function fetchTag(
  api: ServerApi,
  base: string,
  name: string,
): Promise<Found<string | undefined>> {
  const answer = await api.get(`${base}/tags/${encodePath(name)}`);
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status === 404) return ok(undefined);
  if (status !== 200) return err(unexpected(api.entry, status, 'look up a tag', errorMessage(text)));
  return ok(fullSha(parseJsonObject<ServerRef>(text)?.latestCommit));
}

/**
 * The full id of a commit-ish (`commits/<id>`), or of the default branch's tip (`commits?limit=1`) when no id is
 * given; undefined when there is no such commit (or the repository is empty).
 */
export async function fetchCommit(
  api: ServerApi,
  base: string,
  id: string | undefined,
): Promise<Found<string | undefined>> {
  const path = id === undefined ? `${base}/commits?limit=1` : `${base}/commits/${encodeSegment(id)}`;
  const answer = await api.get(path);
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status === 404 || status === 400) return ok(undefined);
  if (status !== 200) return err(unexpected(api.entry, status, 'look up a commit', errorMessage(text)));
  if (id === undefined)
    return ok(fullSha(parseJsonObject<{ values?: { id?: string }[] }>(text)?.values?.[0]?.id));
  return ok(fullSha(parseJsonObject<{ id?: string }>(text)?.id));
}

/** `.gitpod.yml` at a revision (`''`: the default branch): its text, `null` when absent. Never fails a launch. */
export async function fetchConfig(api: ServerApi, base: string, at: string): Promise<ConfigAnswer> {
  const query = at === '' ? '' : `?at=${encodeQueryValue(at)}`;
  const answer = await api.get(`${base}/raw/${CONFIG_FILE}${query}`);
  if (!answer.ok) return answer;
  if (answer.value.status === 200) return ok(answer.value.text);
  if (answer.value.status === 404 && !isMissingRepository(answer.value.text)) return ok(null);
  return err(unexpected(api.entry, answer.value.status, `read ${CONFIG_FILE}`));
}

/** `browse/<path>?at=` answers `children` for a folder and `lines` for a file; a 404 means it is not there. */
export async function fetchPathKind(
  api: ServerApi,
  base: string,
  at: string,
  path: string,
): Promise<Found<PathKind>> {
  const query = `?${at === '' ? '' : `at=${encodeQueryValue(at)}&`}limit=1`;
  const answer = await api.get(`${base}/browse/${encodePath(path)}${query}`);
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status === 404) return ok('missing');
  if (status !== 200) return err(unexpected(api.entry, status, 'look up a path', errorMessage(text)));
  const page = parseJsonObject<{ children?: unknown; lines?: unknown }>(text);
  if (page?.children !== undefined) return ok('folder');
  if (page?.lines !== undefined) return ok('file');
  return ok('missing');
}
