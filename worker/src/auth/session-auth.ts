// What the rest of the launcher asks of sign-in: the browser's session (from the signed cookie), the signed-in
// user's credentials for a host (refreshed when expired), one-time clone credential URLs, and the "sign in with
// <host>" way out of a private-repository error. Tokens never leave this module except as HostCredentials for a
// host request or the answer to a redeemed clone credential.

import { deleteCookie, setSignedCookie } from 'hono/cookie';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { LauncherConfig } from '../config.ts';
import { LaunchError } from '../errors.ts';
import type { HostCredentials } from '../hosts/host-resolver.ts';
import type { AuthConfig } from './auth-config.ts';
import { mintCloneCredential } from './clone-credentials.ts';
import { oauthHost, refreshToken } from './oauth-client.ts';
import { hostLabel, signInFamilies } from './providers.ts';
import { hit, LIMITS, type RateLimit } from './rate-limit.ts';
import { type AnyContext, authOf, envOf, requestSession, SESSION_COOKIE } from './request-session.ts';
import {
  deleteHostToken,
  type HostToken,
  readHostToken,
  SESSION_TTL_MS,
  type Session,
  storeHostToken,
} from './sessions.ts';

export {
  authOf,
  rememberSession,
  requestSession,
  SESSION_COOKIE,
  signedInOwner,
} from './request-session.ts';

/** Refresh this long before the host's expiry, so a token does not die between resolution and clone. */
const EXPIRY_MARGIN_MS = 2 * 60 * 1000;

const configOf = (c: AnyContext): LauncherConfig => c.get('config') as LauncherConfig;

export async function setSessionCookie(c: AnyContext, auth: AuthConfig, session: Session): Promise<void> {
  await setSignedCookie(c, SESSION_COOKIE, session.id, auth.sessionSecret, {
    httpOnly: true,
    secure: configOf(c).origin.startsWith('https:'),
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: AnyContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: configOf(c).origin.startsWith('https:') });
}

export const signInPath = (host: string, returnTo: string): string =>
  `/auth/${encodeURIComponent(host)}/sign-in?returnTo=${encodeURIComponent(returnTo)}`;

export function signInAgain(entry: HostEntry, why: string, returnTo = '/'): LaunchError {
  const label = hostLabel(entry);
  return new LaunchError('sign-in-required', {
    title: `Sign in with ${label} again`,
    detail: `${why} Sign in with ${label} again to open private repositories.`,
    wayOut: { label: `Sign in with ${label}`, href: signInPath(entry.hostname, returnTo) },
    facts: { signIn: signInPath(entry.hostname, returnTo) },
  });
}

/**
 * A host's token from a session, refreshed when it has expired (and stored again). A refused refresh (revoked,
 * expired refresh token) deletes the token and asks the user to sign in again.
 */
export async function sessionHostToken(
  db: D1Database,
  auth: AuthConfig,
  config: LauncherConfig,
  sessionHash: string,
  entry: HostEntry,
  now: number,
): Promise<Result<HostToken | undefined, LaunchError>> {
  const token = await readHostToken(db, auth, sessionHash, entry.hostname);
  if (token === undefined) return ok(undefined);
  if (token.expiresAt === undefined || token.expiresAt - EXPIRY_MARGIN_MS > now) return ok(token);
  const family = signInFamilies[entry.family];
  const client = auth.clients.get(entry.hostname);
  if (family.kind !== 'oauth' || client === undefined || token.refreshToken === undefined) {
    await deleteHostToken(db, sessionHash, entry.hostname);
    return err(signInAgain(entry, `Your ${hostLabel(entry)} sign-in has expired.`));
  }
  const refreshed = await refreshToken(oauthHost(entry, family, client, config.origin), token, now);
  if (!refreshed.ok) {
    if (refreshed.error.kind === 'unavailable') {
      return err(
        new LaunchError('host-unavailable', {
          title: `${hostLabel(entry)} did not answer`,
          detail: `Your ${hostLabel(entry)} sign-in needed renewing and ${hostLabel(entry)} did not answer. Try again in a minute.`,
          wayOut: { label: 'Try again', href: '' },
        }),
      );
    }
    await deleteHostToken(db, sessionHash, entry.hostname);
    return err(signInAgain(entry, `Your ${hostLabel(entry)} sign-in has expired or was revoked.`));
  }
  await storeHostToken(db, auth, sessionHash, refreshed.value, now);
  return ok(refreshed.value);
}

