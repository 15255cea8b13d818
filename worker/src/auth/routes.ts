// Sign-in routes under /auth: start a sign-in (PKCE, state bound to this browser's session), the host's callback,
// the Bitbucket Server token form, sign-out, and the clusters' one-time clone-credential redemption. Redirects go
// only to a host's configured authorize URL or to a path on this launcher. Never logs or renders a token.

import type { Context } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { credentialRedemptionBody, EVENT_HEADERS, verifyEvent } from '../../../shared/cluster-contract.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { type AppEnv, launcherApp } from '../app-env.ts';
import { LaunchError } from '../errors.ts';
import { renderPage } from '../pages/layout.tsx';
import { PersonalTokenPage, SignInPage } from '../pages/sign-in.tsx';
import type { AuthConfig } from './auth-config.ts';
import { redeemCloneCredential } from './clone-credentials.ts';
import { authorizeUrl, exchangeCode, oauthHost, revokeToken } from './oauth-client.ts';
import { grantsPage, hostLabel, signInFamilies, type TokenFamily } from './providers.ts';
import { hit, LIMITS, type RateLimit } from './rate-limit.ts';
import { safeReturnTo } from './return-to.ts';
import {
  authOf,
  clearSessionCookie,
  rememberSession,
  requestSession,
  sessionHostToken,
  setSessionCookie,
  signInPath,
} from './session-auth.ts';
import {
  createSession,
  deleteSession,
  readHostToken,
  rotateSession,
  type Session,
  saveState,
  setSessionUser,
  signedInHosts,
  storeHostToken,
  takeState,
} from './sessions.ts';

type C = Context<AppEnv>;

