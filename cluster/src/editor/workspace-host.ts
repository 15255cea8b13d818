// The cluster's front door for workspace origins. A request for `<workspace>.<public host>` is the owner's editor
// (proxied to code-server's socket inside the sandbox), its page under `/_launchpod/`, or the gate when the
// visitor holds no cookie for it; `<port>-<workspace>.<public host>` is one of its ports (proxied through the
// editor's port forwarding), owner-only unless the port is declared public. Every other host is the cluster's own
// app (the contract's API). Never forwards the cluster's cookie, never lets a workspace set a cookie for another
// host, and never proxies anything to a visitor who is not the owner (public ports aside).

import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { workspaceHostLabel } from '../../../shared/workspace-access.ts';
import { streamWorkspaceLogs } from '../log-stream.ts';
import { WORKSPACE_CSS, WORKSPACE_SCRIPT } from '../page-assets.ts';
import type { WorkspaceLifecycle } from '../workspace-lifecycle.ts';
import {
  HOST_BASE,
  renderGatePage,
  renderNotFoundPage,
  renderWorkspacePage,
  WORKSPACE_CSS_PATH,
  WORKSPACE_SCRIPT_PATH,
} from '../workspace-page.tsx';
import { agentPaths, contextToOpen } from './agent-files.ts';
import { carriesPayload, editorEntryUrl, editorFolderUrl, openFilePayload } from './editor-entry.ts';
import { connectWorkspaceSocket } from './socket-connect.ts';
import { COOKIE, samePath, setCookieHeader, type WorkspaceAuth, withoutOurCookie } from './workspace-auth.ts';

export type HostRoute =
  | { readonly kind: 'cluster' }
  | { readonly kind: 'workspace'; readonly label: string; readonly host: string }
  | { readonly kind: 'port'; readonly label: string; readonly port: number; readonly host: string };

/** Which origin a Host header names, under the cluster's public origin (`http://localhost:8788`). */
export function classifyHost(hostHeader: string | undefined, publicOrigin: string): HostRoute {
  const publicHost = new URL(publicOrigin).host.toLowerCase();
  const host = (hostHeader ?? '').toLowerCase();
  if (!host.endsWith(`.${publicHost}`)) return { kind: 'cluster' };
  const prefix = host.slice(0, -publicHost.length - 1);
  if (prefix.includes('.') || prefix === '') return { kind: 'cluster' };
  const port = /^(\d{1,5})-(.+)$/.exec(prefix);
  if (port !== null) {
    const number = Number(port[1]);
    if (number >= 1 && number <= 65535) return { kind: 'port', label: port[2] as string, port: number, host };
  }
  return { kind: 'workspace', label: prefix, host };
}

export interface WorkspaceHostOptions {
  readonly clusterName: string;
  readonly publicOrigin: string;
  readonly lifecycle: WorkspaceLifecycle;
  readonly auth: WorkspaceAuth;
  /** The cluster's own app (the contract's API and the pages on its origin). */
  readonly app: Hono;
  readonly logPollMs: number;
  readonly closing: AbortSignal;
  /** Whether running workspaces have an editor; without one, their origin's root is their page. */
  readonly startEditor: boolean;
}

/** Headers only this server sets (a visitor's are dropped): the workspace a host route found and its host. */
const TRUSTED = {
  id: 'x-launchpod-workspace',
  host: 'x-launchpod-host',
  owner: 'x-launchpod-owner',
} as const;

/** The launcher's "Your workspaces" page, from the origin the workspace's events go to. */
function launcherPage(eventsUrl: string | undefined): string | undefined {
  try {
    return eventsUrl === undefined ? undefined : new URL('/workspaces', eventsUrl).href;
  } catch {
    return undefined;
  }
}

