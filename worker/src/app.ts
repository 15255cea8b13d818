// The launcher's HTTP surface. Routes are thin: read input, call one service (launch.ts), render. One onError turns
// every typed error into an HTML page or a problem+json body. Secure headers and a strict CSP on every response.

import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { type ClusterEvent, EVENT_HEADERS, verifyEvent } from '../../shared/cluster-contract.ts';
import { parseLaunchInput } from '../../shared/context-url.ts';
import { type LaunchOptions, readOptions } from '../../shared/launch-url.ts';
import { expandRepoShorthand } from '../../shared/repo-shorthand.ts';
import { isWellFormedText } from '../../shared/url-encoding.ts';
import { type AppEnv, launcherApp } from './app-env.ts';
import { gitCredentialRoutes } from './auth/git-credentials.ts';
import { LIMITS } from './auth/rate-limit.ts';
import { authRoutes } from './auth/routes.ts';
import {
  authOf,
  enforceLaunchLimit,
  enforceLimit,
  requestCloneCredentialUrl,
  requestSession,
  requestUserCredentials,
  signInWayOutFor,
} from './auth/session-auth.ts';
import { backendChoiceFor, checkedHandoff, planBackendLaunch } from './backends/backend-launch.ts';
import { backendApiRoutes, backendPageRoutes, backendPlanJson } from './backends/backend-routes.ts';
import { badgeRoutes } from './badges.ts';
import { regionNotice, type UserLocation } from './clusters/cluster-choice.ts';
import { isWorkspaceStatus } from './clusters/cluster-client.ts';
import { stopAbandoned } from './clusters/cluster-reconcile.ts';
import type { LauncherConfig } from './config.ts';
import { LaunchError } from './errors.ts';
import { extensionAnchors } from './extension-anchors.ts';
import { resolvers } from './hosts/resolvers.ts';
import { baseApp, landingPage, notFound, onAppError, withInput } from './landing-app.ts';
import { type LaunchDeps, type Resolution, resolveLaunch } from './launch.ts';
import { checkedWorkspaceUrl, currentWorkspace, startLaunch } from './launch-start.ts';
import { BackendStartPage } from './pages/backend-start.tsx';
import { faviconSvg } from './pages/favicon.ts';
import { renderPage } from './pages/layout.tsx';
import { badgeScript, landingScript, startScript } from './pages/page-scripts.generated.ts';
import { StartPage } from './pages/start.tsx';
import { stylesheet } from './pages/styles.ts';
import { prebuildBadgeState } from './prebuilds/badge.ts';
import { applyPrebuildEvent, isPrebuildId } from './prebuilds/prebuild-events.ts';
import { prebuildRoutes } from './prebuilds/prebuild-routes.ts';
import { withPrebuildPreference } from './prebuilds/prebuild-selection.ts';
import { prebuildStatus } from './prebuilds/prebuild-status.ts';
import { workspaceApiRoutes, workspaceJson, workspacePageRoutes } from './workspace-routes.ts';
import { applyWorkspaceEvent, findOwnWorkspace, getWorkspace, workspaceByKey } from './workspaces.ts';

/** What tests may replace: the clock, randomness, retry waits and cluster timeouts. */
export interface AppOptions {
  readonly now?: () => number;
  readonly random?: () => number;
  readonly backoffMs?: readonly number[];
  readonly clusterTimeoutMs?: number;
}

const MAX_API_BODY = 16 * 1024;

