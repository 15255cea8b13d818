// Bitbucket Cloud API 2.0 requests for the launcher: every request through hostFetch, the token only in the
// Authorization header, never in an error.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { err, ok } from '../../../shared/result.ts';
import { encodePath, encodeSegment } from '../../../shared/url-encoding.ts';
import {
  type CloudApi,
  type CloudRepository,
  type Found,
  HOST_LABEL,
  type PathKind,
  type RefHeads,
  type RepositoryFacts,
} from './bitbucket-cloud.ts';
import {
  emptyRepository,
  isDirectoryListing,
  repositoryError,
  unexpected,
} from './bitbucket-cloud-errors.ts';
import { hostFetch } from './host-http.ts';
import type { HostCredentials, HttpTuning, ResolveInput } from './host-resolver.ts';
import { CONFIG_FILE, FULL_SHA, parseJsonObject } from './resolver-common.ts';

export function cloudApi(
  entry: HostEntry,
  credentials: HostCredentials,
  http: HttpTuning | undefined,
): CloudApi {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (credentials.kind !== 'anonymous' && credentials.token !== undefined) {
    headers.Authorization = `Bearer ${credentials.token}`;
  }
  const options = {
    hostLabel: HOST_LABEL,
    hostWebUrl: entry.origin + entry.basePath,
    ...(http?.backoffMs !== undefined && { backoffMs: http.backoffMs }),
    ...(http?.now !== undefined && { now: http.now }),
  };
  return {
    async get(path) {
      const response = await hostFetch(`${entry.apiBaseUrl}${path}`, { headers }, options);
      if (!response.ok) return response;
      const text = await response.value.text();
      return ok({ status: response.value.status, text });
    },
  };
}

export const repoPath = (repo: RepoRef): string =>
  `/repositories/${encodeSegment(repo.owner)}/${encodeSegment(repo.name)}`;

/** The repository's main branch name and visibility, or the error a person can act on (missing, private, token refused). */
export async function fetchRepository(
  api: CloudApi,
  input: ResolveInput,
  repo: RepoRef,
): Promise<Found<RepositoryFacts>> {
  const answer = await api.get(repoPath(repo));
  if (!answer.ok) return answer;
  const { status, text } = answer.value;
  if (status !== 200) return err(repositoryError(status, text, repo, input.entry, input.credentials));
  const body = parseJsonObject<CloudRepository>(text);
  const main = body?.mainbranch?.name;
  if (typeof main !== 'string' || main === '') return err(emptyRepository(repo, input.entry));
  const isPrivate = body?.is_private;
  return ok({
    main,
    visibility: isPrivate === false ? 'public' : isPrivate === true ? 'private' : undefined,
  });
}

/**
 * Branch and tag heads for several names in ONE request: `refs?q=name = "a" OR name = "a/b"` (BBQL). Names that do
 * not exist are absent from the map.
 */
export async function fetchRefs(
  api: CloudApi,
  base: string,
  names: readonly string[],
  kinds: 'branch' | 'tag' | 'any',
): Promise<Found<Map<string, RefHeads>>> {
  const heads = new Map<string, RefHeads>();
  if (names.length === 0) return ok(heads);
  const query = names.map((name) => `name = ${bbqlString(name)}`).join(' OR ');
  const collection = kinds === 'branch' ? 'refs/branches' : kinds === 'tag' ? 'refs/tags' : 'refs';
  const answer = await api.get(`${base}/${collection}?q=${encodeURIComponent(query)}&pagelen=100`);
  if (!answer.ok) return answer;
  if (answer.value.status === 404) return ok(heads);
  if (answer.value.status !== 200) return err(unexpected(answer.value.status, 'list branches and tags'));
  const page = parseJsonObject<{ values?: { type?: string; name?: string; target?: { hash?: string } }[] }>(
    answer.value.text,
  );
  const wanted = new Set(names);
  for (const value of page?.values ?? []) {
    const hash = value.target?.hash;
    if (value.name === undefined || !wanted.has(value.name) || hash === undefined || !FULL_SHA.test(hash))
      continue;
    const type = value.type ?? (kinds === 'any' ? undefined : kinds);
    const item = heads.get(value.name) ?? {};
    if (type === 'branch') item.branch = hash.toLowerCase();
    if (type === 'tag') item.tag = hash.toLowerCase();
    heads.set(value.name, item);
  }
  return ok(heads);
}

/** `"feature/\"x\""`: BBQL strings escape quotes and backslashes. */
const bbqlString = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** The full hash of a commit-ish (abbreviated hash, branch or tag name); undefined when the host knows none. */
export async function fetchCommit(
  api: CloudApi,
  base: string,
  commitish: string,
): Promise<Found<string | undefined>> {
  const answer = await api.get(`${base}/commit/${encodeSegment(commitish)}`);
  if (!answer.ok) return answer;
  if (answer.value.status === 404 || answer.value.status === 400) return ok(undefined);
  if (answer.value.status !== 200) return err(unexpected(answer.value.status, 'look up a commit'));
  const hash = parseJsonObject<{ hash?: string }>(answer.value.text)?.hash;
  return ok(typeof hash === 'string' && FULL_SHA.test(hash) ? hash.toLowerCase() : undefined);
}

export type ConfigAnswer = Found<string | null>;

/** `.gitpod.yml` at a commit or a slash-free ref name: its text, `null` when absent. Never fails a launch. */
export async function fetchConfigAt(api: CloudApi, base: string, revision: string): Promise<ConfigAnswer> {
  const answer = await api.get(`${base}/src/${encodeSegment(revision)}/${CONFIG_FILE}`);
  if (!answer.ok) return answer;
  if (answer.value.status === 200)
    return ok(isDirectoryListing(answer.value.text) ? null : answer.value.text);
  if (answer.value.status === 404) return ok(null);
  return err(unexpected(answer.value.status, `read ${CONFIG_FILE}`));
}

/** `src/<commit>/<path>?format=meta` → `commit_file` or `commit_directory`; a 404 means the path is not there. */
export async function fetchPathKind(
  api: CloudApi,
  base: string,
  revision: string,
  path: string,
): Promise<Found<PathKind>> {
  const answer = await api.get(`${base}/src/${encodeSegment(revision)}/${encodePath(path)}?format=meta`);
  if (!answer.ok) return answer;
  if (answer.value.status === 404) return ok('missing');
  if (answer.value.status !== 200) return err(unexpected(answer.value.status, 'look up a path'));
  const type = parseJsonObject<{ type?: string }>(answer.value.text)?.type;
  if (type === 'commit_directory') return ok('folder');
  if (type === 'commit_file') return ok('file');
  return ok('missing');
}
