// Selection at launch: the exact commit's ready prebuild, else the nearest ancestor (within 100 commits) whose
// prebuild is ready with the same config fingerprint — one history request to the host, one D1 query for all
// candidates. A fork's pull request may use the base repository's prebuilds of commits its head contains.
// Never picks a failed, unfinished or differently configured prebuild.

import { type GitpodConfig, needsPrebuild, prebuildFingerprint } from '../../../shared/gitpod-config.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import { ok, type Result } from '../../../shared/result.ts';
import { cacheKey } from '../cache-keys.ts';
import type { LaunchError } from '../errors.ts';
import type { HostCredentials, HostResolver, HttpTuning } from '../hosts/host-resolver.ts';
import type { PrebuildChoice, Resolution } from '../launch.ts';
import { type PrebuildRecord, prebuildsAt, repoKey, waitLimitMs } from './prebuild-records.ts';

export const HISTORY_DEPTH = 100;

export interface SelectionInput {
  readonly db: D1Database;
  /** Where a commit's history is kept: it never changes, so it is fetched once per commit. */
  readonly cache: KVNamespace;
  readonly resolver: HostResolver;
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  readonly http?: HttpTuning;
  readonly resolved: Omit<ResolvedContext, 'configText'>;
  readonly config: GitpodConfig;
  /** The history when the caller already asked for it (beside `.gitpod.yml`, to save a round trip). */
  readonly history?: Promise<Result<readonly string[], LaunchError>>;
}

export type HistoryInput = Omit<SelectionInput, 'db' | 'config' | 'history'>;

const short = (sha: string) => sha.slice(0, 7);

export async function selectPrebuild(input: SelectionInput): Promise<PrebuildChoice> {
  const { resolved } = input;
  if (!needsPrebuild(input.config))
    return { kind: 'none', reason: 'No prebuild needed: .gitpod.yml has no before or init tasks.' };
  const history = await (input.history ?? commitHistory(input));
  if (!history.ok)
    return {
      kind: 'none',
      reason: `No prebuild: the commit history could not be read (${history.error.title}).`,
    };
  const shas = history.value[0] === resolved.sha ? history.value : [resolved.sha, ...history.value];
  const keys = [repoKey(resolved.repo)];
  // Forks: the base repository's prebuilds serve commits the fork's head contains (they are in its history).
  if (resolved.pullRequest?.fromFork === true) keys.push(repoKey(resolved.pullRequest.baseRepo));
  const rows = await prebuildsAt(input.db, keys, shas);
  if (rows.allProjects === 0)
    return { kind: 'none', reason: 'No prebuild: prebuilds are not set up on this launcher yet.' };
  if (rows.repoProjects === 0 && rows.prebuilds.length === 0)
    return { kind: 'none', reason: 'No prebuild: prebuilds are not set up for this repository.' };
  return choose(rows.prebuilds, shas, prebuildFingerprint(input.config), input.db);
}

/** The context commit's history: from KV when this commit was seen before (it never changes), else one request. */
export async function commitHistory(input: HistoryInput): Promise<Result<readonly string[], LaunchError>> {
  const { repo, sha } = input.resolved;
  const key = cacheKey('history:v1', `${repoKey(repo)}@${sha}:${HISTORY_DEPTH}`);
  const cached = await input.cache.get<string[]>(key, 'json');
  if (cached !== null) return ok(cached);
  // A host without a history listing can still serve the exact commit's prebuild.
  if (input.resolver.history === undefined) return ok([sha]);
  const fetched = await input.resolver.history(
    repo,
    sha,
    HISTORY_DEPTH,
    input.entry,
    input.credentials,
    input.http,
  );
  if (fetched.ok) await input.cache.put(key, JSON.stringify(fetched.value));
  return fetched;
}

/** Picks from the rows of one query; `shas` is the history, newest first (`shas[0]` is the context commit). */
async function choose(
  rows: readonly PrebuildRecord[],
  shas: readonly string[],
  fingerprint: string,
  db: D1Database,
): Promise<PrebuildChoice> {
  const position = new Map(shas.map((sha, i) => [sha, i]));
  const matching = rows.filter((r) => r.fingerprint === fingerprint);
  const ready = matching
    .filter((r) => r.state === 'ready')
    .sort((a, b) => (position.get(a.sha) ?? 999) - (position.get(b.sha) ?? 999));
  const exactSha = shas[0];
  const use = (r: PrebuildRecord) =>
    ({
      kind: 'use',
      prebuildId: r.id,
      sha: r.sha,
      commitsBehind: position.get(r.sha) ?? 0,
      ...(r.cluster !== null && { cluster: r.cluster }),
    }) as const;
  const best = ready[0];
  if (best !== undefined && best.sha === exactSha) return use(best);

  const inProgress = matching.find(
    (r) => r.sha === exactSha && (r.state === 'queued' || r.state === 'building'),
  );
  if (inProgress !== undefined) {
    const limit = await waitLimitMs(db, inProgress.projectId);
    return {
      kind: 'none',
      reason: `The prebuild of this commit is ${inProgress.state === 'queued' ? 'queued' : 'still building'}.`,
      building: {
        prebuildId: inProgress.id,
        state: inProgress.state === 'queued' ? 'queued' : 'building',
        startedAt: inProgress.startedAt,
        waitLimitMs: limit,
        ...(inProgress.logUrl !== null && { logUrl: inProgress.logUrl }),
      },
      ...(best !== undefined && { lastReady: use(best) }),
    };
  }
  if (best !== undefined) return use(best);

  const failed = matching.find((r) => r.sha === exactSha && r.state !== 'ready');
  if (failed !== undefined)
    return {
      kind: 'none',
      reason: `No prebuild: the prebuild of this commit ${failed.state === 'timeout' ? 'timed out' : failed.state}${
        failed.error === null ? '' : ` — ${failed.error}`
      } A failed prebuild is never used.`,
    };
  const otherConfig = rows.find((r) => r.state === 'ready');
  if (otherConfig !== undefined)
    return {
      kind: 'none',
      reason: `No prebuild: the before/init tasks or image changed since the last prebuild (at ${short(otherConfig.sha)}).`,
    };
  return {
    kind: 'none',
    reason: `No prebuild yet for this commit or its last ${shas.length - 1} ancestors.`,
  };
}

/** `last-ready` (the start page's button, header `x-launchpod-prebuild`): start from the nearest ready ancestor. */
export function withPrebuildPreference(resolution: Resolution, preference: string | undefined): Resolution {
  const choice = resolution.prebuild;
  if (preference !== 'last-ready' || choice.kind !== 'none' || choice.lastReady === undefined)
    return resolution;
  return { ...resolution, prebuild: choice.lastReady };
}
