// Starting on the first cluster that takes it, in the order chosen, at most three tried. A cluster that cannot be
// reached is marked down for the next choice; one that refuses (full, draining) is simply passed over. Launches and
// prebuilds both start this way.

import type { StartWorkspaceRequest, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { ok, type Result } from '../../shared/result.ts';
import { startWorkspace } from './cluster-client.ts';
import { markClusterDown } from './cluster-health.ts';
import type { ClusterConfig } from './config.ts';

export const MAX_START_ATTEMPTS = 3;

export interface ClusterStartDeps {
  readonly cache: KVNamespace;
  readonly now: () => number;
  readonly clusterTimeoutMs?: number;
}

export type ClusterStart<T> =
  | { readonly ok: true; readonly cluster: ClusterConfig; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * `requestFor` builds the request for one cluster (a clone credential is bound to it); `accept` reads a cluster's
 * answer or turns it down with the reason (a workspace URL off its origin), and the next cluster is tried.
 */
export async function startOnFirstCluster<T = WorkspaceStatus>(
  clusters: readonly ClusterConfig[],
  requestFor: (cluster: ClusterConfig) => Promise<StartWorkspaceRequest> | StartWorkspaceRequest,
  deps: ClusterStartDeps,
  accept: (cluster: ClusterConfig, status: WorkspaceStatus) => Result<T, string> = (_, status) =>
    ok(status as T),
): Promise<ClusterStart<T>> {
  const problems: string[] = [];
  for (const cluster of clusters.slice(0, MAX_START_ATTEMPTS)) {
    const started = await startWorkspace(cluster, await requestFor(cluster), {
      ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
    });
    if (!started.ok) {
      problems.push(started.error.message);
      if (started.error.kind === 'transport')
        await markClusterDown(cluster.name, started.error.message, deps.cache, deps.now());
      continue;
    }
    const accepted = accept(cluster, started.value);
    if (!accepted.ok) {
      problems.push(accepted.error);
      continue;
    }
    return { ok: true, cluster, value: accepted.value };
  }
  return { ok: false, problems };
}
