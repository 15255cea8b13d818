// Sign-in settings read once per env from secrets: OAuth clients per host, the keys that seal secrets at rest (with
// ids, for rotation; webhook secrets use them too) and the session-cookie secret. A mistake names the secret and the
// fix. Never logs a secret's value.

import { err, ok, type Result } from '../../../shared/result.ts';
import type { Vault } from './token-vault.ts';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Endpoint overrides (a proxy, a test double); the host family's defaults otherwise. */
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
  readonly revokeUrl?: string;
  readonly userUrl?: string;
}

export interface AuthConfig {
  /** OAuth clients by registry hostname (`github.com`, `gitlab.corp.example`). */
  readonly clients: ReadonlyMap<string, OAuthClient>;
  /** AES-GCM keys by key id; `currentKeyId` encrypts, every listed key decrypts. */
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly currentKeyId: string;
  /** Signs the session cookie. */
  readonly sessionSecret: string;
}

export type AuthEnv = Pick<Env, 'OAUTH_CLIENTS' | 'TOKEN_KEYS' | 'TOKEN_KEY_CURRENT' | 'SESSION_SECRET'>;

const cache = new WeakMap<object, Promise<Result<AuthConfig, string>>>();

/** `ok(undefined)` when sign-in is not set up (no SESSION_SECRET): the launcher then works anonymously. */
export function authConfig(env: AuthEnv): Promise<Result<AuthConfig | undefined, string>> {
  if ((env.SESSION_SECRET ?? '') === '' && (env.OAUTH_CLIENTS ?? '') === '')
    return Promise.resolve(ok(undefined));
  let cached = cache.get(env);
  if (cached === undefined) {
    cached = readAuthConfig(env);
    cache.set(env, cached);
  }
  return cached;
}

export async function readAuthConfig(env: AuthEnv): Promise<Result<AuthConfig, string>> {
  const sessionSecret = env.SESSION_SECRET ?? '';
  if (sessionSecret.length < 32)
    return err('SESSION_SECRET must be a random secret of 32 characters or more (it signs session cookies).');

  let rawClients: unknown;
  try {
    rawClients = JSON.parse(env.OAUTH_CLIENTS ?? '{}');
  } catch {
    return err('OAUTH_CLIENTS is not valid JSON.');
  }
  if (typeof rawClients !== 'object' || rawClients === null || Array.isArray(rawClients))
    return err('OAUTH_CLIENTS must be a JSON object {"<hostname>": {"clientId", "clientSecret"}}.');
  const clients = new Map<string, OAuthClient>();
  for (const [hostname, raw] of Object.entries(rawClients)) {
    const c = (raw ?? {}) as Record<string, unknown>;
    const where = `OAUTH_CLIENTS["${hostname}"]`;
    if (
      typeof c.clientId !== 'string' ||
      c.clientId === '' ||
      typeof c.clientSecret !== 'string' ||
      c.clientSecret === ''
    )
      return err(`${where} needs a non-empty clientId and clientSecret from the host's OAuth application.`);
    const urls: Record<string, string> = {};
    for (const name of ['authorizeUrl', 'tokenUrl', 'revokeUrl', 'userUrl'] as const) {
      const value = c[name];
      if (value === undefined) continue;
      if (typeof value !== 'string' || !/^https?:\/\/[^/?#\s]+(\/[^#\s]*)?$/.test(value))
        return err(`${where}.${name} must be an absolute http(s) URL.`);
      urls[name] = value;
    }
    clients.set(hostname.toLowerCase(), { clientId: c.clientId, clientSecret: c.clientSecret, ...urls });
  }

  const vault = await readVault(env);
  if (!vault.ok) return vault;
  if (vault.value === undefined)
    return err(
      'TOKEN_KEYS must be JSON {"<key id>": "<base64 of 32 random bytes>"} (it encrypts stored tokens).',
    );
  return ok({ clients, ...vault.value, sessionSecret });
}

export type VaultEnv = Pick<Env, 'TOKEN_KEYS' | 'TOKEN_KEY_CURRENT'>;

const vaults = new WeakMap<object, Promise<Result<Vault | undefined, string>>>();

/**
 * The keys that seal secrets at rest (sign-in tokens, webhook secrets), read once per env; `ok(undefined)` when
 * TOKEN_KEYS is not set.
 */
export function vaultConfig(env: VaultEnv): Promise<Result<Vault | undefined, string>> {
  let cached = vaults.get(env);
  if (cached === undefined) {
    cached = readVault(env);
    vaults.set(env, cached);
  }
  return cached;
}

async function readVault(env: VaultEnv): Promise<Result<Vault | undefined, string>> {
  if ((env.TOKEN_KEYS ?? '').trim() === '') return ok(undefined);
  let rawKeys: unknown;
  try {
    rawKeys = JSON.parse(env.TOKEN_KEYS ?? '');
  } catch {
    return err(
      'TOKEN_KEYS must be JSON {"<key id>": "<base64 of 32 random bytes>"} (it encrypts stored tokens).',
    );
  }
  if (typeof rawKeys !== 'object' || rawKeys === null || Array.isArray(rawKeys))
    return err('TOKEN_KEYS must be JSON {"<key id>": "<base64 of 32 random bytes>"}.');
  const keys = new Map<string, CryptoKey>();
  for (const [kid, value] of Object.entries(rawKeys)) {
    if (!/^[\w-]{1,32}$/.test(kid))
      return err(`TOKEN_KEYS: key id '${kid}' must be 1–32 letters, digits, _ or -.`);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = Uint8Array.from(atob(String(value)), (ch) => ch.charCodeAt(0));
    } catch {
      return err(`TOKEN_KEYS["${kid}"] is not base64.`);
    }
    if (bytes.length !== 32) return err(`TOKEN_KEYS["${kid}"] must be 32 bytes (base64 of 32 random bytes).`);
    keys.set(kid, await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  const currentKeyId = env.TOKEN_KEY_CURRENT ?? '';
  if (!keys.has(currentKeyId))
    return err(`TOKEN_KEY_CURRENT must name one of the keys in TOKEN_KEYS (got '${currentKeyId}').`);
  return ok({ keys, currentKeyId });
}
