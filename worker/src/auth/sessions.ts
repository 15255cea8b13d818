// Browser sessions and the host tokens they hold, in D1. The cookie carries a random id; D1 keeps only its sha256,
// so a database copy opens nothing. Tokens are sealed (token-vault.ts) bound to their session and host. Sign-out
// deletes the session and every token it held.

import { hashId, openToken, randomId, sealToken, type Vault } from './token-vault.ts';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const STATE_TTL_MS = 10 * 60 * 1000;

export interface Session {
  /** The cookie's id (never stored). */
  readonly id: string;
  readonly hash: string;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly csrf: string;
  readonly expiresAt: number;
}

export interface HostToken {
  readonly host: string;
  readonly login: string;
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch ms; undefined when the host gave no expiry. */
  readonly expiresAt: number | undefined;
}

export async function createSession(db: D1Database, now: number): Promise<Session> {
  const id = randomId();
  const hash = await hashId(id);
  const csrf = randomId();
  const expiresAt = now + SESSION_TTL_MS;
  await db
    .prepare('INSERT INTO sessions (id_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .bind(hash, csrf, now, expiresAt)
    .run();
  return { id, hash, userId: null, userName: null, csrf, expiresAt };
}

/** The live session for a cookie id, or undefined (unknown or expired: an expired one is deleted). */
export async function findSession(db: D1Database, id: string, now: number): Promise<Session | undefined> {
  const hash = await hashId(id);
  const row = await db
    .prepare('SELECT user_id, user_name, csrf, expires_at FROM sessions WHERE id_hash = ?')
    .bind(hash)
    .first<{ user_id: string | null; user_name: string | null; csrf: string; expires_at: number }>();
  if (row === null) return undefined;
  if (row.expires_at <= now) {
    await deleteSession(db, hash);
    return undefined;
  }
  return {
    id,
    hash,
    userId: row.user_id,
    userName: row.user_name,
    csrf: row.csrf,
    expiresAt: row.expires_at,
  };
}

/** Sign-out: the session, its tokens, its states and its unredeemed clone credentials. */
export async function deleteSession(db: D1Database, hash: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM session_tokens WHERE session_hash = ?').bind(hash),
    db.prepare('DELETE FROM oauth_states WHERE session_hash = ?').bind(hash),
    db.prepare('DELETE FROM clone_credentials WHERE session_hash = ?').bind(hash),
    db.prepare('DELETE FROM sessions WHERE id_hash = ?').bind(hash),
  ]);
}

/** The first host a session signs in with names its user: workspaces belong to `<host>:<user id>`. */
export async function setSessionUser(db: D1Database, hash: string, userId: string, userName: string) {
  await db
    .prepare(
      'UPDATE sessions SET user_id = COALESCE(user_id, ?), user_name = COALESCE(user_name, ?) WHERE id_hash = ?',
    )
    .bind(userId, userName, hash)
    .run();
}

const bound = (sessionHash: string, host: string, what: 'access' | 'refresh') =>
  `${sessionHash}|${host}|${what}`;

export async function storeHostToken(
  db: D1Database,
  vault: Vault,
  sessionHash: string,
  token: HostToken,
  now: number,
): Promise<void> {
  const access = await sealToken(vault, token.accessToken, bound(sessionHash, token.host, 'access'));
  const refresh =
    token.refreshToken === undefined
      ? null
      : await sealToken(vault, token.refreshToken, bound(sessionHash, token.host, 'refresh'));
  await db
    .prepare(
      `INSERT INTO session_tokens (session_hash, host, login, user_id, access_token, refresh_token, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_hash, host) DO UPDATE SET login = excluded.login, user_id = excluded.user_id,
         access_token = excluded.access_token, refresh_token = excluded.refresh_token, expires_at = excluded.expires_at`,
    )
    .bind(sessionHash, token.host, token.login, token.userId, access, refresh, token.expiresAt ?? null, now)
    .run();
}

