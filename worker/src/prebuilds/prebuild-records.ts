// Prebuild records in D1: one row per prebuild, its state moving only forward (queued → building → ready | failed |
// aborted | timeout), driven by signed cluster events whose `sequence` must grow. Never moves a state backwards.

import type { RepoRef } from '../../../shared/launch-request.ts';

export type PrebuildState = 'queued' | 'building' | 'ready' | 'failed' | 'aborted' | 'timeout';

export const FINAL_STATES: readonly PrebuildState[] = ['ready', 'failed', 'aborted', 'timeout'];

const ORDER: Readonly<Record<PrebuildState, number>> = {
  queued: 0,
  building: 1,
  ready: 2,
  failed: 2,
  aborted: 2,
  timeout: 2,
};

/** Forward only: a late `building` never overwrites `ready`, nothing leaves a final state (same state: a no-op). */
export function canMoveState(from: PrebuildState, to: PrebuildState): boolean {
  if (FINAL_STATES.includes(from)) return false;
  return ORDER[to] >= ORDER[from];
}

export interface PrebuildRecord {
  readonly id: string;
  readonly projectId: string;
  readonly repoKey: string;
  readonly sha: string;
  readonly ref: string | null;
  readonly fingerprint: string;
  readonly cluster: string | null;
  readonly state: PrebuildState;
  readonly sequence: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly durationMs: number | null;
  readonly logUrl: string | null;
  readonly error: string | null;
  readonly updatedAt: number;
}

export interface PrebuildRow {
  id: string;
  project_id: string;
  repo_key: string;
  sha: string;
  ref: string | null;
  fingerprint: string;
  cluster: string | null;
  state: PrebuildState;
  sequence: number;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  log_url: string | null;
  error: string | null;
  updated_at: number;
}

export const fromRow = (r: PrebuildRow): PrebuildRecord => ({
  id: r.id,
  projectId: r.project_id,
  repoKey: r.repo_key,
  sha: r.sha,
  ref: r.ref,
  fingerprint: r.fingerprint,
  cluster: r.cluster,
  state: r.state,
  sequence: r.sequence,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
  logUrl: r.log_url,
  error: r.error,
  updatedAt: r.updated_at,
});

/** `github.com/owner/name`, lower-cased: how prebuilds and projects name a repository. */
export const repoKey = (repo: Pick<RepoRef, 'host' | 'owner' | 'name'>): string =>
  `${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();

export interface NewPrebuild {
  readonly projectId: string;
  readonly repoKey: string;
  readonly sha: string;
  readonly ref: string | null;
  readonly fingerprint: string;
  readonly now: number;
}

/**
 * Claims the prebuild of a commit and config: exactly one caller gets `created: true` (the unique index on unfailed
 * prebuilds is the serialisation point); the others get the existing unfailed one to reuse.
 */
export async function claimPrebuild(
  db: D1Database,
  p: NewPrebuild,
): Promise<{ created: boolean; record: PrebuildRecord }> {
  const id = `pb-${crypto.randomUUID()}`;
  const inserted = await db
    .prepare(
      `INSERT INTO prebuilds (id, project_id, repo_key, sha, ref, fingerprint, state, started_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7) ON CONFLICT DO NOTHING RETURNING *`,
    )
    .bind(id, p.projectId, p.repoKey, p.sha, p.ref, p.fingerprint, p.now)
    .first<PrebuildRow>();
  if (inserted !== null) return { created: true, record: fromRow(inserted) };
  const existing = await db
    .prepare(
      `SELECT * FROM prebuilds WHERE repo_key = ?1 AND sha = ?2 AND fingerprint = ?3
         AND state IN ('queued', 'building', 'ready') LIMIT 1`,
    )
    .bind(p.repoKey, p.sha, p.fingerprint)
    .first<PrebuildRow>();
  if (existing === null) throw new Error('prebuild claim conflicted but no unfailed prebuild holds it');
  return { created: false, record: fromRow(existing) };
}

export async function getPrebuild(db: D1Database, id: string): Promise<PrebuildRecord | undefined> {
  const row = await db.prepare('SELECT * FROM prebuilds WHERE id = ?1').bind(id).first<PrebuildRow>();
  return row === null ? undefined : fromRow(row);
}

/** After the cluster accepted the start: where it runs and where its log is. */
export async function markStarted(
  db: D1Database,
  id: string,
  cluster: string,
  logUrl: string | undefined,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE prebuilds SET cluster = ?2, log_url = COALESCE(?3, log_url), updated_at = ?4
       WHERE id = ?1 AND state = 'queued'`,
    )
    .bind(id, cluster, logUrl ?? null, now)
    .run();
}

export type TransitionOutcome =
  | { readonly kind: 'applied'; readonly record: PrebuildRecord }
  | { readonly kind: 'stale'; readonly record: PrebuildRecord; readonly why: string }
  | { readonly kind: 'unknown' };

export interface Transition {
  readonly to: PrebuildState;
  /** The cluster event's sequence; undefined for the launcher's own moves (start failure, sweep). */
  readonly sequence?: number;
  readonly error?: string;
  readonly now: number;
}

