// The OAuth 2 authorization-code flow with PKCE (S256) against one host, through arctic's generic client with the
// endpoints from providers.ts: the authorize URL, code → tokens, refresh, revocation in the host's own style, and who
// the user is. Never logs a token; failures are typed values with the host's error code or status, never the token.

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

/**
 * `extraScopes`: asked beside the family's minimum for a feature the operator turned on (GitHub's `codespace`, when a
 * Codespaces backend starts codespaces with the user's sign-in).
 */
export function authorizeUrl(
  host: OAuthHost,
  extraScopes: readonly string[] = [],
): { url: string; state: string; codeVerifier: string } {
  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  const url = arcticClient(host).createAuthorizationURLWithPKCE(
    host.endpoints.authorizeUrl,
    state,
    CodeChallengeMethod.S256,
    codeVerifier,
    [...host.family.scopes, ...extraScopes],
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
    () =>
      arcticClient(host).refreshAccessToken(
        host.endpoints.tokenUrl,
        refresh,
        host.family.scopesOnRefresh === true ? [...host.family.scopes] : [],
      ),
    now,
  );
  if (!tokens.ok) return tokens;
  // Hosts that rotate refresh tokens send a new one; the others keep the old one valid.
  return ok({ ...current, ...tokens.value, refreshToken: tokens.value.refreshToken ?? current.refreshToken });
}

/** What sign-out achieved at the host: `not-offered` when the family has no revocation (Bitbucket Cloud). */
export type Revoked =
  | { readonly kind: 'revoked' }
  | { readonly kind: 'not-offered' }
  | { readonly kind: 'failed'; readonly reason: string };

/** Sign-out waits this long for a host; a host that is down must not hold the user on a blank page. */
export const REVOKE_TIMEOUT_MS = 5000;

/**
 * Takes the access token back at the host, in the host's own style (providers.ts). Never throws: a host that is down,
 * slow or refusing is a `failed` outcome with its status, for the log and the signed-out page — never the token.
 * The request is written here rather than with arctic so it can carry a timeout and report the host's status.
 */
export async function revokeToken(host: OAuthHost, token: string): Promise<Revoked> {
  const revoke = host.endpoints.revoke;
  if (revoke === undefined) return { kind: 'not-offered' };
  const basic = `Basic ${btoa(`${host.client.clientId}:${host.client.clientSecret}`)}`;
  const request =
    revoke.style === 'github-app-token'
      ? new Request(revoke.url, {
          method: 'DELETE',
          headers: {
            authorization: basic,
            accept: 'application/vnd.github+json',
            'content-type': 'application/json',
            'user-agent': 'launchpod',
          },
          body: JSON.stringify({ access_token: token }),
        })
      : new Request(revoke.url, {
          method: 'POST',
          headers: {
            authorization: basic,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        });
  let response: Response;
  try {
    response = await fetch(request, { signal: AbortSignal.timeout(REVOKE_TIMEOUT_MS) });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'error';
    return { kind: 'failed', reason: name === 'TimeoutError' ? 'no answer in time' : 'unreachable' };
  }
  await response.body?.cancel();
  // GitHub answers 204; RFC 7009 hosts 200, also for a token they no longer know (§2.2).
  const done = revoke.style === 'github-app-token' ? response.status === 204 : response.status === 200;
  return done ? { kind: 'revoked' } : { kind: 'failed', reason: `HTTP ${response.status}` };
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
