// The launcher's record of workspaces in D1: who started what, where, in which phase, under which idempotency key.
// Phases only move forward; a workspace's URL is stored only after its origin was checked against its cluster.

import { canMovePhase, type WorkspacePhase } from '../../shared/cluster-contract.ts';

export interface WorkspaceRecord {
  readonly id: string;
  readonly owner: string;
  readonly contextUrl: string;
  readonly contextKey: string;
  readonly contextJson: string;
  readonly cluster: string;
  readonly clusterWorkspaceId: string | null;
  readonly url: string | null;
  readonly phase: WorkspacePhase;
  readonly failure: string | null;
  readonly prebuildId: string | null;
  readonly idempotencyKey: string | null;
  /** The sequence of the last signed cluster event applied; -1 before the first. */
  readonly eventSequence: number;
  /** The sign-in session that started it (its host tokens answer git inside, when allowed); null if anonymous. */
  readonly sessionHash: string | null;
  /** Whether its owner allowed git inside it to push with their token. */
  readonly gitAccess: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface Row {
  id: string;
  owner: string;
  context_url: string;
  context_key: string;
  context_json: string;
  cluster: string;
  cluster_workspace_id: string | null;
  url: string | null;
  phase: WorkspacePhase;
  failure: string | null;
  prebuild_id: string | null;
  idempotency_key: string | null;
  event_sequence: number;
  session_hash: string | null;
  git_access: number;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): WorkspaceRecord => ({
  id: r.id,
  owner: r.owner,
  contextUrl: r.context_url,
  contextKey: r.context_key,
  contextJson: r.context_json,
  cluster: r.cluster,
  clusterWorkspaceId: r.cluster_workspace_id,
  url: r.url,
  phase: r.phase,
  failure: r.failure,
  prebuildId: r.prebuild_id,
  idempotencyKey: r.idempotency_key,
  eventSequence: r.event_sequence,
  sessionHash: r.session_hash,
  gitAccess: r.git_access === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewWorkspace {
  readonly id: string;
  readonly owner: string;
  readonly contextUrl: string;
  readonly contextKey: string;
  readonly contextJson: string;
  readonly prebuildId: string | null;
  readonly idempotencyKey: string | null;
  readonly sessionHash?: string | null;
  readonly now: number;
}

/**
 * Claims a new workspace row, or answers the existing one when the same owner already used this idempotency key
 * (a double click, a retried request). Exactly one caller gets `created: true` and goes on to start it.
 */
export async function claimWorkspace(
  db: D1Database,
  w: NewWorkspace,
): Promise<{ created: boolean; record: WorkspaceRecord }> {
  const inserted = await db
    .prepare(
      `INSERT INTO workspaces (id, owner, context_url, context_key, context_json, cluster, phase, prebuild_id,
         idempotency_key, created_at, updated_at, session_hash)
       VALUES (?1, ?2, ?3, ?4, ?5, '', 'pending', ?6, ?7, ?8, ?8, ?9)
       ON CONFLICT DO NOTHING RETURNING *`,
    )
    .bind(
      w.id,
      w.owner,
      w.contextUrl,
      w.contextKey,
      w.contextJson,
      w.prebuildId,
      w.idempotencyKey,
      w.now,
      w.sessionHash ?? null,
    )
    .first<Row>();
  if (inserted !== null) return { created: true, record: fromRow(inserted) };
  const existing = await db
    .prepare('SELECT * FROM workspaces WHERE owner = ?1 AND idempotency_key = ?2')
    .bind(w.owner, w.idempotencyKey)
    .first<Row>();
  if (existing === null) throw new Error('workspace claim conflicted but no row holds the key');
  return { created: false, record: fromRow(existing) };
}

/** The workspace this owner started with this idempotency key, if any. */
export async function workspaceByKey(
  db: D1Database,
  owner: string,
  idempotencyKey: string,
): Promise<WorkspaceRecord | undefined> {
  const row = await db
    .prepare('SELECT * FROM workspaces WHERE owner = ?1 AND idempotency_key = ?2')
    .bind(owner, idempotencyKey)
    .first<Row>();
  return row === null ? undefined : fromRow(row);
}

export async function getWorkspace(db: D1Database, id: string): Promise<WorkspaceRecord | undefined> {
  const row = await db.prepare('SELECT * FROM workspaces WHERE id = ?1').bind(id).first<Row>();
  return row === null ? undefined : fromRow(row);
}

/** The owner's newest workspace for the same context that is starting or running (for `quickstart`). */
export async function findActiveWorkspace(
  db: D1Database,
  owner: string,
  contextKey: string,
): Promise<WorkspaceRecord | undefined> {
  const row = await db
    .prepare(
      `SELECT * FROM workspaces WHERE owner = ?1 AND context_key = ?2
         AND phase IN ('pending', 'creating', 'initializing', 'running') ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(owner, contextKey)
    .first<Row>();
  return row === null ? undefined : fromRow(row);
}

/**
 * The owner's newest workspace for the same context that still holds its files (starting, running or stopped), for
 * the start page's "you already have one" — a reload or Back never starts a second one unasked.
 */
export async function findOwnWorkspace(
  db: D1Database,
  owner: string,
  contextKey: string,
): Promise<WorkspaceRecord | undefined> {
  const row = await db
    .prepare(
      `SELECT * FROM workspaces WHERE owner = ?1 AND context_key = ?2
         AND phase IN ('pending', 'creating', 'initializing', 'running', 'stopping', 'stopped')
       ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(owner, contextKey)
    .first<Row>();
  return row === null ? undefined : fromRow(row);
}

/** An owner's workspaces that are not deleted, newest first. */
export async function listOwnerWorkspaces(
  db: D1Database,
  owner: string,
  limit = 50,
): Promise<WorkspaceRecord[]> {
  const rows = await db
    .prepare(
      `SELECT * FROM workspaces WHERE owner = ?1 AND phase != 'deleted' AND cluster != ''
       ORDER BY created_at DESC LIMIT ?2`,
    )
    .bind(owner, limit)
    .all<Row>();
  return rows.results.map(fromRow);
}

/** Records the owner's choice about git pushes from this workspace. */
export async function setGitAccess(db: D1Database, id: string, allowed: boolean, now: number): Promise<void> {
  await db
    .prepare('UPDATE workspaces SET git_access = ?2, updated_at = ?3 WHERE id = ?1')
    .bind(id, allowed ? 1 : 0, now)
    .run();
}

export interface WorkspaceUpdate {
  readonly cluster?: string;
  readonly clusterWorkspaceId?: string;
  readonly url?: string;
  readonly phase: WorkspacePhase;
  readonly failure?: string;
  readonly now: number;
}

/**
 * Applies an update if it moves the phase forward (or keeps it while filling cluster facts); answers the row. A
 * restart (back to `pending`) clears the last instance's failure.
 */
export async function updateWorkspace(
  db: D1Database,
  id: string,
  u: WorkspaceUpdate,
): Promise<WorkspaceRecord | undefined> {
  const current = await getWorkspace(db, id);
  if (current === undefined) return undefined;
  if (!canMovePhase(current.phase, u.phase)) return current;
  const row = await db
    .prepare(
      `UPDATE workspaces SET cluster = COALESCE(?2, cluster), cluster_workspace_id = COALESCE(?3, cluster_workspace_id),
         url = COALESCE(?4, url), phase = ?5,
         failure = CASE WHEN ?5 = 'pending' THEN ?6 ELSE COALESCE(?6, failure) END, updated_at = ?7
       WHERE id = ?1 RETURNING *`,
    )
    .bind(
      id,
      u.cluster ?? null,
      u.clusterWorkspaceId ?? null,
      u.url ?? null,
      u.phase,
      u.failure ?? null,
      u.now,
    )
    .first<Row>();
  return row === null ? undefined : fromRow(row);
}

export type EventOutcome =
  | { readonly kind: 'applied'; readonly record: WorkspaceRecord }
  | { readonly kind: 'stale'; readonly lastSequence: number }
  | { readonly kind: 'unknown' };

/**
 * Applies a signed cluster event once: only when its sequence is above the last one applied (a replay or a late
 * event is `stale`). The sequence is taken even when the phase cannot move (forward only), so it is never applied
 * twice. Atomic: of two deliveries of one event racing, one applies.
 */
export async function applyWorkspaceEvent(
  db: D1Database,
  id: string,
  sequence: number,
  u: Omit<WorkspaceUpdate, 'cluster' | 'clusterWorkspaceId'>,
): Promise<EventOutcome> {
  const current = await getWorkspace(db, id);
  if (current === undefined) return { kind: 'unknown' };
  if (sequence <= current.eventSequence) return { kind: 'stale', lastSequence: current.eventSequence };
  const moves = canMovePhase(current.phase, u.phase);
  const row = await db
    .prepare(
      `UPDATE workspaces SET url = COALESCE(?2, url), phase = ?3,
         failure = CASE WHEN ?3 = 'pending' THEN ?4 ELSE COALESCE(?4, failure) END, updated_at = ?5,
         event_sequence = ?6
       WHERE id = ?1 AND event_sequence < ?6 AND phase = ?7 RETURNING *`,
    )
    .bind(
      id,
      moves ? (u.url ?? null) : null,
      moves ? u.phase : current.phase,
      moves ? (u.failure ?? null) : null,
      u.now,
      sequence,
      current.phase,
    )
    .first<Row>();
  if (row !== null) return { kind: 'applied', record: fromRow(row) };
  // Another event or a status refresh got there first: read again and decide on what is there now.
  const now = await getWorkspace(db, id);
  if (now === undefined) return { kind: 'unknown' };
  if (sequence <= now.eventSequence) return { kind: 'stale', lastSequence: now.eventSequence };
  return applyWorkspaceEvent(db, id, sequence, u);
}
