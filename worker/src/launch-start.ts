// The start of a launch: one workspace per idempotency key, on the chosen cluster, failing over between clusters;
// what a running start is doing now, and starts a cluster never confirmed timed out. Never redirects anywhere but a
// registered cluster's origin; never puts a token in a start request.

import type { WorkspacePhase, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { hostFamilies } from '../../shared/host-registry.ts';
import type { HostEntry } from '../../shared/hosts/host-family.ts';
import type { ResolvedContext } from '../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { isWorkspaceUrl } from '../../shared/workspace-access.ts';
import { needsCloneCredential } from './auth/clone-credentials.ts';
import { type ClusterFailure, workspaceStatus } from './clusters/cluster-client.ts';
import { abandonStart } from './clusters/cluster-reconcile.ts';
import { startOnFirstCluster } from './clusters/cluster-start.ts';
import type { ClusterConfig } from './config.ts';
import { LaunchError } from './errors.ts';
import { type LaunchDeps, type Resolution, startRequestFor } from './launch.ts';
import {
  claimWorkspace,
  findActiveWorkspace,
  getWorkspace,
  updateWorkspace,
  type WorkspaceRecord,
  workspaceByKey,
} from './workspaces.ts';

export interface StartInput {
  readonly resolution: Resolution;
  readonly owner: string;
  readonly idempotencyKey: string | null;
  /** Where clusters post signed events. */
  readonly eventsUrl: string;
  /**
   * A one-time clone credential URL for this workspace on this cluster, asked for only when the clone needs the
   * user's token (auth/clone-credentials.ts `needsCloneCredential`); the token itself never goes in a start request.
   */
  readonly credentialUrl?: (workspaceId: string, cluster: string) => Promise<string | undefined>;
  /** The sign-in session starting it: its host tokens answer git inside the workspace, once the owner allows it. */
  readonly sessionHash?: string;
  /** Where the cluster asks for those credentials (signed); only for a signed-in owner. */
  readonly gitCredentialsUrl?: string;
}

export interface StartOutcome {
  readonly workspace: WorkspaceRecord;
  /** false when an existing workspace answered (same idempotency key, or `quickstart`). */
  readonly started: boolean;
  /**
   * false when the only cluster that may have started it did not answer in time: the record waits for the cluster
   * to confirm (its events, or the next status read) — it is neither failed nor left running unfollowed.
   */
  readonly confirmed: boolean;
}

/** An unconfirmed start the cluster says it does not hold, after this long, never landed: it is failed. */
export const UNCONFIRMED_GRACE_MS = 30_000;
/** An unconfirmed start whose cluster does not answer for this long is failed (and stopped if it ever lands). */
export const UNCONFIRMED_LIMIT_MS = 10 * 60_000;

/** Starts the workspace, or answers the one this owner already started with this key (or for this context). */
export async function startLaunch(
  input: StartInput,
  deps: LaunchDeps,
): Promise<Result<StartOutcome, LaunchError>> {
  const { resolution, owner } = input;
  // A retry of a start that happened answers that workspace, whatever the clusters' state now.
  if (input.idempotencyKey !== null) {
    const existing = await workspaceByKey(deps.db, owner, input.idempotencyKey);
    if (existing !== undefined) return ok({ workspace: existing, started: false, confirmed: true });
  }
  if (resolution.options.quickstart === true) {
    const active = await findActiveWorkspace(deps.db, owner, resolution.contextKey);
    if (active !== undefined) return ok({ workspace: active, started: false, confirmed: true });
  }
  if (resolution.clusters.length === 0) return err(noCapacity(resolution.unavailable));
  const id = `ws-${crypto.randomUUID()}`;
  const claim = await claimWorkspace(deps.db, {
    id,
    owner,
    contextUrl: resolution.resolved.webUrl,
    contextKey: resolution.contextKey,
    contextJson: JSON.stringify(summary(resolution)),
    prebuildId: resolution.prebuild.kind === 'use' ? resolution.prebuild.prebuildId : null,
    idempotencyKey: input.idempotencyKey,
    sessionHash: input.sessionHash ?? null,
    now: deps.now(),
  });
  if (!claim.created) return ok({ workspace: claim.record, started: false, confirmed: true });

  const startRequest = {
    ...startRequestFor(resolution, id, owner, input.eventsUrl),
    ...(input.gitCredentialsUrl !== undefined && { gitCredentialsUrl: input.gitCredentialsUrl }),
  };

  const entry = deps.config.registry.entries.find((e) => e.hostname === resolution.resolved.repo.host);
  const mint = needsCloneCredential(resolution.resolved, resolution.credentials, entry)
    ? input.credentialUrl
    : undefined;
  const start = await startOnFirstCluster(
    resolution.clusters.map((c) => c.cluster),
    async (cluster) => {
      const credentialUrl = await mint?.(id, cluster.name);
      return credentialUrl === undefined ? startRequest : { ...startRequest, credentialUrl };
    },
    deps,
    (cluster, status) => {
      const url = checkedWorkspaceUrl(status.url, cluster, id);
      return url === undefined
        ? err(`cluster ${cluster.name} answered a workspace URL outside its origin`)
        : ok({ status, url });
    },
  );
  if (start.ok) {
    const { cluster } = start;
    const { status, url } = start.value;
    const record = await updateWorkspace(deps.db, id, {
      cluster: cluster.name,
      clusterWorkspaceId: status.id,
      url,
      phase: status.phase,
      ...(status.failure !== undefined && { failure: status.failure }),
      now: deps.now(),
    });
    if (record === undefined) throw new Error(`workspace ${id} vanished while starting`);
    // Clusters tried before may still start the same id: stopped there once they answer.
    for (const doubt of start.inDoubt)
      await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
    return ok({ workspace: record, started: true, confirmed: true });
  }
  const waitFor = start.inDoubt.find((d) => d.slow);
  if (waitFor !== undefined) {
    // A cluster that did not answer in time may still start it: follow the first such (its events or the next
    // status read confirm it or time it out) and stop it on every other.
    for (const doubt of start.inDoubt.filter((d) => d !== waitFor))
      await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
    const record = await updateWorkspace(deps.db, id, {
      cluster: waitFor.cluster.name,
      clusterWorkspaceId: id,
      phase: 'pending',
      now: deps.now(),
    });
    if (record === undefined) throw new Error(`workspace ${id} vanished while starting`);
    return ok({ workspace: record, started: true, confirmed: false });
  }
  for (const doubt of start.inDoubt)
    await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
  // What each cluster tried answered, then why the others were not tried.
  const error = noCapacity([...start.problems, ...resolution.unavailable], start.fullRetryAfterSeconds);
  await updateWorkspace(deps.db, id, { phase: 'failed', failure: error.detail, now: deps.now() });
  return err(error);
}

function noCapacity(problems: readonly string[], fullRetryAfterSeconds?: number): LaunchError {
  const full = fullRetryAfterSeconds !== undefined;
  return new LaunchError('no-capacity', {
    title: full ? 'Every workspace cluster is full right now' : 'No workspace capacity right now',
    detail:
      problems.length === 0
        ? 'No workspace cluster is available at the moment. Try again in a minute.'
        : `No workspace cluster could start the workspace (${problems.join('; ')}). ${
            full ? `Try again in ${fullRetryAfterSeconds} seconds.` : 'Try again in a minute.'
          }`,
    retryAfterSeconds: fullRetryAfterSeconds ?? 60,
    wayOut: { label: 'Try again', href: '' },
  });
}

/** A workspace URL is followed only when it is on its cluster's registered origin. */
/**
 * The workspace URL a cluster answered, when it is that workspace's own origin under the cluster's public origin
 * (`http://<id>.localhost:8788/`); anything else is never stored, so no user is ever sent there.
 */
export function checkedWorkspaceUrl(
  url: string,
  cluster: ClusterConfig,
  workspaceId: string,
): string | undefined {
  return isWorkspaceUrl(url, cluster.publicOrigin, workspaceId) ? url : undefined;
}

/** The live state of a workspace: the stored record, refreshed from its cluster while it is still changing. */
export async function currentWorkspace(
  id: string,
  deps: LaunchDeps,
): Promise<Result<WorkspaceRecord & { readonly live?: WorkspaceStatus }, LaunchError>> {
  const record = await getWorkspace(deps.db, id);
  if (record === undefined) {
    return err(
      new LaunchError('workspace-not-found', {
        title: 'No such workspace',
        detail: `There is no workspace ${id}. It may have been started on another launcher.`,
        wayOut: { label: 'Start a new one', href: '/' },
      }),
    );
  }
  const live: readonly WorkspacePhase[] = ['creating', 'initializing', 'pending', 'stopping'];
  const cluster = deps.config.clusters.find((c) => c.name === record.cluster);
  if (!live.includes(record.phase) || cluster === undefined || record.clusterWorkspaceId === null)
    return ok(record);
  const status = await workspaceStatus(cluster, record.clusterWorkspaceId, {
    ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
  });
  if (!status.ok) return ok(await timeOutUnconfirmed(record, cluster, status.error, deps));
  const url = checkedWorkspaceUrl(status.value.url, cluster, id);
  const updated = await updateWorkspace(deps.db, id, {
    phase: status.value.phase,
    ...(url !== undefined && { url }),
    ...(status.value.failure !== undefined && { failure: status.value.failure }),
    now: deps.now(),
  });
  // What it is doing now (its step) is the cluster's live answer; the record keeps phases only.
  return ok({ ...(updated ?? record), live: status.value });
}

/**
 * A start its cluster never confirmed (no workspace URL yet) is given up once the cluster says it holds no such
 * workspace after the grace, or has not answered for the limit: failed, with a way out — and stopped there should the
 * start land after all. A confirmed workspace is left as it is.
 */
async function timeOutUnconfirmed(
  record: WorkspaceRecord,
  cluster: ClusterConfig,
  failure: ClusterFailure,
  deps: LaunchDeps,
): Promise<WorkspaceRecord> {
  if (record.url !== null || record.phase !== 'pending') return record;
  const age = deps.now() - record.createdAt;
  const absent = failure.kind === 'refused' && failure.status === 404;
  if (!(absent && age >= UNCONFIRMED_GRACE_MS) && age < UNCONFIRMED_LIMIT_MS) return record;
  const why = absent
    ? `cluster ${cluster.name} never received the start`
    : `cluster ${cluster.name} has not answered for ${Math.round(age / 60_000)} minutes`;
  await abandonStart(deps.db, cluster.name, record.id, why, deps.now());
  const failed = await updateWorkspace(deps.db, record.id, {
    phase: 'failed',
    failure: `The workspace did not start: ${why}. Start it again.`,
    now: deps.now(),
  });
  return failed ?? record;
}

/** What the workspace list and status API show about a workspace's context (no tokens, no config text). */
function summary(resolution: Resolution) {
  const { resolved } = resolution;
  return {
    repo: `${resolved.repo.owner}/${resolved.repo.name}`,
    host: resolved.repo.host,
    family: resolved.repo.family,
    ref: resolved.ref,
    sha: resolved.sha,
    ...(resolved.pullRequest !== undefined && { pullRequest: resolved.pullRequest.number }),
    ...(resolved.issue !== undefined && { issue: resolved.issue.number }),
  };
}

/** A repository only the server token can read, as a visitor who has not signed in meets it: not found, may be private. */
export function privateForVisitor(entry: HostEntry, resolved: ResolvedContext): LaunchError {
  const label = entry.builtin ? hostFamilies[entry.family].displayName : entry.hostname;
  const name = `${resolved.repo.owner}/${resolved.repo.name}`;
  return new LaunchError('repo-not-found', {
    title: `Repository ${name} not found`,
    detail: `${label} has no public repository ${name}. It may be private: sign in with ${label} to open private repositories your account can read.`,
    wayOut: { label: `Open ${label}`, href: entry.origin + entry.basePath },
    facts: { maybePrivate: true },
  });
}