export function authRoutes(options: { readonly now: () => number }) {
  const { now } = options;
  const routes = launcherApp();

  // Forms post here from the launcher's own pages only: Hono's Origin/Sec-Fetch-Site check, plus the session's
  // token in the form (checked in each handler). The clone-credential endpoint is server to server (signed).
  const sameOrigin = csrf({ origin: (origin, c) => origin === c.get('config').origin });
  const crossSiteRefused: Parameters<typeof routes.use>[1] = async (c, next) => {
    try {
      await sameOrigin(c, next);
    } catch (error) {
      // Hono's check throws a bare 403; the launcher answers it as a page that says what happened.
      if (error instanceof HTTPException && error.status === 403) {
        throw new LaunchError('forbidden', {
          title: 'Cross-site form refused',
          detail:
            'This form was sent from another site. Sign-in forms work only from this launcher’s own pages.',
          wayOut: { label: 'Sign-in page', href: '/auth/sign-in' },
        });
      }
      throw error;
    }
  };
  routes.use('/sign-out', crossSiteRefused);
  routes.use('/:host/token', crossSiteRefused);

  routes.get('/sign-in', async (c) => {
    const auth = await needAuth(c);
    const session = await requestSession(c, auth, now());
    const held = session === undefined ? [] : await signedInHosts(c.env.DB, session.hash);
    const returnTo = safeReturnTo(c.req.query('returnTo'), c.get('config').origin);
    const hosts = c
      .get('config')
      .registry.entries.filter(
        (e) => signInFamilies[e.family].kind === 'personal-token' || auth.clients.has(e.hostname),
      )
      .map((e) => {
        const login = held.find((h) => h.host === e.hostname)?.login;
        return {
          host: e.hostname,
          label: hostLabel(e),
          href: signInPath(e.hostname, returnTo),
          ...(login !== undefined && { signedInAs: login }),
        };
      });
    c.header('cache-control', 'no-store');
    return c.html(
      renderPage(
        SignInPage({
          brand: c.get('config').brand,
          hosts,
          ...(session !== undefined && held.length > 0 && { csrf: session.csrf }),
          ...(c.req.query('signedOut') === '1' && {
            notice: signedOutNotice(c.get('config').registry.entries, c.req.query('unrevoked')),
          }),
        }),
      ),
    );
  });

  routes.get('/:host/sign-in', async (c) => {
    const auth = await needAuth(c);
    const entry = hostEntry(c);
    const returnTo = safeReturnTo(c.req.query('returnTo'), c.get('config').origin);
    let session = await requestSession(c, auth, now());
    await limit(c, LIMITS.signIn, session);
    if (session === undefined) {
      session = await createSession(c.env.DB, now());
      await setSessionCookie(c, auth, session);
      rememberSession(c, session);
    }
    c.header('cache-control', 'no-store');
    const family = signInFamilies[entry.family];
    if (family.kind === 'personal-token') {
      return c.html(
        renderPage(
          PersonalTokenPage({
            brand: c.get('config').brand,
            host: entry.hostname,
            label: hostLabel(entry),
            csrf: session.csrf,
            returnTo,
          }),
        ),
      );
    }
    const client = auth.clients.get(entry.hostname);
    if (client === undefined) throw notConfigured(entry);
    const host = oauthHost(entry, family, client, c.get('config').origin);
    // Codespaces starts a codespace with the user's own GitHub sign-in: only then is its permission asked for.
    const codespaces =
      entry.hostname === 'github.com' && c.get('config').backends.some((b) => b.kind === 'codespaces');
    const { url, state, codeVerifier } = authorizeUrl(host, codespaces ? ['codespace'] : []);
    await saveState(c.env.DB, state, session.hash, { host: entry.hostname, codeVerifier, returnTo }, now());
    return c.redirect(url, 302);
  });

  routes.get('/:host/callback', async (c) => {
    const auth = await needAuth(c);
    const entry = hostEntry(c);
    const label = hostLabel(entry);
    const session = await requestSession(c, auth, now());
    await limit(c, LIMITS.signIn, session);
    const state = c.req.query('state') ?? '';
    const pending =
      session === undefined || state === ''
        ? undefined
        : await takeState(c.env.DB, state, session.hash, entry.hostname, now());
    if (session === undefined || pending === undefined) {
      throw new LaunchError('sign-in-required', {
        title: `The ${label} sign-in could not be finished`,
        detail: `This sign-in answer does not belong to a sign-in started in this browser (it was already used, is older than 10 minutes, or came from elsewhere). Start the sign-in again.`,
        wayOut: { label: `Sign in with ${label}`, href: signInPath(entry.hostname, '/') },
      });
    }
    const family = signInFamilies[entry.family];
    const client = auth.clients.get(entry.hostname);
    if (family.kind !== 'oauth' || client === undefined) throw notConfigured(entry);
    const hostError = c.req.query('error');
    const code = c.req.query('code');
    if (hostError !== undefined || code === undefined || code === '') {
      throw new LaunchError('sign-in-required', {
        title: `${label} sign-in was not completed`,
        detail:
          hostError === 'access_denied'
            ? `You declined access on ${label}. To open private repositories, sign in again and allow read access.`
            : `${label} did not complete the sign-in (${(hostError ?? 'no code').slice(0, 60)}). Try again.`,
        wayOut: { label: `Sign in with ${label}`, href: signInPath(entry.hostname, pending.returnTo) },
      });
    }
    const token = await exchangeCode(
      oauthHost(entry, family, client, c.get('config').origin),
      code,
      pending.codeVerifier,
      now(),
    );
    if (!token.ok) {
      if (token.error.kind === 'unavailable') {
        throw new LaunchError('host-unavailable', {
          title: `${label} did not finish the sign-in`,
          detail: `${label} did not answer the sign-in properly (${token.error.code}). Try again in a minute.`,
          wayOut: { label: `Sign in with ${label}`, href: signInPath(entry.hostname, pending.returnTo) },
        });
      }
      throw new LaunchError('sign-in-required', {
        title: `${label} refused the sign-in`,
        detail: `${label} did not accept this sign-in (${token.error.code.slice(0, 60)}); a sign-in answer works only once. Sign in again.`,
        wayOut: { label: `Sign in with ${label}`, href: signInPath(entry.hostname, pending.returnTo) },
      });
    }
    await storeHostToken(c.env.DB, auth, session.hash, token.value, now());
    await setSessionUser(c.env.DB, session.hash, token.value.userId, token.value.login);
    await setSessionCookie(c, auth, await rotateSession(c.env.DB, auth, session, now()));
    c.header('cache-control', 'no-store');
    // Checked again on the way out: a state stored before a rule was tightened must not send anyone off-site.
    return c.redirect(safeReturnTo(pending.returnTo, c.get('config').origin), 302);
  });

  routes.post('/:host/token', async (c) => {
    const auth = await needAuth(c);
    const entry = hostEntry(c);
    const session = await requestSession(c, auth, now());
    await limit(c, LIMITS.signIn, session);
    const form = await c.req.parseBody();
    if (session === undefined || form.csrf !== session.csrf) throw csrfRefused();
    const family = signInFamilies[entry.family];
    if (family.kind !== 'personal-token') throw notConfigured(entry);
    const returnTo = safeReturnTo(
      typeof form.returnTo === 'string' ? form.returnTo : '/',
      c.get('config').origin,
    );
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const problemPage = (problem: string, status: 400 | 502) =>
      c.html(
        renderPage(
          PersonalTokenPage({
            brand: c.get('config').brand,
            host: entry.hostname,
            label: hostLabel(entry),
            csrf: session.csrf,
            returnTo,
            problem,
          }),
        ),
        status,
      );
    if (!/^[\x21-\x7e]{8,512}$/.test(token))
      return problemPage('Paste the whole token: 8–512 visible characters.', 400);
    // Who the token belongs to, as the host says it: the user's identity (and so whose workspaces they see).
    const who = await tokenOwner(entry, family, token);
    if (!who.ok)
      return problemPage(
        who.error === 'refused'
          ? `${hostLabel(entry)} refused this token. Check that it is current and has Repository read permission.`
          : `${hostLabel(entry)} did not say who this token belongs to (${who.error}). Try again in a minute.`,
        who.error === 'refused' ? 400 : 502,
      );
    const { id, login: name } = who.value;
    await storeHostToken(
      c.env.DB,
      auth,
      session.hash,
      {
        host: entry.hostname,
        login: name,
        userId: `${entry.hostname}:${id}`,
        accessToken: token,
        refreshToken: undefined,
        expiresAt: undefined,
      },
      now(),
    );
    await setSessionUser(c.env.DB, session.hash, `${entry.hostname}:${id}`, name);
    await setSessionCookie(c, auth, await rotateSession(c.env.DB, auth, session, now()));
    return c.redirect(returnTo, 303);
  });

  routes.post('/sign-out', async (c) => {
    const auth = await needAuth(c);
    const session = await requestSession(c, auth, now());
    const form = await c.req.parseBody();
    let unrevoked: string[] = [];
    if (session !== undefined) {
      if (form.csrf !== session.csrf) throw csrfRefused();
      // Every host at once, each bounded by a timeout; whatever the hosts answer, our copies are deleted after.
      const outcomes = await Promise.all(
        (await signedInHosts(c.env.DB, session.hash)).map(({ host }) => revokeAtHost(c, auth, session, host)),
      );
      unrevoked = outcomes.filter((o) => o !== undefined);
      await deleteSession(c.env.DB, session.hash);
    }
    clearSessionCookie(c);
    const still = unrevoked.length === 0 ? '' : `&unrevoked=${encodeURIComponent(unrevoked.join(','))}`;
    return c.redirect(`/auth/sign-in?signedOut=1${still}`, 303);
  });

  // A cluster redeems a start request's credential URL: signed with its secret, once, before it expires.
  routes.post('/clone-credentials/:id', async (c) => {
    const auth = await needAuth(c);
    const config = c.get('config');
    const name = c.req.header(EVENT_HEADERS.cluster);
    const cluster = config.clusters.find((k) => k.name === name);
    const body = await c.req.text();
    const check =
      cluster === undefined
        ? ({ ok: false, reason: 'unknown cluster' } as const)
        : verifyEvent(
            cluster.secret,
            c.req.header(EVENT_HEADERS.timestamp) ?? null,
            c.req.header(EVENT_HEADERS.signature) ?? null,
            body,
            Math.floor(now() / 1000),
          );
    if (!check.ok || cluster === undefined)
      return c.json({ error: `refused: ${check.ok ? 'unknown cluster' : check.reason}` }, 401);
    // The signed body names the credential: a signature captured for one redeems no other.
    if (body !== credentialRedemptionBody(c.req.url))
      return c.json({ error: 'refused: the signature is for another credential' }, 401);
    const redeemed = await redeemCloneCredential(c.env.DB, c.req.param('id'), cluster.name, now());
    if (!redeemed.ok) {
      const status = redeemed.reason === 'unknown' || redeemed.reason === 'wrong-cluster' ? 404 : 410;
      return c.json(
        { error: `clone credential ${redeemed.reason === 'wrong-cluster' ? 'unknown' : redeemed.reason}` },
        status,
      );
    }
    const { grant } = redeemed;
    const entry = config.registry.entries.find((e) => e.hostname === grant.host);
    if (entry === undefined) return c.json({ error: 'host no longer configured' }, 410);
    const token = await sessionHostToken(c.env.DB, auth, config, grant.sessionHash, entry, now());
    if (!token.ok || token.value === undefined)
      return c.json({ error: 'the user is no longer signed in' }, 410);
    const family = signInFamilies[entry.family];
    c.header('cache-control', 'no-store');
    return c.json({
      username: family.kind === 'oauth' ? family.cloneUser : token.value.login,
      password: token.value.accessToken,
    });
  });

  /**
   * Revokes the session's token for one host where the host allows it; answers the host name when the grant may
   * still be live there (no revocation offered, a pasted access token, or the host did not confirm). Logs the host
   * and the outcome, never the token.
   */
  async function revokeAtHost(c: C, auth: AuthConfig, session: Session, host: string) {
    const entry = c.get('config').registry.entries.find((e) => e.hostname === host);
    if (entry === undefined) return undefined;
    const family = signInFamilies[entry.family];
    if (family.kind === 'personal-token') return host;
    const client = auth.clients.get(host);
    const token = await readHostToken(c.env.DB, auth, session.hash, host);
    if (client === undefined || token === undefined) return host;
    const outcome = await revokeToken(
      oauthHost(entry, family, client, c.get('config').origin),
      token.accessToken,
    );
    if (outcome.kind === 'revoked') return undefined;
    if (outcome.kind === 'failed')
      console.warn(`sign-out: ${host} did not revoke the token (${outcome.reason}); it is deleted here`);
    return host;
  }

  async function limit(c: C, rule: RateLimit, session: Session | undefined): Promise<void> {
    const ip = c.req.header('cf-connecting-ip') ?? 'unknown';
    const keys = [`ip:${ip}`, ...(session === undefined ? [] : [`session:${session.hash}`])];
    const result = await hit(c.env.DB, rule, keys, now());
    if (!result.ok) throw rateLimited(result.retryAfterSeconds);
  }

  return routes;
}

