// Nothing runs on a cluster that the launcher does not follow. A start the launcher gave up on (no answer in time
// and another cluster took it, a workspace URL off the cluster's origin, a start that never confirmed) is recorded
// and stopped once the cluster answers; the cron also lists each cluster's workspaces and stops those whose launcher
// record says failed or names another cluster. Never stops a workspace the launcher follows, nor one it has no
// record of (another launcher's).

import { TERMINAL_PHASES } from '../../../shared/cluster-contract.ts';
import type { ClusterConfig, LauncherConfig } from '../config.ts';
import { isPrebuildId } from '../prebuilds/prebuild-events.ts';
import { FINAL_STATES, getPrebuild } from '../prebuilds/prebuild-records.ts';
import { getWorkspace } from '../workspaces.ts';
import { listWorkspaces, stopWorkspace } from './cluster-client.ts';

/** A cluster that said "no such workspace" is asked again this long after, before the row is let go. */
export const ABSENT_CONFIRM_MS = 10_000;
/** First retry after a cluster did not answer a stop; doubled up to ten minutes. */
const RETRY_MS = 15_000;
const MAX_RETRY_MS = 10 * 60_000;

export interface ReconcileDeps {
  readonly config: LauncherConfig;
  readonly db: D1Database;
  readonly now: () => number;
  readonly clusterTimeoutMs?: number;
}

/** Records that the launcher does not want workspace `workspaceId` on `cluster`: it is stopped there. */
export async function abandonStart(
  db: D1Database,
  cluster: string,
  workspaceId: string,
  reason: string,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO abandoned_starts (cluster, workspace_id, reason, created_at, next_attempt_at)
       VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING`,
    )
    .bind(cluster, workspaceId, reason.slice(0, 500), now)
    .run();
}

interface AbandonedRow {
  cluster: string;
  workspace_id: string;
  attempts: number;
  first_absent_at: number | null;
}

/**
 * Sends `stop` for the abandoned starts that are due. A row goes when the cluster confirms the stop, or has said
 * twice, ten seconds apart, that it holds no such workspace (a start still queued in a frozen cluster lands before
 * the second answer). Answers how many rows are still waiting.
 */
export async function stopAbandoned(deps: ReconcileDeps, limit = 20): Promise<{ remaining: number }> {
  const now = deps.now();
  const { results } = await deps.db
    .prepare('SELECT * FROM abandoned_starts WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2')
    .bind(now, limit)
    .all<AbandonedRow>();
  await Promise.all(results.map((row) => stopOne(row, deps, now)));
  const left = await deps.db.prepare('SELECT COUNT(*) AS n FROM abandoned_starts').first<{ n: number }>();
  return { remaining: left?.n ?? 0 };
}

async function stopOne(row: AbandonedRow, deps: ReconcileDeps, now: number): Promise<void> {
  const done = () =>
    deps.db
      .prepare('DELETE FROM abandoned_starts WHERE cluster = ?1 AND workspace_id = ?2')
      .bind(row.cluster, row.workspace_id)
      .run();
  const cluster = deps.config.clusters.find((c) => c.name === row.cluster);
  // A cluster no longer registered is no longer ours to stop anything on.
  if (cluster === undefined) return void (await done());
  const stopped = await stopWorkspace(cluster, row.workspace_id, {
    ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
  });
  if (stopped.ok) return void (await done());
  if (stopped.error.kind === 'refused' && stopped.error.status === 404) {
    if (row.first_absent_at !== null && now - row.first_absent_at >= ABSENT_CONFIRM_MS)
      return void (await done());
    await deps.db
      .prepare(
        `UPDATE abandoned_starts SET first_absent_at = COALESCE(first_absent_at, ?3), attempts = attempts + 1,
           next_attempt_at = ?4 WHERE cluster = ?1 AND workspace_id = ?2`,
      )
      .bind(row.cluster, row.workspace_id, now, now + ABSENT_CONFIRM_MS)
      .run();
    return;
  }
  // Not answering (or refusing for now): try again later; an absence seen before does not count any more.
  const wait = Math.min(RETRY_MS * 2 ** Math.min(row.attempts, 10), MAX_RETRY_MS);
  await deps.db
    .prepare(
      `UPDATE abandoned_starts SET first_absent_at = NULL, attempts = attempts + 1, next_attempt_at = ?3
       WHERE cluster = ?1 AND workspace_id = ?2`,
    )
    .bind(row.cluster, row.workspace_id, now + wait)
    .run();
}

/** Why the launcher does not follow this workspace on this cluster, or undefined when it does (or never knew it). */
async function orphanReason(db: D1Database, cluster: ClusterConfig, id: string): Promise<string | undefined> {
  if (isPrebuildId(id)) {
    const prebuild = await getPrebuild(db, id);
    if (prebuild === undefined || prebuild.cluster === null) return undefined;
    if (prebuild.cluster !== cluster.name) return `prebuild ${id} is recorded on ${prebuild.cluster}`;
    return FINAL_STATES.includes(prebuild.state) ? `prebuild ${id} is ${prebuild.state}` : undefined;
  }
  if (!/^ws-[0-9a-f-]{36}$/.test(id)) return undefined;
  const record = await getWorkspace(db, id);
  // No record: not this launcher's. No cluster yet: its start is still in flight.
  if (record === undefined || record.cluster === '') return undefined;
  if (record.cluster !== cluster.name) return `workspace ${id} is recorded on ${record.cluster}`;
  return TERMINAL_PHASES.includes(record.phase) ? `workspace ${id} is ${record.phase} here` : undefined;
}

/** The cron's sweep: every cluster's live workspaces against the launcher's records; orphans are stopped. */
export async function sweepOrphans(deps: ReconcileDeps): Promise<{ orphans: number }> {
  let orphans = 0;
  await Promise.all(
    deps.config.clusters.map(async (cluster) => {
      const listed = await listWorkspaces(cluster, {
        ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
      });
      if (!listed.ok) return;
      for (const workspace of listed.value.workspaces) {
        if (TERMINAL_PHASES.includes(workspace.phase) || workspace.phase === 'stopping') continue;
        const reason = await orphanReason(deps.db, cluster, workspace.id);
        if (reason === undefined) continue;
        orphans++;
        await abandonStart(deps.db, cluster.name, workspace.id, `orphan: ${reason}`, deps.now());
      }
    }),
  );
  await stopAbandoned(deps);
  return { orphans };
}
