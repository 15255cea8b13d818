// The OAuth 2 authorization-code flow with PKCE (S256) against one host, through arctic's generic client with the
// endpoints from providers.ts: the authorize URL, code → tokens, refresh, revocation, and who the user is.
// Never logs a token; failures are typed values with the host's error code, never the token.

import {
  CodeChallengeMethod,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
} from 'arctic';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { OAuthClient } from './auth-config.ts';
import { type OAuthEndpoints, type OAuthFamily, oauthEndpoints } from './providers.ts';
import type { HostToken } from './sessions.ts';

export interface OAuthHost {
  readonly entry: HostEntry;
  readonly family: OAuthFamily;
  readonly client: OAuthClient;
  readonly endpoints: OAuthEndpoints;
  readonly redirectUri: string;
}

export function oauthHost(
  entry: HostEntry,
  family: OAuthFamily,
  client: OAuthClient,
  launcherOrigin: string,
): OAuthHost {
  return {
    entry,
    family,
    client,
    endpoints: oauthEndpoints(entry, family, client),
    redirectUri: `${launcherOrigin}/auth/${encodeURIComponent(entry.hostname)}/callback`,
  };
}

const arcticClient = (host: OAuthHost) =>
  new OAuth2Client(host.client.clientId, host.client.clientSecret, host.redirectUri);

export function authorizeUrl(host: OAuthHost): { url: string; state: string; codeVerifier: string } {
  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  const url = arcticClient(host).createAuthorizationURLWithPKCE(
    host.endpoints.authorizeUrl,
    state,
    CodeChallengeMethod.S256,
    codeVerifier,
    [...host.family.scopes],
  );
  return { url: url.href, state, codeVerifier };
}

/** Why a token request failed: the host's OAuth error code (`invalid_grant`…) or a transport problem. */
export interface TokenFailure {
  readonly kind: 'refused' | 'unavailable';
  readonly code: string;
}

interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly expiresAt: number | undefined;
}

function tokenSet(data: Record<string, unknown>, now: number): Result<TokenSet, TokenFailure> {
  // GitHub answers errors with HTTP 200 and an `error` field.
  if (typeof data.error === 'string') return err({ kind: 'refused', code: data.error });
  if (typeof data.access_token !== 'string' || data.access_token === '')
    return err({ kind: 'unavailable', code: 'no_access_token' });
  const expiresIn = Number(data.expires_in);
  return ok({
    accessToken: data.access_token,
    refreshToken:
      typeof data.refresh_token === 'string' && data.refresh_token !== '' ? data.refresh_token : undefined,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined,
  });
}

async function tokenRequest(
  run: () => Promise<{ data: object }>,
  now: number,
): Promise<Result<TokenSet, TokenFailure>> {
  try {
    const tokens = await run();
    return tokenSet(tokens.data as Record<string, unknown>, now);
  } catch (error) {
    if (error instanceof OAuth2RequestError) return err({ kind: 'refused', code: error.code });
    return err({ kind: 'unavailable', code: error instanceof Error ? error.name : 'error' });
  }
}

export async function exchangeCode(
  host: OAuthHost,
  code: string,
  codeVerifier: string,
  now: number,
): Promise<Result<HostToken, TokenFailure>> {
  const tokens = await tokenRequest(
    () => arcticClient(host).validateAuthorizationCode(host.endpoints.tokenUrl, code, codeVerifier),
    now,
  );
  if (!tokens.ok) return tokens;
  const user = await whoAmI(host, tokens.value.accessToken);
  if (!user.ok) return user;
  return ok({ host: host.entry.hostname, ...user.value, ...tokens.value });
}

export async function refreshToken(
  host: OAuthHost,
  current: HostToken,
  now: number,
): Promise<Result<HostToken, TokenFailure>> {
  if (current.refreshToken === undefined) return err({ kind: 'refused', code: 'no_refresh_token' });
  const refresh = current.refreshToken;
  const tokens = await tokenRequest(
    () => arcticClient(host).refreshAccessToken(host.endpoints.tokenUrl, refresh, []),
    now,
  );
  if (!tokens.ok) return tokens;
  // Hosts that rotate refresh tokens send a new one; the others keep the old one valid.
  return ok({ ...current, ...tokens.value, refreshToken: tokens.value.refreshToken ?? current.refreshToken });
}

/** Best effort at sign-out: hosts without a revocation endpoint keep the grant until the user removes it. */
export async function revokeToken(host: OAuthHost, token: string): Promise<boolean> {
  if (host.endpoints.revokeUrl === undefined) return false;
  try {
    await arcticClient(host).revokeToken(host.endpoints.revokeUrl, token);
    return true;
  } catch {
    return false;
  }
}

async function whoAmI(
  host: OAuthHost,
  accessToken: string,
): Promise<Result<{ login: string; userId: string }, TokenFailure>> {
  let response: Response;
  try {
    response = await fetch(host.endpoints.userUrl, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        'user-agent': 'launchpod',
      },
    });
  } catch {
    return err({ kind: 'unavailable', code: 'user_unreachable' });
  }
  if (!response.ok) {
    await response.body?.cancel();
    return err({
      kind: response.status === 401 ? 'refused' : 'unavailable',
      code: `user_http_${response.status}`,
    });
  }
  const user = host.family.readUser((await response.json().catch(() => ({}))) as Record<string, unknown>);
  if (user === undefined) return err({ kind: 'unavailable', code: 'user_unreadable' });
  return ok({ login: user.login, userId: `${host.entry.hostname}:${user.id}` });
}