export function createApp(options: AppOptions = {}) {
  // TrieRouter: each route is added to the tree as it is registered. Hono's default (RegExpRouter, through
  // SmartRouter) compiles all routes into one pattern on the first request instead — some 3 ms of every cold start
  // (bench/cold-start), for a warm match ~1 µs faster. Sub-apps' routes are matched here, by this router.
  const now = options.now ?? Date.now;
  const app = baseApp(now);

  const deps = (c: Context<AppEnv>): LaunchDeps => ({
    config: c.get('config'),
    db: c.env.DB,
    cache: c.env.CACHE,
    resolvers,
    location: locationOf(c.req.raw),
    now,
    ...(options.random !== undefined && { random: options.random }),
    ...(options.backoffMs !== undefined && { http: { backoffMs: options.backoffMs } }),
    ...(options.clusterTimeoutMs !== undefined && { clusterTimeoutMs: options.clusterTimeoutMs }),
    userCredentials: (entry) => requestUserCredentials(c, entry, now()),
  });

  // ---- API -------------------------------------------------------------------------------------------------
  const api = launcherApp();
  // Public, cookie-less reads (the extension's status dot and anchor table) may be fetched from any page; anything
  // else answers with credentials, so only to the launcher itself and the exact origins an operator listed.
  const publicCors = cors({ origin: '*', allowMethods: ['GET', 'OPTIONS'], maxAge: 600 });
  const credentialedCors = cors({
    origin: (origin, c) => (allowedOrigin(origin, c.get('config')) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['content-type', 'idempotency-key'],
    credentials: true,
    maxAge: 600,
  });
  api.use('*', (c, next) =>
    PUBLIC_API_PATHS.has(c.req.path) ? publicCors(c, next) : credentialedCors(c, next),
  );
  api.use('*', async (c, next) => {
    // Browsers send Origin on cross-site POSTs: only the launcher and the extension may change state.
    const origin = c.req.header('origin');
    if (
      (c.req.method === 'POST' || c.req.method === 'DELETE') &&
      origin !== undefined &&
      !allowedOrigin(origin, c.get('config')) &&
      !c.req.path.endsWith('/cluster-events') &&
      !c.req.path.endsWith('/cluster/git-credentials')
    ) {
      throw new LaunchError('bad-request', {
        title: 'Cross-site request refused',
        detail: `Requests from ${origin} may not start workspaces.`,
      });
    }
    await next();
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_API_BODY,
      onError: () => {
        throw new LaunchError('payload-too-large', {
          title: 'Request too large',
          detail: `Request bodies are limited to ${MAX_API_BODY / 1024} KiB; send just the URL and options.`,
        });
      },
    }),
  );

  api.post('/resolve', async (c) => {
    await enforceLimit(c, LIMITS.resolve, now());
    const { url, options: launchOptions } = await launchBody(c.req.raw);
    // Another backend opens it: what it will open, what it cannot express, and the other ways.
    const planned = await planBackendLaunch(url, launchOptions, deps(c));
    if (!planned.ok) throw signInWayOutFor(planned.error, url, c.get('config'), startPath(url));
    if (planned.value !== undefined) return c.json(backendPlanJson(planned.value));
    const resolution = await resolveLaunch(url, launchOptions, deps(c));
    if (!resolution.ok) throw signInWayOutFor(resolution.error, url, c.get('config'), startPath(url));
    return c.json(resolutionJson(resolution.value, c.get('config').clusters));
  });
  backendApiRoutes(api, deps, launchBody);

  api.post('/workspaces', async (c) => {
    await enforceLaunchLimit(c, now());
    const { url, options: launchOptions } = await launchBody(c.req.raw);
    const key = c.req.header('idempotency-key') ?? null;
    if (key !== null && !/^[\w.:-]{8,128}$/.test(key)) {
      throw new LaunchError('bad-request', {
        title: 'Bad Idempotency-Key',
        detail: 'Idempotency-Key must be 8–128 letters, digits, or . _ : -.',
      });
    }
    // The key first: a retry of a start that happened answers it, whatever the host or the clusters say now.
    if (key !== null) {
      const existing = await workspaceByKey(c.env.DB, c.get('owner'), key);
      if (existing !== undefined) return c.json(workspaceJson(existing), 200);
    }
    const d = deps(c);
    // The operator's rules (or the user's choice) send it to another backend: that backend's start, not a cluster's.
    const elsewhere = backendChoiceFor(url, launchOptions, d);
    if (elsewhere.kind === 'backend')
      throw new LaunchError('conflict', {
        title: `This opens on ${elsewhere.backend.displayName}`,
        detail: `${elsewhere.backend.displayName} opens it (${elsewhere.why}): start it with POST /api/v1/backend-starts, or follow the start page.`,
        wayOut: { label: 'Open the start page', href: startPath(url) },
      });
    const resolution = await resolveLaunch(url, launchOptions, d);
    if (!resolution.ok) throw signInWayOutFor(resolution.error, url, c.get('config'), startPath(url));
    // Signed in: git inside the workspace may ask for the user's token, per request, once the user allows it.
    const auth = await authOf(c.env);
    const session = auth === undefined ? undefined : await requestSession(c, auth, now());
    const started = await startLaunch(
      {
        // The start page's "use the last ready prebuild" while the exact commit's prebuild still builds.
        resolution: withPrebuildPreference(resolution.value, c.req.header('x-launchpod-prebuild')),
        owner: c.get('owner'),
        idempotencyKey: key,
        eventsUrl: `${d.config.origin}/api/v1/cluster-events`,
        ...(session?.userId != null && {
          sessionHash: session.hash,
          gitCredentialsUrl: `${d.config.origin}/api/v1/cluster/git-credentials`,
        }),
        ...(resolution.value.credentials === 'user' && {
          credentialUrl: (id: string, cluster: string) =>
            requestCloneCredentialUrl(c, resolution.value.resolved.repo.host, id, cluster, now()),
        }),
      },
      d,
    );
    // Starts the launcher gave up on are stopped once their cluster answers (the cron does it too).
    c.executionCtx.waitUntil(stopAbandoned(d).catch(() => undefined));
    if (!started.ok) throw started.error;
    const { workspace, started: isNew, confirmed } = started.value;
    // 202: a cluster did not answer in time and may still start it; the status read follows it.
    return c.json(workspaceJson(workspace), !isNew ? 200 : confirmed ? 201 : 202);
  });

  api.get('/workspaces/:id', async (c) => {
    const found = await currentWorkspace(c.req.param('id'), deps(c));
    if (!found.ok) throw found.error;
    if (found.value.owner !== c.get('owner')) throw notFound(c.req.param('id'));
    return c.json(workspaceJson(found.value, found.value.live));
  });
  workspaceApiRoutes(api, deps);
  gitCredentialRoutes(api, now);

  api.get('/extension/anchors', extensionAnchors);

  api.get('/status', async (c) => {
    await enforceLimit(c, LIMITS.status, now());
    const url = c.req.query('url') ?? '';
    const parsed = parseLaunchInput(url, c.get('config').registry);
    c.header('cache-control', 'private, max-age=60');
    if (!parsed.ok)
      return c.json({ launchable: false, reason: parsed.error.message, code: parsed.error.code });
    return c.json({
      launchable: true,
      prebuild: await prebuildStatus(c.env.DB, parsed.value.context, now()),
    });
  });

  api.post('/cluster-events', async (c) => {
    const config = c.get('config');
    const name = c.req.header(EVENT_HEADERS.cluster);
    const cluster = config.clusters.find((k) => k.name === name);
    const body = await c.req.text();
    const check =
      cluster === undefined
        ? ({ ok: false, reason: 'missing' } as const)
        : verifyEvent(
            cluster.secret,
            c.req.header(EVENT_HEADERS.timestamp) ?? null,
            c.req.header(EVENT_HEADERS.signature) ?? null,
            body,
            Math.floor(now() / 1000),
          );
    if (!check.ok || cluster === undefined)
      return c.json({ error: `event refused: ${check.ok ? 'unknown cluster' : check.reason}` }, 401);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return c.json({ error: 'event body is not JSON' }, 400);
    }
    // Signed is not well-formed: `null`, a list or a string is JSON too.
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      !isWorkspaceStatus((parsed as ClusterEvent).workspace)
    )
      return c.json({ error: 'event has no workspace status' }, 400);
    const event = parsed as ClusterEvent;
    if (isPrebuildId(event.workspace.id)) {
      const answer = await applyPrebuildEvent(c.env.DB, cluster.name, event, now());
      return c.json(answer.body, answer.status);
    }
    const record = await getWorkspace(c.env.DB, event.workspace.id);
    if (record === undefined || record.cluster !== cluster.name)
      return c.json({ error: 'unknown workspace' }, 404);
    // Each event once, in order: a replayed (or late) event's sequence is not above the last one applied.
    if (typeof event.sequence !== 'number' || !Number.isSafeInteger(event.sequence) || event.sequence < 0)
      return c.json({ error: 'event refused: it has no sequence' }, 409);
    const url = checkedWorkspaceUrl(event.workspace.url, cluster, record.id);
    const applied = await applyWorkspaceEvent(c.env.DB, record.id, event.sequence, {
      phase: event.workspace.phase,
      ...(url !== undefined && { url }),
      ...(event.workspace.failure !== undefined && { failure: event.workspace.failure }),
      now: now(),
    });
    if (applied.kind === 'unknown') return c.json({ error: 'unknown workspace' }, 404);
    if (applied.kind === 'stale')
      return c.json(
        {
          error: `event refused: stale (sequence ${event.sequence} ≤ ${applied.lastSequence} already applied)`,
        },
        409,
      );
    return c.json({ ok: true, phase: applied.record.phase });
  });

  // Prebuilds: webhooks, the admin API, a prebuild's state and its badge (before the API's 16 KiB body limit).
  app.route(
    '/',
    prebuildRoutes({
      now,
      resolvers,
      ...(options.backoffMs !== undefined && { http: { backoffMs: options.backoffMs } }),
    }),
  );
  app.route('/api/v1', api);
  app.route('/auth', authRoutes({ now }));
  // Badges: the live prebuild badge reads the prebuild records.
  app.route(
    '/',
    badgeRoutes((input, c) => prebuildBadgeState(c.env.DB, c.get('config').registry, input, now())),
  );

  // ---- Assets ----------------------------------------------------------------------------------------------
  const asset = (type: string, body: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=300' } });
  app.get('/assets/launchpod.css', asset('text/css; charset=utf-8', stylesheet));
  app.get('/assets/landing.js', asset('text/javascript; charset=utf-8', landingScript));
  app.get('/assets/start.js', asset('text/javascript; charset=utf-8', startScript));
  app.get('/assets/badge.js', asset('text/javascript; charset=utf-8', badgeScript));
  // Browsers ask for /favicon.ico whatever the page links; every modern one draws an SVG answer there too.
  app.get('/favicon.svg', asset('image/svg+xml', faviconSvg));
  app.get('/favicon.ico', asset('image/svg+xml', faviconSvg));
  app.get('/robots.txt', (c) => c.text('User-agent: *\nDisallow: /\n'));

  // ---- Pages -----------------------------------------------------------------------------------------------
  app.get('/', landingPage);

  // Before the path form below, which would read `/workspaces` as a context.
  workspacePageRoutes(app, deps, now);
  backendPageRoutes(app, deps);

  app.get('/start', async (c) => {
    const query = new URL(c.req.url).search.slice(1);
    const withoutUrl = query
      .split('&')
      .filter((p) => !p.startsWith('url='))
      .join('&');
    // The landing page's box takes `owner/repo` for a GitHub repository, as the extension's omnibox does.
    return startPage(c, expandRepoShorthand(c.req.query('url') ?? ''), withoutUrl, false);
  });

  // Path form: `/https://github.com/o/r`, `/github.com/o/r/pull/3?autostart=false`.
  app.get('/*', async (c) => {
    const url = new URL(c.req.url);
    return startPage(c, url.pathname.slice(1), url.search.slice(1), true);
  });

  async function startPage(c: Context<AppEnv>, context: string, query: string, pathForm: boolean) {
    await enforceLaunchLimit(c, now());
    const { options: launchOptions, ignored, contextQuery } = readOptions(query, pathForm);
    const input = pathForm && contextQuery !== '' ? `${context}?${contextQuery}` : context;
    const planned = await planBackendLaunch(input, launchOptions, deps(c));
    if (!planned.ok) {
      const here = new URL(c.req.url);
      throw withInput(
        signInWayOutFor(planned.error, input, c.get('config'), here.pathname + here.search),
        input,
      );
    }
    if (planned.value !== undefined) {
      const handoffUrl = checkedHandoff(planned.value.plan, planned.value.backend);
      c.header('cache-control', 'no-store');
      return c.html(
        renderPage(
          BackendStartPage({
            brand: c.get('config').brand,
            launch: planned.value,
            input,
            ...(handoffUrl !== undefined && { handoffUrl }),
            autostart: launchOptions.autostart !== false,
          }),
        ),
      );
    }
    const resolution = await resolveLaunch(input, launchOptions, deps(c));
    if (!resolution.ok) {
      // A repository that may be private: the way out is signing in with its host, back to this same launch.
      const here = new URL(c.req.url);
      throw withInput(
        signInWayOutFor(resolution.error, input, c.get('config'), here.pathname + here.search),
        input,
      );
    }
    // The owner's workspace for this context, if any: offered instead of starting a second one — a reload, Back, or
    // the same link clicked again never starts another unasked (Gitpod's "open it or start a new one").
    const existing =
      launchOptions.quickstart === true
        ? undefined
        : await findOwnWorkspace(c.env.DB, c.get('owner'), resolution.value.contextKey);
    // A link that tried to set environment variables it may not: the person reads what was refused and starts it.
    const autostart =
      launchOptions.autostart !== false &&
      resolution.value.request.rejectedEnv.length === 0 &&
      existing === undefined;
    const page = StartPage({
      brand: c.get('config').brand,
      resolution: resolution.value,
      ignoredOptions: ignored,
      notices: [
        regionNotice(launchOptions.region, c.get('config').clusters, resolution.value.clusters[0]),
      ].filter((n) => n !== undefined),
      otherBackends: c.get('config').backends.map((b) => ({ name: b.name, displayName: b.displayName })),
      data: { url: input, options: launchOptions, idempotencyKey: `page-${crypto.randomUUID()}`, autostart },
      ...(existing !== undefined && {
        existing: { id: existing.id, phase: existing.phase, createdAt: existing.createdAt },
      }),
    });
    c.header('cache-control', 'no-store');
    return c.html(renderPage(page));
  }

  app.onError(onAppError);

  app.notFound((c) => {
    throw notFound(c.req.path);
  });

  return app;
}

