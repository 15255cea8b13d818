// The public workspace page, its live log stream and its two assets, under a strict CSP ('self' scripts and
// styles only). Never serves anything that needs the cluster secret; never answers a page for an unknown id.

import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { streamWorkspaceLogs } from './log-stream.ts';
import { WORKSPACE_CSS, WORKSPACE_SCRIPT } from './page-assets.ts';
import type { WorkspaceLifecycle } from './workspace-lifecycle.ts';
import {
  renderNotFoundPage,
  renderWorkspacePage,
  WORKSPACE_CSS_PATH,
  WORKSPACE_SCRIPT_PATH,
} from './workspace-page.tsx';

export interface PageOptions {
  readonly clusterName: string;
  readonly lifecycle: WorkspaceLifecycle;
  readonly logPollMs: number;
  readonly closing: AbortSignal;
}

export function pageRoutes(options: PageOptions): Hono {
  const { lifecycle, clusterName } = options;
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
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );

  const asset = (type: string, body: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=300' } });
  pages.get(WORKSPACE_CSS_PATH, asset('text/css; charset=utf-8', WORKSPACE_CSS));
  pages.get(WORKSPACE_SCRIPT_PATH, asset('text/javascript; charset=utf-8', WORKSPACE_SCRIPT));

  // Public without the secret: workspace ids are random UUIDs chosen by the launcher (`ws-<uuid>`), so the address
  // is the capability, as with Gitpod's workspace URLs. Nothing here can change a workspace.
  pages.get('/workspaces/:id', (c) => {
    const id = c.req.param('id');
    const status = lifecycle.get(id);
    const request = lifecycle.request(id);
    const paths = lifecycle.paths(id);
    c.header('cache-control', 'no-store');
    if (status === undefined || request === undefined || paths === undefined)
      return c.html(renderNotFoundPage(clusterName), 404);
    return c.html(renderWorkspacePage({ clusterName, status, request, paths }));
  });

  pages.get('/workspaces/:id/logs/stream', (c) => {
    const id = c.req.param('id');
    if (lifecycle.get(id) === undefined) return c.text('No such workspace on this cluster.', 404);
    return streamWorkspaceLogs(c, { lifecycle, id, pollMs: options.logPollMs, closing: options.closing });
  });

  return pages;
}