/** The session's token for a host, decrypted; undefined when absent or no longer decryptable (key rotated away). */
export async function readHostToken(
  db: D1Database,
  vault: Vault,
  sessionHash: string,
  host: string,
): Promise<HostToken | undefined> {
  const row = await db
    .prepare(
      'SELECT login, user_id, access_token, refresh_token, expires_at FROM session_tokens WHERE session_hash = ? AND host = ?',
    )
    .bind(sessionHash, host)
    .first<{
      login: string;
      user_id: string;
      access_token: string;
      refresh_token: string | null;
      expires_at: number | null;
    }>();
  if (row === null) return undefined;
  const accessToken = await openToken(vault, row.access_token, bound(sessionHash, host, 'access'));
  if (accessToken === undefined) return undefined;
  const refreshToken =
    row.refresh_token === null
      ? undefined
      : await openToken(vault, row.refresh_token, bound(sessionHash, host, 'refresh'));
  return {
    host,
    login: row.login,
    userId: row.user_id,
    accessToken,
    refreshToken,
    expiresAt: row.expires_at ?? undefined,
  };
}

export async function deleteHostToken(db: D1Database, sessionHash: string, host: string): Promise<void> {
  await db
    .prepare('DELETE FROM session_tokens WHERE session_hash = ? AND host = ?')
    .bind(sessionHash, host)
    .run();
}

/** Hosts this session is signed in with (for the sign-in page). */
export async function signedInHosts(
  db: D1Database,
  sessionHash: string,
): Promise<{ host: string; login: string }[]> {
  const rows = await db
    .prepare('SELECT host, login FROM session_tokens WHERE session_hash = ? ORDER BY host')
    .bind(sessionHash)
    .all<{ host: string; login: string }>();
  return rows.results;
}

export interface PendingSignIn {
  readonly host: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
}

export async function saveState(
  db: D1Database,
  state: string,
  sessionHash: string,
  pending: PendingSignIn,
  now: number,
): Promise<void> {
  const hash = await hashId(state);
  await db.batch([
    // Abandoned sign-ins are swept as new ones start.
    db.prepare('DELETE FROM oauth_states WHERE expires_at <= ?').bind(now),
    db
      .prepare(
        'INSERT INTO oauth_states (state_hash, session_hash, host, code_verifier, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(hash, sessionHash, pending.host, pending.codeVerifier, pending.returnTo, now + STATE_TTL_MS),
  ]);
}

/** Takes a state once: it must belong to this session and host and not have expired; it is deleted either way. */
export async function takeState(
  db: D1Database,
  state: string,
  sessionHash: string,
  host: string,
  now: number,
): Promise<PendingSignIn | undefined> {
  const row = await db
    .prepare(
      'DELETE FROM oauth_states WHERE state_hash = ? RETURNING session_hash, host, code_verifier, return_to, expires_at',
    )
    .bind(await hashId(state))
    .first<{
      session_hash: string;
      host: string;
      code_verifier: string;
      return_to: string;
      expires_at: number;
    }>();
  if (row === null || row.session_hash !== sessionHash || row.host !== host || row.expires_at <= now)
    return undefined;
  return { host: row.host, codeVerifier: row.code_verifier, returnTo: row.return_to };
}

/**
 * A new session id once a sign-in succeeds (the old one may have been planted: session fixation), keeping the user
 * and re-sealing every token for the new id. The old session is deleted.
 */
export async function rotateSession(
  db: D1Database,
  vault: Vault,
  old: Session,
  now: number,
): Promise<Session> {
  const fresh = await createSession(db, now);
  for (const { host } of await signedInHosts(db, old.hash)) {
    const token = await readHostToken(db, vault, old.hash, host);
    if (token !== undefined) await storeHostToken(db, vault, fresh.hash, token, now);
  }
  const row = await db
    .prepare('SELECT user_id, user_name FROM sessions WHERE id_hash = ?')
    .bind(old.hash)
    .first<{ user_id: string | null; user_name: string | null }>();
  if (row?.user_id != null) await setSessionUser(db, fresh.hash, row.user_id, row.user_name ?? '');
  await deleteSession(db, old.hash);
  return { ...fresh, userId: row?.user_id ?? null, userName: row?.user_name ?? null };
}