/** The start page for a context: where an API client's user lands after signing in. */
const startPath = (url: string) => `/start?url=${encodeURIComponent(url)}`;

/** API paths that read only public data, without cookies: open to any origin, never with credentials. */
const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/v1/status', '/api/v1/extension/anchors']);

/** The launcher itself, or one of the exact origins in API_ALLOWED_ORIGINS (`chrome-extension://<id>`). */
function allowedOrigin(origin: string, config: LauncherConfig): boolean {
  return origin === config.origin || config.apiOrigins.includes(origin);
}

async function launchBody(request: Request): Promise<{ url: string; options: LaunchOptions }> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new LaunchError('bad-request', {
      title: 'Body is not JSON',
      detail: 'Send a JSON body like {"url": "https://github.com/owner/repo"}.',
    });
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as {
    url?: unknown;
    options?: unknown;
  };
  if (typeof record.url !== 'string') {
    throw new LaunchError('bad-request', {
      title: 'Missing url',
      detail: 'Send a JSON body like {"url": "https://github.com/owner/repo"}.',
    });
  }
  const raw = (typeof record.options === 'object' && record.options !== null ? record.options : {}) as Record<
    string,
    unknown
  >;
  const strings = [
    record.url,
    ...Object.entries(raw).flatMap(([k, v]) => [k, typeof v === 'string' ? v : '']),
  ];
  if (!strings.every(isWellFormedText)) {
    throw new LaunchError('bad-request', {
      title: 'Broken text in the body',
      detail:
        'The body holds half of a UTF-16 pair (a lone "\\ud800"-style escape), which no URL can carry. Send the URL as it appears on the page.',
    });
  }
  const pairs = Object.entries(raw)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'boolean')
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k === 'workspaceClass' ? 'class' : k)}=${encodeURIComponent(String(v))}`,
    );
  return { url: record.url, options: readOptions(pairs.join('&')).options };
}

function locationOf(request: Request): UserLocation {
  const cf = (request as Request & { cf?: Record<string, unknown> }).cf;
  if (cf === undefined) return {};
  const latitude = Number(cf.latitude);
  const longitude = Number(cf.longitude);
  return {
    ...(Number.isFinite(latitude) && cf.latitude !== undefined && { latitude }),
    ...(Number.isFinite(longitude) && cf.longitude !== undefined && { longitude }),
    ...(typeof cf.continent === 'string' && { continent: cf.continent }),
  };
}

function resolutionJson(r: Resolution, clusters: LauncherConfig['clusters']) {
  const notice = regionNotice(r.options.region, clusters, r.clusters[0]);
  return {
    context: r.resolved,
    contextKey: r.contextKey,
    env: r.request.env,
    rejectedEnv: r.request.rejectedEnv,
    warnings: r.request.warnings,
    options: r.options,
    config: {
      source: r.configSource,
      file: r.configFile,
      image: r.config.image,
      tasks: r.config.tasks,
      ports: r.config.ports,
    },
    prebuild: r.prebuild,
    clusters: r.clusters.map((c) => ({
      name: c.cluster.name,
      region: c.cluster.region,
      score: c.score,
      distanceKm: c.distanceKm,
    })),
    // Why each other cluster cannot serve ("eu-1: cluster eu-1 unreachable"), as the start page says it.
    unavailable: r.unavailable,
    // `?region=mars`: which regions exist, and where it starts instead.
    ...(notice !== undefined && { regionNotice: notice }),
  };
}
