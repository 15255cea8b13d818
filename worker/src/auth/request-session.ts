// The request's sign-in, as every request reads it: the sign-in settings and the live session behind the signed
// cookie. Apart from session-auth.ts so that the landing page (landing-app.ts) loads none of the rest of sign-in.
// Never sets or clears a cookie.

import type { Context } from 'hono';
import { getSignedCookie } from 'hono/cookie';
import { LaunchError } from '../errors.ts';
import { type AuthConfig, authConfig } from './auth-config.ts';
import { findSession, type Session } from './sessions.ts';

export const SESSION_COOKIE = 'lp_session';

// Any app's context whose `config` variable is set (the launcher's, the /auth routes').
// biome-ignore lint/suspicious/noExplicitAny: Hono contexts of different Variables are not assignable to each other.
export type AnyContext = Context<any>;
export const envOf = (c: AnyContext): Env => c.env as Env;

/** Sign-in settings, or undefined when this launcher has none; a broken setting is an operator error page. */
export async function authOf(env: Env): Promise<AuthConfig | undefined> {
  const auth = await authConfig(env);
  if (!auth.ok) {
    console.error(`launcher configuration: ${auth.error}`);
    throw new LaunchError('internal', {
      title: 'This launcher is not configured correctly',
      detail: `The operator needs to fix a setting: ${auth.error}`,
    });
  }
  return auth.value;
}

const sessions = new WeakMap<Request, Promise<Session | undefined>>();

/** The request's live session: a valid signature and a row in D1 that has not expired. Read once per request. */
export function requestSession(c: AnyContext, auth: AuthConfig, now: number): Promise<Session | undefined> {
  let found = sessions.get(c.req.raw);
  if (found === undefined) {
    found = (async () => {
      const id = await getSignedCookie(c, auth.sessionSecret, SESSION_COOKIE);
      // `false`: the signature does not match (a tampered cookie) — treated as no session.
      if (typeof id !== 'string' || !/^[\w-]{43}$/.test(id)) return undefined;
      return findSession(envOf(c).DB, id, now);
    })();
    sessions.set(c.req.raw, found);
  }
  return found;
}

export function rememberSession(c: AnyContext, session: Session): void {
  sessions.set(c.req.raw, Promise.resolve(session));
}

/** The workspace owner: the signed-in user, else undefined (the caller keeps its anonymous owner). */
export async function signedInOwner(c: AnyContext, now: number): Promise<string | undefined> {
  const auth = await authOf(envOf(c));
  if (auth === undefined) return undefined;
  const session = await requestSession(c, auth, now);
  return session?.userId == null ? undefined : `user:${session.userId}`;
}