/** The user step of resolution: this browser's token for the host, when signed in with it. */
export async function requestUserCredentials(
  c: AnyContext,
  entry: HostEntry,
  now: number,
): Promise<Result<HostCredentials | undefined, LaunchError>> {
  const auth = await authOf(envOf(c));
  if (auth === undefined) return ok(undefined);
  const session = await requestSession(c, auth, now);
  if (session === undefined) return ok(undefined);
  const token = await sessionHostToken(envOf(c).DB, auth, configOf(c), session.hash, entry, now);
  if (!token.ok) return token;
  return ok(token.value === undefined ? undefined : { kind: 'user', token: token.value.accessToken });
}

/** A one-time clone credential URL for a workspace resolved with this browser's token for `host`. */
export async function requestCloneCredentialUrl(
  c: AnyContext,
  host: string,
  workspaceId: string,
  cluster: string,
  now: number,
): Promise<string | undefined> {
  const auth = await authOf(envOf(c));
  if (auth === undefined) return undefined;
  const session = await requestSession(c, auth, now);
  if (session === undefined) return undefined;
  return mintCloneCredential(
    envOf(c).DB,
    configOf(c).origin,
    { workspaceId, cluster, sessionHash: session.hash, host },
    now,
  );
}

/**
 * A private-repository error (anonymous or server-token 404 that may be private, a refused or rejected token) with
 * "Sign in with <host>" as its way out, back to `returnTo` (a launcher path) afterwards.
 */
export function withSignInWayOut(
  error: LaunchError,
  entry: HostEntry | undefined,
  returnTo: string,
): LaunchError {
  if (entry === undefined) return error;
  const rejected = error.facts.credentialsRejected === true || error.facts.tokenRejected === true;
  const wanted =
    (error.code === 'repo-not-found' && error.facts.maybePrivate === true) ||
    error.code === 'private-repo' ||
    error.code === 'sign-in-required';
  if (!wanted) return error;
  const label = hostLabel(entry);
  const href = signInPath(entry.hostname, returnTo);
  return new LaunchError(error.code, {
    title: error.title,
    detail: error.detail,
    wayOut: {
      label:
        rejected || error.code === 'sign-in-required'
          ? `Sign in with ${label} again`
          : `Sign in with ${label} to open this private repository`,
      href,
    },
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    facts: { ...error.facts, signIn: href },
  });
}

/** The launch limit (per client IP and per session): a 429 page with Retry-After when over it. */
export function enforceLaunchLimit(c: AnyContext, now: number): Promise<void> {
  return enforceLimit(c, LIMITS.launch, now, {
    title: 'Too many launches',
    detail: 'This browser or network started too many launches in a short time. Wait a little and try again.',
  });
}

/**
 * One request against a limit, per client IP (`CF-Connecting-IP`) and per session when there is one: over it, a
 * `rate-limited` error (429, Retry-After) that says what to do.
 */
export async function enforceLimit(
  c: AnyContext,
  rule: RateLimit,
  now: number,
  words: { readonly title: string; readonly detail: string } = {
    title: 'Too many requests',
    detail: 'This browser or network sent too many requests in a short time. Wait a little and try again.',
  },
): Promise<void> {
  const auth = await authOf(envOf(c));
  const session = auth === undefined ? undefined : await requestSession(c, auth, now);
  const ip = c.req.header('cf-connecting-ip') ?? 'unknown';
  const result = await hit(
    envOf(c).DB,
    rule,
    [`ip:${ip}`, ...(session === undefined ? [] : [`session:${session.hash}`])],
    now,
  );
  if (!result.ok) {
    throw new LaunchError('rate-limited', {
      ...words,
      retryAfterSeconds: result.retryAfterSeconds,
      wayOut: { label: 'Try again', href: '' },
    });
  }
}

/** `withSignInWayOut` for a launch input (the host is read from it); other errors pass unchanged. */
export function signInWayOutFor(error: LaunchError, input: string, config: LauncherConfig, returnTo: string) {
  const parsed = parseLaunchInput(input, config.registry);
  const host = parsed.ok && parsed.value.context.kind !== 'snapshot' ? parsed.value.context.repo.host : '';
  return withSignInWayOut(
    error,
    config.registry.entries.find((e) => e.hostname === host),
    returnTo,
  );
}