/** Applies a state change if it moves forward and its sequence is newer than the last one applied. */
export async function transition(db: D1Database, id: string, t: Transition): Promise<TransitionOutcome> {
  const current = await getPrebuild(db, id);
  if (current === undefined) return { kind: 'unknown' };
  if (t.sequence !== undefined && t.sequence <= current.sequence)
    return {
      kind: 'stale',
      record: current,
      why: `sequence ${t.sequence} ≤ ${current.sequence} already seen`,
    };
  if (!canMoveState(current.state, t.to))
    return { kind: 'stale', record: current, why: `${current.state} cannot become ${t.to}` };
  const final = FINAL_STATES.includes(t.to);
  // The guard in WHERE keeps two concurrent events from both applying.
  const row = await db
    .prepare(
      `UPDATE prebuilds SET state = ?2, sequence = MAX(sequence, ?3), error = COALESCE(?4, error),
         finished_at = CASE WHEN ?5 THEN ?6 ELSE finished_at END,
         duration_ms = CASE WHEN ?5 THEN ?6 - started_at ELSE duration_ms END, updated_at = ?6
       WHERE id = ?1 AND state = ?7 AND sequence = ?8 RETURNING *`,
    )
    .bind(
      id,
      t.to,
      t.sequence ?? current.sequence,
      t.error ?? null,
      final ? 1 : 0,
      t.now,
      current.state,
      current.sequence,
    )
    .first<PrebuildRow>();
  if (row === null) return { kind: 'stale', record: current, why: 'changed concurrently' };
  return { kind: 'applied', record: fromRow(row) };
}

/** What selection learns in its one D1 query: the candidates, and whether any project covers these repositories. */
export interface CandidateRows {
  readonly prebuilds: PrebuildRecord[];
  /** Projects for these repositories (0: prebuilds are not set up for them). */
  readonly repoProjects: number;
  /** Projects on this launcher at all. */
  readonly allProjects: number;
}

/**
 * ONE query for a whole history: every prebuild of these repositories at any of these commits, plus project counts
 * (a one-row LEFT JOIN, so the counts arrive even without a prebuild). The shas travel as one JSON parameter: D1
 * allows 100 bound parameters, a history has up to 100 shas plus the exact one.
 */
export async function prebuildsAt(
  db: D1Database,
  repoKeys: readonly string[],
  shas: readonly string[],
): Promise<CandidateRows> {
  const { results } = await db
    .prepare(
      `SELECT p.*,
         (SELECT COUNT(*) FROM projects WHERE repo_key IN (SELECT value FROM json_each(?1))) AS repo_projects,
         (SELECT COUNT(*) FROM projects) AS all_projects
       FROM (SELECT 1) AS one
       LEFT JOIN prebuilds AS p ON p.repo_key IN (SELECT value FROM json_each(?1))
         AND p.sha IN (SELECT value FROM json_each(?2))
       ORDER BY p.started_at DESC`,
    )
    .bind(JSON.stringify(repoKeys), JSON.stringify(shas))
    .all<PrebuildRow & { repo_projects: number; all_projects: number }>();
  const first = results[0];
  return {
    prebuilds: results.filter((r) => r.id !== null).map(fromRow),
    repoProjects: first?.repo_projects ?? 0,
    allProjects: first?.all_projects ?? 0,
  };
}

/**
 * The newest prebuild of a repository, on a branch when given: for the status API and the badge (no host call).
 * Only prebuilds of PUBLIC projects: a private project's (or a deleted project's) look exactly like none at all,
 * so these anonymous answers never tell a stranger that a private repository exists.
 */
export async function latestPrebuild(
  db: D1Database,
  key: string,
  at: { readonly sha?: string; readonly ref?: string },
): Promise<PrebuildRecord | undefined> {
  const row = await db
    .prepare(
      `SELECT prebuilds.* FROM prebuilds JOIN projects ON projects.id = prebuilds.project_id
       WHERE prebuilds.repo_key = ?1 AND projects.visibility = 'public'
         AND (?2 IS NULL OR prebuilds.sha LIKE ?2 || '%') AND (?3 IS NULL OR prebuilds.ref = ?3)
       ORDER BY prebuilds.started_at DESC LIMIT 1`,
    )
    .bind(key, at.sha?.toLowerCase() ?? null, at.ref ?? null)
    .first<PrebuildRow>();
  return row === null ? undefined : fromRow(row);
}

const DEFAULT_WAIT_MS = 10 * 60_000;

/** How long a start page waits for a building prebuild: 1.5× the slowest of the project's last 10, else 10 min. */
export async function waitLimitMs(db: D1Database, projectId: string): Promise<number> {
  const { results } = await db
    .prepare(
      `SELECT duration_ms FROM prebuilds WHERE project_id = ?1 AND state = 'ready' AND duration_ms IS NOT NULL
         ORDER BY finished_at DESC LIMIT 10`,
    )
    .bind(projectId)
    .all<{ duration_ms: number }>();
  if (results.length === 0) return DEFAULT_WAIT_MS;
  return Math.max(60_000, Math.ceil(Math.max(...results.map((r) => r.duration_ms)) * 1.5));
}

/** Prebuilds that stopped reporting (no event for `silentMs`) become `timeout`. Answers how many. */
export async function sweepSilentPrebuilds(db: D1Database, now: number, silentMs: number): Promise<number> {
  const result = await db
    .prepare(
      `UPDATE prebuilds SET state = 'timeout', finished_at = ?1, duration_ms = ?1 - started_at, updated_at = ?1,
         error = 'The cluster stopped reporting on this prebuild.'
       WHERE state IN ('queued', 'building') AND updated_at < ?2`,
    )
    .bind(now, now - silentMs)
    .run();
  return result.meta.changes ?? 0;
}
