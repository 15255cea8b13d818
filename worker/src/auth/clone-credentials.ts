// One-time clone credentials: the start request carries only a URL with a random id; the cluster redeems it once,
// before it expires, signed with its own secret (the event-signature scheme over an empty body). The id is bound to
// the workspace and the cluster it was minted for. D1 keeps the id's hash and a pointer to the session's token,
// never the token itself. Minted only when git cannot clone without it: a public repository gets none.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { HostCredentials } from '../hosts/host-resolver.ts';
import { signInFamilies } from './providers.ts';
import { hashId, randomId } from './token-vault.ts';

export const CLONE_CREDENTIAL_TTL_MS = 5 * 60 * 1000;

export interface CloneGrant {
  readonly workspaceId: string;
  readonly cluster: string;
  readonly sessionHash: string;
  readonly host: string;
}

/**
 * Whether the workspace's clone needs the user's token: only for a launch resolved with it, and only when the host
 * did not call the cloned repository (a pull request's head repository) public. GitHub Enterprise Server in private
 * mode asks for a sign-in even to clone a public repository, so a self-hosted GitHub always gets one.
 */
export function needsCloneCredential(
  resolved: ResolvedContext,
  credentials: HostCredentials['kind'],
  entry: HostEntry | undefined,
): boolean {
  if (credentials !== 'user') return false;
  if (resolved.visibility !== 'public') return true;
  return (
    entry !== undefined && !entry.builtin && signInFamilies[entry.family].selfHostedClonesNeedToken === true
  );
}

/** A fresh one-time URL for this workspace on this cluster. */
export async function mintCloneCredential(
  db: D1Database,
  launcherOrigin: string,
  grant: CloneGrant,
  now: number,
): Promise<string> {
  const id = randomId();
  // Credentials expired a day ago are swept as new ones are minted (recent ones stay to answer "expired").
  await db
    .prepare('DELETE FROM clone_credentials WHERE expires_at <= ?')
    .bind(now - 24 * 60 * 60 * 1000)
    .run();
  await db
    .prepare(
      'INSERT INTO clone_credentials (id_hash, workspace_id, cluster, session_hash, host, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(
      await hashId(id),
      grant.workspaceId,
      grant.cluster,
      grant.sessionHash,
      grant.host,
      now + CLONE_CREDENTIAL_TTL_MS,
    )
    .run();
  return `${launcherOrigin}/auth/clone-credentials/${id}`;
}

export type RedeemRefusal = 'unknown' | 'used' | 'expired' | 'wrong-cluster';

/**
 * Marks the credential used (atomically: of two redemptions racing, one wins) and answers its grant. The caller has
 * already checked the request's signature with `cluster`'s secret.
 */
export async function redeemCloneCredential(
  db: D1Database,
  id: string,
  cluster: string,
  now: number,
): Promise<{ ok: true; grant: CloneGrant } | { ok: false; reason: RedeemRefusal }> {
  const hash = await hashId(id);
  const row = await db
    .prepare(
      'SELECT workspace_id, cluster, session_hash, host, expires_at, used_at FROM clone_credentials WHERE id_hash = ?',
    )
    .bind(hash)
    .first<{
      workspace_id: string;
      cluster: string;
      session_hash: string;
      host: string;
      expires_at: number;
      used_at: number | null;
    }>();
  if (row === null) return { ok: false, reason: 'unknown' };
  if (row.cluster !== cluster) return { ok: false, reason: 'wrong-cluster' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (row.expires_at <= now) return { ok: false, reason: 'expired' };
  const claimed = await db
    .prepare('UPDATE clone_credentials SET used_at = ? WHERE id_hash = ? AND used_at IS NULL')
    .bind(now, hash)
    .run();
  if (claimed.meta.changes !== 1) return { ok: false, reason: 'used' };
  return {
    ok: true,
    grant: {
      workspaceId: row.workspace_id,
      cluster: row.cluster,
      sessionHash: row.session_hash,
      host: row.host,
    },
  };
}
