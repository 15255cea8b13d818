// The cluster origin's pages: `/workspaces/<id>` sends its visitor to the workspace's own origin (where its owner
// gets the editor and its page, and nobody else gets anything), or says the id is unknown. Never serves a
// workspace's content or logs on the cluster's own origin.

import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { WorkspaceLifecycle } from './workspace-lifecycle.ts';
import { renderNotFoundPage } from './workspace-page.tsx';

export interface PageOptions {
  readonly clusterName: string;
  readonly lifecycle: WorkspaceLifecycle;
}

export function pageRoutes(options: PageOptions): Hono {
  const { lifecycle, clusterName } = options;
  const pages = new Hono();
  pages.use(
    '*',
    secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"] }, referrerPolicy: 'no-referrer' }),
  );
  pages.get('/workspaces/:id', (c) => {
    const status = lifecycle.get(c.req.param('id'));
    c.header('cache-control', 'no-store');
    if (status === undefined || status.phase === 'deleted')
      return c.html(renderNotFoundPage(clusterName), 404);
    return c.redirect(status.url, 302);
  });
  return pages;
}
