// Starting on the first cluster that takes it, in the order chosen, at most three tried — the same workspace id on
// each, so a cluster that acts late on a start it did not confirm holds that id and nothing else. "Slow", "full"
// and "down" stay apart: a cluster that did not answer in time may still start the workspace (it is reported as in
// doubt, for the caller to follow or stop) and is only tried after others next time; one that said it is full, or
// could not be reached, is passed over until its next health check. Launches and prebuilds both start this way.

import type { StartWorkspaceRequest, WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { ClusterConfig } from '../config.ts';
import { startWorkspace } from './cluster-client.ts';
import { markCluster } from './cluster-health.ts';

export const MAX_START_ATTEMPTS = 3;

export interface ClusterStartDeps {
  readonly cache: KVNamespace;
  readonly now: () => number;
  readonly clusterTimeoutMs?: number;
}

/** A cluster that may hold the workspace although the launcher did not take it from there, and why. */
export interface InDoubt {
  readonly cluster: ClusterConfig;
  readonly reason: string;
  /** It did not answer in time, so it may yet start it properly; otherwise it answered an error or a bad URL. */
  readonly slow: boolean;
}

export type ClusterStart<T> =
  | {
      readonly ok: true;
      readonly cluster: ClusterConfig;
      readonly value: T;
      /** Clusters tried before that may still start it: the caller stops it there. */
      readonly inDoubt: readonly InDoubt[];
    }
  | {
      readonly ok: false;
      readonly problems: readonly string[];
      /** Clusters that may still start it (slow to answer, or a 5xx): the caller follows or stops it there. */
      readonly inDoubt: readonly InDoubt[];
      /** Every cluster tried said it is full: the soonest it expects room, in seconds. */
      readonly fullRetryAfterSeconds?: number;
    };

/**
 * `requestFor` builds the request for one cluster (a clone credential is bound to it); `accept` reads a cluster's
 * answer or turns it down with the reason (a workspace URL off its origin) — the cluster then holds a workspace the
 * launcher will not use, reported in doubt so it is stopped — and the next cluster is tried.
 */
export async function startOnFirstCluster<T = WorkspaceStatus>(
  clusters: readonly ClusterConfig[],
  requestFor: (cluster: ClusterConfig) => Promise<StartWorkspaceRequest> | StartWorkspaceRequest,
  deps: ClusterStartDeps,
  accept: (cluster: ClusterConfig, status: WorkspaceStatus) => Result<T, string> = (_, status) =>
    ok(status as T),
): Promise<ClusterStart<T>> {
  const problems: string[] = [];
  const inDoubt: InDoubt[] = [];
  let allFull = clusters.length > 0;
  let retryAfter: number | undefined;
  for (const cluster of clusters.slice(0, MAX_START_ATTEMPTS)) {
    const started = await startWorkspace(cluster, await requestFor(cluster), {
      ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
    });
    if (!started.ok) {
      const failure = started.error;
      problems.push(failure.message);
      if (failure.kind !== 'full') allFull = false;
      if (failure.kind === 'full') {
        retryAfter = Math.min(retryAfter ?? Number.POSITIVE_INFINITY, failure.retryAfterSeconds ?? 60);
        await markCluster(cluster.name, { kind: 'full', problem: failure.message }, deps.cache, deps.now());
      } else if (failure.kind === 'slow') {
        inDoubt.push({ cluster, reason: failure.message, slow: true });
        await markCluster(cluster.name, { kind: 'slow', problem: failure.message }, deps.cache, deps.now());
      } else if (failure.kind === 'down') {
        // A 5xx came from the cluster itself, which may have begun the start; "unreachable" never reached it.
        if (failure.answered) inDoubt.push({ cluster, reason: failure.message, slow: false });
        await markCluster(cluster.name, { kind: 'down', problem: failure.message }, deps.cache, deps.now());
      }
      continue;
    }
    const accepted = accept(cluster, started.value);
    if (!accepted.ok) {
      allFull = false;
      problems.push(accepted.error);
      inDoubt.push({ cluster, reason: accepted.error, slow: false });
      continue;
    }
    return { ok: true, cluster, value: accepted.value, inDoubt };
  }
  return {
    ok: false,
    problems,
    inDoubt,
    ...(allFull && retryAfter !== undefined && { fullRetryAfterSeconds: retryAfter }),
  };
}