/**
 * The user a pasted access token belongs to, asked of the host: its whoami answer (the name), then that user's
 * record (the stable id). `refused` when the host does not take the token; otherwise why it could not be told.
 */
async function tokenOwner(
  entry: HostEntry,
  family: TokenFamily,
  token: string,
): Promise<Result<{ id: string; login: string }, 'refused' | string>> {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json, text/plain' };
  const ask = async (url: string): Promise<Response | string> => {
    try {
      return await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    } catch {
      return 'no answer';
    }
  };
  const api = entry.apiBaseUrl.replace(/\/+$/, '');
  // The servlet lives on the server the API is served from (`<server>/rest/api/1.0`), which may not be the web origin.
  const server = /\/rest\/api\/(?:1\.0|latest)$/.test(api)
    ? api.replace(/\/rest\/api\/(?:1\.0|latest)$/, '')
    : entry.origin + entry.basePath;
  const whoami = await ask(`${server}${family.whoamiPath}`);
  if (typeof whoami === 'string') return err(whoami);
  if (whoami.status === 401 || whoami.status === 403) {
    await whoami.body?.cancel();
    return err('refused');
  }
  if (!whoami.ok) {
    await whoami.body?.cancel();
    return err(`HTTP ${whoami.status}`);
  }
  // Empty: the host served the request anonymously, so the token is not one it takes.
  const name = (await whoami.text()).trim();
  if (name === '') return err('refused');
  if (!/^[\w.@+-]{1,128}$/.test(name)) return err('an unexpected user name');
  const profile = await ask(`${api}${family.userPath.replace('{name}', encodeURIComponent(name))}`);
  if (typeof profile === 'string') return err(profile);
  if (!profile.ok) {
    await profile.body?.cancel();
    return err(profile.status === 401 || profile.status === 403 ? 'refused' : `HTTP ${profile.status}`);
  }
  let body: unknown;
  try {
    body = await profile.json();
  } catch {
    return err('an answer that is not JSON');
  }
  const user =
    typeof body === 'object' && body !== null ? family.readUser(body as Record<string, unknown>) : undefined;
  // The record must be the same user whoami named: a host answering another user's record is not believed.
  if (user === undefined || user.login.toLowerCase() !== name.toLowerCase())
    return err('an unexpected user record');
  return ok(user);
}

