// Signed cluster events about prebuild workspaces (ids `pb-…`) → prebuild record states. The signature was checked
// by the caller; this module rejects events from another cluster than the one building it, and stale or replayed
// ones (their `sequence` must grow). Never moves a state backwards.

import type { ClusterEvent, WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { getPrebuild, type PrebuildState, transition } from './prebuild-records.ts';

export const isPrebuildId = (id: string): boolean => /^pb-[0-9a-f-]{36}$/.test(id);

/** What a workspace phase means for its prebuild: only a stop with a stored snapshot is `ready`. */
export function stateOf(status: WorkspaceStatus): { state: PrebuildState; error?: string } {
  switch (status.phase) {
    case 'pending':
    case 'creating':
      return { state: 'queued' };
    case 'initializing':
    case 'running':
    case 'stopping':
      return { state: 'building' };
    case 'stopped':
      return status.snapshot !== undefined
        ? { state: 'ready' }
        : { state: 'failed', error: status.failure ?? 'The prebuild stopped without storing a snapshot.' };
    case 'failed':
      return { state: 'failed', error: status.failure ?? 'The prebuild failed.' };
    case 'deleted':
      return { state: 'failed', error: status.failure ?? 'The prebuild was deleted on its cluster.' };
  }
}

export type EventAnswer = { status: 200 | 404 | 409; body: Record<string, unknown> };

export async function applyPrebuildEvent(
  db: D1Database,
  clusterName: string,
  event: ClusterEvent,
  now: number,
): Promise<EventAnswer> {
  const record = await getPrebuild(db, event.workspace.id);
  if (record === undefined || record.cluster !== clusterName)
    return { status: 404, body: { error: 'unknown prebuild' } };
  if (typeof event.sequence !== 'number' || !Number.isInteger(event.sequence))
    return { status: 409, body: { error: 'event refused: it has no sequence' } };
  const { state, error } = stateOf(event.workspace);
  const outcome = await transition(db, record.id, {
    to: state,
    sequence: event.sequence,
    ...(error !== undefined && { error }),
    now,
  });
  if (outcome.kind === 'applied') return { status: 200, body: { ok: true, state: outcome.record.state } };
  if (outcome.kind === 'unknown') return { status: 404, body: { error: 'unknown prebuild' } };
  return {
    status: 409,
    body: { error: `event refused: stale (${outcome.why})`, state: outcome.record.state },
  };
}
