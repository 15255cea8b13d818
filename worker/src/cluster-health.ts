// Cluster health: every cluster described in parallel, the answers kept in KV for the choice at launch. Refreshed
// by the cron trigger; read at launch, and fetched on the spot when KV has none yet (first launch after deploy).

import type { ClusterHealth } from './cluster-choice.ts';
import { describeCluster } from './cluster-client.ts';
import type { ClusterConfig } from './config.ts';

const HEALTH_KEY = 'cluster-health:v1';
/** Older than this, a health record is not trusted: the cron runs every minute. */
const STALE_MS = 5 * 60 * 1000;

export async function refreshClusterHealth(
  clusters: readonly ClusterConfig[],
  cache: KVNamespace,
  now: number,
): Promise<Record<string, ClusterHealth>> {
  const entries = await Promise.all(
    clusters.map(async (cluster): Promise<[string, ClusterHealth]> => {
      const described = await describeCluster(cluster);
      return [
        cluster.name,
        described.ok
          ? { description: described.value, checkedAt: now }
          : { problem: described.error.message, checkedAt: now },
      ];
    }),
  );
  const health = Object.fromEntries(entries);
  await cache.put(HEALTH_KEY, JSON.stringify(health));
  return health;
}

export async function clusterHealth(
  clusters: readonly ClusterConfig[],
  cache: KVNamespace,
  now: number,
): Promise<Record<string, ClusterHealth>> {
  const stored = await cache.get<Record<string, ClusterHealth>>(HEALTH_KEY, 'json');
  const fresh =
    stored !== null &&
    clusters.every((c) => stored[c.name] !== undefined && now - (stored[c.name]?.checkedAt ?? 0) < STALE_MS);
  return fresh ? stored : refreshClusterHealth(clusters, cache, now);
}

/** After a failed start, remember that the cluster misbehaved so the next launch does not try it first. */
export async function markClusterDown(
  name: string,
  problem: string,
  cache: KVNamespace,
  now: number,
): Promise<void> {
  const stored = (await cache.get<Record<string, ClusterHealth>>(HEALTH_KEY, 'json')) ?? {};
  stored[name] = { problem, checkedAt: now };
  await cache.put(HEALTH_KEY, JSON.stringify(stored));
}