/** `/_launchpod/*` on a workspace origin: the page, its assets, logs, status, the hand-over, and the actions. */
export function workspaceHostRoutes(options: WorkspaceHostOptions): Hono {
  const { lifecycle, auth, clusterName } = options;
  const pages = new Hono();
  pages.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  const asset = (type: string, body: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=300' } });
  pages.get(WORKSPACE_CSS_PATH, asset('text/css; charset=utf-8', WORKSPACE_CSS));
  pages.get(WORKSPACE_SCRIPT_PATH, asset('text/javascript; charset=utf-8', WORKSPACE_SCRIPT));

  const idOf = (c: { req: { header: (name: string) => string | undefined } }) =>
    c.req.header(TRUSTED.id) ?? '';
  const secure = options.publicOrigin.startsWith('https:');

  // The launcher's hand-over: a single-use token for this workspace and its owner becomes this host's cookie.
  pages.get(`${HOST_BASE}/auth`, (c) => {
    const id = idOf(c);
    const request = lifecycle.request(id);
    const host = c.req.header(TRUSTED.host) ?? '';
    c.header('cache-control', 'no-store');
    if (request === undefined) return c.html(renderNotFoundPage(clusterName), 404);
    const redeemed = auth.redeemOpenToken(c.req.query('token') ?? '', id, request.owner.id);
    if (!redeemed.ok)
      return c.html(renderGatePage(clusterName, launcherPage(request.eventsUrl), redeemed.message), 403);
    lifecycle.touch(id);
    c.header('set-cookie', setCookieHeader(auth.cookieFor(host), secure));
    return c.redirect(samePath(c.req.query('to')), 302);
  });

  // Everything else here is the owner's.
  pages.use(`${HOST_BASE}/*`, async (c, next) => {
    const id = idOf(c);
    const request = lifecycle.request(id);
    c.header('cache-control', 'no-store');
    if (request === undefined) return c.html(renderNotFoundPage(clusterName), 404);
    if (c.req.header(TRUSTED.owner) !== '1')
      return c.html(renderGatePage(clusterName, launcherPage(request.eventsUrl)), 401);
    if (c.req.method === 'POST') {
      // Forms only from this origin: a cross-site POST (which would carry the Lax cookie on a top-level form) is refused.
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const here = `${new URL(options.publicOrigin).protocol}//${c.req.header(TRUSTED.host)}`;
      if ((origin !== undefined && origin !== here) || (site !== undefined && site !== 'same-origin'))
        return c.text('Actions on a workspace come from its own page.', 403);
    }
    lifecycle.touch(id);
    await next();
  });

  pages.get(`${HOST_BASE}/`, (c) => {
    const id = idOf(c);
    const status = lifecycle.get(id) as WorkspaceStatus;
    const request = lifecycle.request(id);
    const paths = lifecycle.paths(id);
    if (request === undefined || paths === undefined) return c.html(renderNotFoundPage(clusterName), 404);
    const launcherUrl = launcherPage(request.eventsUrl);
    return c.html(
      renderWorkspacePage({
        clusterName,
        status,
        request,
        checkoutPath: paths.repoInside,
        waitForEditor: options.startEditor && c.req.query('wait') === 'editor',
        editor: options.startEditor,
        ...(launcherUrl !== undefined && { launcherUrl }),
      }),
    );
  });
  pages.get(`${HOST_BASE}/status`, async (c) => {
    const id = idOf(c);
    const status = lifecycle.get(id) as WorkspaceStatus;
    return c.json({
      ...status,
      editorReady: status.phase === 'running' && (await editorReady(lifecycle, id)),
    });
  });
  pages.get(`${HOST_BASE}/logs`, (c) =>
    streamWorkspaceLogs(c, { lifecycle, id: idOf(c), pollMs: options.logPollMs, closing: options.closing }),
  );
  pages.post(`${HOST_BASE}/stop`, (c) => {
    lifecycle.stop(idOf(c));
    return c.redirect(`${HOST_BASE}/`, 303);
  });
  pages.post(`${HOST_BASE}/restart`, (c) => {
    lifecycle.restart(idOf(c));
    return c.redirect(`${HOST_BASE}/?wait=editor`, 303);
  });
  pages.post(`${HOST_BASE}/delete`, async (c) => {
    const request = lifecycle.request(idOf(c));
    await lifecycle.remove(idOf(c));
    const back = launcherPage(request?.eventsUrl);
    return back !== undefined ? c.redirect(back, 303) : c.redirect(`${HOST_BASE}/`, 303);
  });
  // The way from the workspace host to one of its ports: the owner's cookie here vouches for them there.
  pages.get(`${HOST_BASE}/port-auth`, (c) => {
    const port = Number(c.req.query('port'));
    if (!Number.isInteger(port) || port < 1 || port > 65535) return c.text('Which port?', 400);
    const origin = new URL(options.publicOrigin);
    const portHost = `${port}-${c.req.header(TRUSTED.host)}`;
    const token = auth.portToken(portHost);
    const to = encodeURIComponent(samePath(c.req.query('to')));
    return c.redirect(`${origin.protocol}//${portHost}${HOST_BASE}/auth?token=${token}&to=${to}`, 302);
  });
  pages.notFound((c) => c.text('Not found.', 404));
  return pages;
}

async function editorReady(lifecycle: WorkspaceLifecycle, id: string): Promise<boolean> {
  const paths = lifecycle.paths(id);
  if (paths === undefined) return false;
  try {
    (await connectWorkspaceSocket(`${agentPaths(paths.dir).run}/editor.sock`)).destroy();
    return true;
  } catch {
    return false;
  }
}

/** The cluster's HTTP server: workspace and port origins here, everything else to the cluster's app. */
export function createClusterServer(options: WorkspaceHostOptions): Server {
  const { lifecycle, auth } = options;
  const clusterListener = getRequestListener(options.app.fetch);
  const hostRoutes = workspaceHostRoutes(options);
  const hostListener = getRequestListener(hostRoutes.fetch);
  const secure = options.publicOrigin.startsWith('https:');

  const findWorkspace = (label: string) => lifecycle.list().find((s) => workspaceHostLabel(s.id) === label);

  /** Hands a request to the `/_launchpod` routes with the headers only this server may set. */
  const toHostRoutes = (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    host: string,
    owner: boolean,
  ) => {
    for (const name of Object.values(TRUSTED)) delete req.headers[name];
    req.headers[TRUSTED.id] = id;
    req.headers[TRUSTED.host] = host;
    req.headers[TRUSTED.owner] = owner ? '1' : '0';
    void hostListener(req, res);
  };

  const editorSocket = (id: string) => {
    const paths = lifecycle.paths(id);
    return paths === undefined ? undefined : `${agentPaths(paths.dir).run}/editor.sock`;
  };

  // The instances (`<id>#<instance>`) whose editor has loaded the address that opens the context's file: the file
  // opens with the first load of each instance, as the extension's own opening does (once; a reload keeps what the
  // user has open since). In memory: after a cluster restart the next first load opens the file once more.
  const entryLoaded = new Set<string>();
  /** Where the owner's editor request goes first (an address of the editor's), or undefined to pass it on. */
  const editorEntry = (status: WorkspaceStatus, req: IncomingMessage, host: string) => {
    const url = req.url ?? '/';
    // Every request of the editor passes here (its scripts, its assets): only `/` and a payload address are looked at.
    if (req.method !== 'GET' || (url !== '/' && !url.includes('payload='))) return undefined;
    const request = lifecycle.request(status.id);
    const paths = lifecycle.paths(status.id);
    if (request === undefined || paths === undefined) return undefined;
    const open = contextToOpen(request, paths.repoInside);
    const payload = openFilePayload(open, host);
    if (payload === undefined) return undefined;
    const key = `${status.id}#${status.instance ?? 1}`;
    if (url === '/')
      return entryLoaded.has(key) ? undefined : { to: editorEntryUrl(paths.repoInside, open, host) };
    if (!carriesPayload(url, payload)) return undefined;
    return entryLoaded.has(key) ? { to: editorFolderUrl(paths.repoInside) } : { loads: key };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const route = classifyHost(req.headers.host, options.publicOrigin);
    if (route.kind === 'cluster') return void clusterListener(req, res);
    const status = findWorkspace(route.label);
    if (status === undefined) {
      res
        .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
        .end(renderNotFoundPage(options.clusterName));
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const owner = auth.hasCookie(route.host, req.headers.cookie);

    if (route.kind === 'port') {
      if (path === `${HOST_BASE}/auth`) {
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        if (!auth.redeemPortToken(query.get('token') ?? '', route.host)) {
          res
            .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
            .end('This link to the port is not valid any more; open the port again from the editor.');
          return;
        }
        res
          .writeHead(302, {
            'set-cookie': setCookieHeader(auth.cookieFor(route.host), secure),
            location: samePath(query.get('to') ?? undefined),
            'cache-control': 'no-store',
          })
          .end();
        return;
      }
      const isPublic = publicPort(lifecycle, status.id, route.port);
      if (!owner && !isPublic) {
        const workspaceHost = route.host.slice(route.host.indexOf('-') + 1);
        const to = encodeURIComponent(req.url ?? '/');
        res
          .writeHead(302, {
            location: `${new URL(options.publicOrigin).protocol}//${workspaceHost}${HOST_BASE}/port-auth?port=${route.port}&to=${to}`,
            'cache-control': 'no-store',
          })
          .end();
        return;
      }
      if (owner) lifecycle.touch(status.id);
      return proxyHttp(req, res, route.host, editorSocket(status.id), () =>
        unavailable(res, `Nothing answers on port ${route.port} of this workspace yet.`),
      );
    }

    if (path === HOST_BASE || path.startsWith(`${HOST_BASE}/`))
      return toHostRoutes(req, res, status.id, route.host, owner);
    if (!owner)
      return toHostRoutes(Object.assign(req, { url: `${HOST_BASE}/` }), res, status.id, route.host, false);
    lifecycle.touch(status.id);
    if (!options.startEditor) {
      res.writeHead(302, { location: `${HOST_BASE}/`, 'cache-control': 'no-store' }).end();
      return;
    }
    if (status.phase !== 'running') {
      res.writeHead(302, { location: `${HOST_BASE}/?wait=editor`, 'cache-control': 'no-store' }).end();
      return;
    }
    const entry = editorEntry(status, req, route.host);
    if (entry?.to !== undefined) {
      res.writeHead(302, { location: entry.to, 'cache-control': 'no-store' }).end();
      return;
    }
    return proxyHttp(
      req,
      res,
      route.host,
      editorSocket(status.id),
      () => {
        res.writeHead(302, { location: `${HOST_BASE}/?wait=editor`, 'cache-control': 'no-store' }).end();
      },
      (code) => {
        if (entry?.loads !== undefined && code === 200) entryLoaded.add(entry.loads);
      },
    );
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const route = classifyHost(req.headers.host, options.publicOrigin);
    const status = route.kind === 'cluster' ? undefined : findWorkspace(route.label);
    if (route.kind === 'cluster' || status === undefined) return void socket.destroy();
    const owner = auth.hasCookie(route.host, req.headers.cookie);
    const allowed = owner || (route.kind === 'port' && publicPort(lifecycle, status.id, route.port));
    if (!allowed || status.phase !== 'running') {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    if (owner) {
      // Gone at its first end: a browser's closed tab half-closes, and the editor may hold its side open a while.
      const left = lifecycle.ownerConnected(status.id);
      socket.once('end', left).once('close', left);
    }
    const target = editorSocket(status.id);
    if (target === undefined) return void socket.destroy();
    connectWorkspaceSocket(target).then(
      (upstream) => {
        upstream.on('error', () => socket.destroy());
        socket.on('close', () => upstream.destroy());
        upstream.on('close', () => socket.destroy());
        upstream.write(requestHead(req, route.host));
        if (head.length > 0) upstream.write(head);
        socket.pipe(upstream);
        upstream.pipe(socket);
      },
      () => socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n'),
    );
  };

  const server = createServer(handle);
  server.on('upgrade', upgrade);
  return server;
}

/** Whether `.gitpod.yml` declares this port (or a range holding it) `visibility: public`. */
function publicPort(lifecycle: WorkspaceLifecycle, id: string, port: number): boolean {
  const ports = lifecycle.request(id)?.ports ?? [];
  return ports.some(
    (p) =>
      p.visibility === 'public' &&
      ('port' in p ? p.port === port : port >= (p.range[0] as number) && port <= (p.range[1] as number)),
  );
}

/**
 * Headers a visitor may not pass on to the editor: the ones naming the host. code-server takes the host from
 * `Forwarded` or `X-Forwarded-Host` before `Host`, and picks from it what to serve (the editor itself, or which port
 * of the workspace): a stranger allowed on a public port's host would otherwise name the editor's, or a private
 * port's, and be let in. The host a request was routed on is set again by `hostHeaders`.
 */
const HOST_NAMING = new Set([
  'host',
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-server',
  'x-original-host',
]);

const passesOn = (lower: string) =>
  !lower.startsWith('x-launchpod-') && !HOST_NAMING.has(lower) && !lower.startsWith('x-forwarded-');

/** What the editor is told the host is: exactly the one this server routed the request on, twice over. */
const hostHeaders = (host: string): [string, string][] => [
  ['host', host],
  ['x-forwarded-host', host],
];

/** The request line and headers as the editor is to get them: our cookie, our headers and the visitor's host gone. */
function requestHead(req: IncomingMessage, host: string): string {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
  for (const [name, value] of hostHeaders(host)) lines.push(`${name}: ${value}`);
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    if (!passesOn(lower)) continue;
    if (lower === 'cookie') {
      const rest = withoutOurCookie(value);
      if (rest !== undefined) lines.push(`${name}: ${rest}`);
      continue;
    }
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function forwardHeaders(req: IncomingMessage, host: string): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = Object.fromEntries(hostHeaders(host));
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || !passesOn(name)) continue;
    if (name === 'cookie') {
      const rest = withoutOurCookie(Array.isArray(value) ? value.join('; ') : value);
      if (rest !== undefined) headers.cookie = rest;
      continue;
    }
    headers[name] = value;
  }
  return headers;
}

/** A workspace may set cookies for its own host only: one naming a Domain (or ours) is dropped. */
function ownHostCookies(value: string[] | undefined): string[] | undefined {
  const kept = (value ?? []).filter(
    (cookie) => !/;\s*domain\s*=/i.test(cookie) && !cookie.trimStart().startsWith(`${COOKIE}=`),
  );
  return kept.length > 0 ? kept : undefined;
}

function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
  socketPath: string | undefined,
  whenUnavailable: () => void,
  answered?: (statusCode: number) => void,
): void {
  if (socketPath === undefined) {
    whenUnavailable();
    return;
  }
  connectWorkspaceSocket(socketPath).then(
    (socket) => {
      const upstream = httpRequest({
        createConnection: () => socket,
        method: req.method,
        path: req.url,
        headers: forwardHeaders(req, host),
      });
      upstream.on('response', (answer) => {
        answered?.(answer.statusCode ?? 502);
        const headers = { ...answer.headers };
        const cookies = ownHostCookies(answer.headers['set-cookie']);
        delete headers['set-cookie'];
        res.writeHead(
          answer.statusCode ?? 502,
          cookies === undefined ? headers : { ...headers, 'set-cookie': cookies },
        );
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) unavailable(res, 'The workspace stopped answering.');
        else res.destroy();
      });
      req.pipe(upstream);
    },
    () => whenUnavailable(),
  );
}

function unavailable(res: ServerResponse, message: string): void {
  res
    .writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(message);
}
