// Fixed-window request counters per client IP and per session, in D1. D1 rather than KV: KV is eventually
// consistent (another location sees a counter up to 60 s late) and takes one write per second per key, so a burst —
// exactly what a limit is for — would slip through; a D1 upsert counts every hit in one statement.

export interface RateLimit {
  /** Counter name, e.g. `sign-in`. */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

export const LIMITS = {
  signIn: { name: 'sign-in', limit: 20, windowSeconds: 60 },
  launch: { name: 'launch', limit: 60, windowSeconds: 60 },
  // Resolution asks the git host (with the server token, when set): a crowd must not spend its rate limit.
  resolve: { name: 'resolve', limit: 120, windowSeconds: 60 },
  // The extension asks once per page and context, cached 60 s: far below this for a person.
  status: { name: 'status', limit: 300, windowSeconds: 60 },
} as const satisfies Record<string, RateLimit>;

/** Counts one hit for each key; answers the seconds to wait when any key is over its limit. */
export async function hit(
  db: D1Database,
  rule: RateLimit,
  keys: readonly string[],
  now: number,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const statements = keys.map((key) =>
    db
      .prepare(
        `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits`,
      )
      .bind(`${rule.name}|${key}`, windowStart),
  );
  if (statements.length === 0) return { ok: true };
  const results = await db.batch<{ hits: number }>(statements);
  const over = results.some((r) => (r.results[0]?.hits ?? 0) > rule.limit);
  // Old windows are swept now and then (1 in 50 hits), so the table stays small without a cron.
  if (Math.random() < 0.02)
    await db
      .prepare('DELETE FROM rate_limits WHERE window_start < ?')
      .bind(windowStart - windowMs)
      .run();
  if (!over) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}
