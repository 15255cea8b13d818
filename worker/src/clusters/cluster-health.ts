// Cluster health: each cluster's own description, kept in KV for the choice at launch. Refreshed by the cron
// trigger; read at launch. A cluster a start found down, slow or full — or whose last check failed — is asked again
// (`GET /v1/cluster`) by the next launch once one health interval has passed, so it serves again as soon as it
// answers: a slow answer never takes a cluster out for minutes.

import { HEALTH_INTERVAL_MS } from '../../../shared/cluster-contract.ts';
import type { ClusterConfig } from '../config.ts';
import type { ClusterHealth } from './cluster-choice.ts';
import { describeCluster } from './cluster-client.ts';

const HEALTH_KEY = 'cluster-health:v1';
/** A healthy record is trusted this long; the cron refreshes every minute. */
const STALE_MS = 5 * 60 * 1000;

export { HEALTH_INTERVAL_MS };

/** Describes every cluster (the cron). */
export async function refreshClusterHealth(
  clusters: readonly ClusterConfig[],
  cache: KVNamespace,
  now: number,
): Promise<Record<string, ClusterHealth>> {
  const stored = (await cache.get<Record<string, ClusterHealth>>(HEALTH_KEY, 'json')) ?? {};
  const health = { ...stored, ...(await describeAll(clusters, now)) };
  await cache.put(HEALTH_KEY, JSON.stringify(health));
  return health;
}

/** The stored health, with the clusters that are due asked again first (unknown, stale, or marked a while ago). */
export async function clusterHealth(
  clusters: readonly ClusterConfig[],
  cache: KVNamespace,
  now: number,
): Promise<Record<string, ClusterHealth>> {
  const stored = (await cache.get<Record<string, ClusterHealth>>(HEALTH_KEY, 'json')) ?? {};
  const due = clusters.filter((c) => isDue(stored[c.name], now));
  if (due.length === 0) return stored;
  const health = { ...stored, ...(await describeAll(due, now)) };
  await cache.put(HEALTH_KEY, JSON.stringify(health));
  return health;
}

function isDue(health: ClusterHealth | undefined, now: number): boolean {
  if (health === undefined) return true;
  const age = now - health.checkedAt;
  if (age >= STALE_MS || age < 0) return true;
  const impaired =
    health.description === undefined ||
    health.slow === true ||
    health.description.state !== 'available' ||
    !(health.description.score > 0);
  return impaired && age >= HEALTH_INTERVAL_MS;
}

async function describeAll(
  clusters: readonly ClusterConfig[],
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
  return Object.fromEntries(entries);
}

/**
 * What a start learned about a cluster, until its next check: `down` (unreachable or broken: not chosen), `full`
 * (it said so: not chosen), `slow` (no answer in time: still chosen, after the others).
 */
export async function markCluster(
  name: string,
  mark: { readonly kind: 'down' | 'full' | 'slow'; readonly problem: string },
  cache: KVNamespace,
  now: number,
): Promise<void> {
  const stored = (await cache.get<Record<string, ClusterHealth>>(HEALTH_KEY, 'json')) ?? {};
  const description = stored[name]?.description;
  stored[name] =
    mark.kind === 'down' || description === undefined
      ? { problem: mark.problem, checkedAt: now }
      : mark.kind === 'full'
        ? { description: { ...description, score: 0 }, checkedAt: now }
        : { description, slow: true, checkedAt: now };
  await cache.put(HEALTH_KEY, JSON.stringify(stored));
}
