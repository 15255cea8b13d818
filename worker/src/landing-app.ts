// What every request of the launcher passes (secure headers, the configuration, the owner cookie), the landing page
// and the one onError: the whole app (app.ts) is built on it, and index.ts answers `GET /` — a visitor's usual
// first request — with it alone, before the rest of the launcher is loaded (bench/cold-start). It must never import
// a module that only another route needs: whatever it imports is compiled on every cold start.

import { getCookie, setCookie } from 'hono/cookie';
import { type ContentSecurityPolicyOptionHandler, secureHeaders } from 'hono/secure-headers';
import type { ErrorHandler, Handler } from 'hono/types';
import { workspaceOriginsSource } from '../../shared/workspace-access.ts';
import { type AppEnv, launcherApp } from './app-env.ts';
import { signedInOwner } from './auth/request-session.ts';
import { launcherConfig } from './config.ts';
import { LaunchError } from './errors.ts';
import { withOfflineDemoHint } from './hosts/host-http.ts';
import { ErrorPage } from './pages/error-page.tsx';
import { LandingPage } from './pages/landing.tsx';
import { renderPage } from './pages/layout.tsx';

const OWNER_COOKIE = 'lp_owner';

/** Restart's form ends on the workspace's own origin: the registered clusters' workspace origins, nothing else. */
const workspaceFormTargets: ContentSecurityPolicyOptionHandler = (c) => {
  const config = launcherConfig(c.env);
  if (!config.ok) return '';
  // A start on another backend ends, after a 303, on one of that backend's registered origins.
  return [
    ...config.value.clusters.map((k) => workspaceOriginsSource(k.publicOrigin)),
    ...config.value.backends.flatMap((b) => b.origins),
  ].join(' ');
};

/** An app with the middleware every request passes, in order: secure headers, the configuration, the owner. */
export function baseApp(now: () => number) {
  const app = launcherApp();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'", workspaceFormTargets],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      crossOriginResourcePolicy: false,
    }),
  );

  app.use('*', async (c, next) => {
    const config = launcherConfig(c.env);
    if (!config.ok) {
      // An operator's mistake: say which setting, never a stack trace.
      console.error(`launcher configuration: ${config.error}`);
      return c.html(
        renderPage(
          ErrorPage({
            brand: c.env.BRAND_NAME || 'Launchpod',
            error: new LaunchError('internal', {
              title: 'This launcher is not configured correctly',
              detail: `The operator needs to fix a setting: ${config.error}`,
            }),
          }),
        ),
        500,
      );
    }
    c.set('config', config.value);
    await next();
  });

  // An anonymous, per-browser owner until sign-in exists: enough for idempotency and `quickstart`.
  app.use('*', async (c, next) => {
    let owner = getCookie(c, OWNER_COOKIE);
    if (owner === undefined || !/^anon-[0-9a-f-]{36}$/.test(owner)) {
      owner = `anon-${crypto.randomUUID()}`;
      setCookie(c, OWNER_COOKIE, owner, {
        httpOnly: true,
        secure: c.get('config').origin.startsWith('https:'),
        sameSite: 'Lax',
        path: '/',
        maxAge: 60 * 60 * 24 * 365,
      });
    }
    // Signed in: workspaces belong to the user (`user:github.com:1001`); the anonymous cookie stays for sign-out.
    c.set('owner', (await signedInOwner(c, now())) ?? owner);
    await next();
  });

  return app;
}

/** `GET /`: the landing page. */
export const landingPage: Handler<AppEnv> = (c) =>
  c.html(renderPage(LandingPage({ brand: c.get('config').brand, origin: c.get('config').origin })));

/** The app index.ts answers `GET /` with: the same middleware, page and onError as the whole app's. */
export function landingApp(now: () => number = Date.now) {
  const app = baseApp(now);
  app.get('/', landingPage);
  app.onError(onAppError);
  return app;
}

const inputs = new WeakMap<LaunchError, string>();
/** The launch input an error page offers again in its box. */
export function withInput(error: LaunchError, input: string): LaunchError {
  inputs.set(error, input);
  return error;
}

export function notFound(what: string): LaunchError {
  return new LaunchError('not-found', {
    title: 'Not found',
    detail: `There is nothing at ${what}.`,
    wayOut: { label: 'Back to the start', href: '/' },
  });
}

/** Every typed error as a page (HTML) or a problem+json body (API); anything else as an internal error. */
export const onAppError: ErrorHandler<AppEnv> = (error, c) => {
  const thrown =
    error instanceof LaunchError
      ? error
      : new LaunchError('internal', {
          title: 'Something went wrong on our side',
          detail:
            'The launcher hit an unexpected error. Try again; if it keeps happening, tell the operator.',
          wayOut: { label: 'Back to the start', href: '/' },
        });
  const origin = c.get('config')?.origin;
  const launchError = origin === undefined ? thrown : withOfflineDemoHint(thrown, origin);
  if (!(error instanceof LaunchError)) console.error(`unexpected error: ${error.name}: ${error.message}`);
  if (launchError.retryAfterSeconds !== undefined)
    c.header('retry-after', String(launchError.retryAfterSeconds));
  const status = launchError.status as 400;
  if (c.req.path.startsWith('/api/')) {
    return c.body(JSON.stringify(launchError.toProblem(c.req.path)), status, {
      'content-type': 'application/problem+json',
    });
  }
  const brand = c.get('config')?.brand ?? 'Launchpod';
  const input = inputs.get(thrown);
  return c.html(
    renderPage(ErrorPage({ brand, error: launchError, ...(input !== undefined && { input }) })),
    status,
  );
};