/**
 * The signed-out page's words: every stored token is gone; for each host where access may outlive the sign-out, where
 * the user removes it. Only registered hosts are named, so the query cannot put words on the page.
 */
export function signedOutNotice(entries: readonly HostEntry[], unrevoked: string | undefined): string {
  const lines = ['You are signed out; every token this launcher stored was deleted.'];
  for (const host of new Set((unrevoked ?? '').split(','))) {
    const entry = entries.find((e) => e.hostname === host);
    if (entry === undefined) continue;
    const family = signInFamilies[entry.family];
    const label = hostLabel(entry);
    lines.push(
      family.kind === 'personal-token'
        ? `The access token you pasted for ${entry.hostname} still works on ${label}: delete it at ${grantsPage(entry)} if you made it only for this launcher.`
        : family.revocation === undefined
          ? `${label} offers no way for a launcher to revoke its access: remove it yourself at ${grantsPage(entry)}.`
          : `${label} did not confirm that it revoked this launcher’s access: check ${grantsPage(entry)}.`,
    );
  }
  return lines.join(' ');
}

function rateLimited(retryAfterSeconds: number): LaunchError {
  return new LaunchError('rate-limited', {
    title: 'Too many requests',
    detail: 'This browser or network sent too many requests in a short time. Wait a little and try again.',
    retryAfterSeconds,
    wayOut: { label: 'Try again', href: '' },
  });
}

async function needAuth(c: C): Promise<AuthConfig> {
  const auth = await authOf(c.env);
  if (auth === undefined) {
    throw new LaunchError('not-found', {
      title: 'Sign-in is not set up here',
      detail:
        'This launcher has no sign-in configured (SESSION_SECRET, TOKEN_KEYS, OAUTH_CLIENTS). Ask its operator.',
      wayOut: { label: 'Back to the start', href: '/' },
    });
  }
  return auth;
}

function hostEntry(c: C): HostEntry {
  const host = c.req.param('host') ?? '';
  const entry = c.get('config').registry.entries.find((e) => e.hostname === host.toLowerCase());
  if (entry === undefined) {
    throw new LaunchError('unsupported-host', {
      title: 'No such host',
      detail: `${host.slice(0, 100)} is not a git host this launcher knows.`,
      wayOut: { label: 'Sign in', href: '/auth/sign-in' },
    });
  }
  return entry;
}

function notConfigured(entry: HostEntry): LaunchError {
  return new LaunchError('not-found', {
    title: `Sign-in with ${hostLabel(entry)} is not set up here`,
    detail: `This launcher has no OAuth client for ${entry.hostname}. Ask its operator to add one to OAUTH_CLIENTS.`,
    wayOut: { label: 'Back to the start', href: '/' },
  });
}

function csrfRefused(): LaunchError {
  return new LaunchError('bad-request', {
    title: 'Form refused',
    detail:
      'This form did not come from this launcher page (or the page is too old). Reload the page and try again.',
    wayOut: { label: 'Sign-in page', href: '/auth/sign-in' },
  });
}
