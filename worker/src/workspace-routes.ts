// Routes for workspaces after their start: the owner's list ("Your workspaces", and its API for the extension's
// popup), Open (a redirect with a single-use token to the workspace's own origin), Stop / Restart / Delete, the
// start page's live log stream, and the owner's choice about git pushes from a workspace. Thin: each reads input,
// calls workspace-service.ts, renders. Nothing here answers about a workspace to anyone but its owner.

import type { Context, Hono } from 'hono';
import type { WorkspaceStatus } from '../../shared/cluster-contract.ts';
import type { AppEnv } from './app-env.ts';
import { authOf, requestSession, signInPath } from './auth/session-auth.ts';
import { readHostToken } from './auth/sessions.ts';
import { workspaceLogStream } from './clusters/cluster-client.ts';
import { LaunchError } from './errors.ts';
import type { LaunchDeps } from './launch.ts';
import { renderPage } from './pages/layout.tsx';
import { GitAccessPage, WorkspacesPage } from './pages/workspaces.tsx';
import { openUrl, ownedWorkspace, type WorkspaceAction, workspaceAction } from './workspace-service.ts';
import { listOwnerWorkspaces, setGitAccess, type WorkspaceRecord } from './workspaces.ts';

type Deps = (c: Context<AppEnv>) => LaunchDeps;

/** What the API and the popup show of a workspace: no tokens, no config text; live facts while it changes. */
export function workspaceJson(w: WorkspaceRecord, live?: WorkspaceStatus) {
  return {
    id: w.id,
    phase: w.phase,
    cluster: w.cluster,
    context: JSON.parse(w.contextJson) as unknown,
    ...(w.url !== null && { url: w.url, openUrl: `/workspaces/${encodeURIComponent(w.id)}/open` }),
    ...(w.failure !== null && { failure: w.failure }),
    ...(live?.step !== undefined && { step: live.step }),
    ...(live?.stopReason !== undefined && { stopReason: live.stopReason }),
    ...(live?.instance !== undefined && { instance: live.instance }),
    createdAt: new Date(w.createdAt).toISOString(),
  };
}

const ACTIONS: readonly WorkspaceAction[] = ['stop', 'restart', 'delete'];

export function workspaceApiRoutes(api: Hono<AppEnv>, deps: Deps): void {
  api.get('/workspaces', async (c) => {
    c.header('cache-control', 'no-store');
    const list = await listOwnerWorkspaces(c.env.DB, c.get('owner'));
    return c.json({ workspaces: list.map((w) => workspaceJson(w)) });
  });

  for (const action of ['stop', 'restart'] as const) {
    api.post(`/workspaces/:id/${action}`, async (c) => {
      const d = deps(c);
      const owned = await ownedWorkspace(c.req.param('id'), c.get('owner'), d);
      if (!owned.ok) throw owned.error;
      const done = await workspaceAction(owned.value, action, d);
      if (!done.ok) throw done.error;
      return c.json(workspaceJson(done.value.record, done.value.status));
    });
  }
  api.delete('/workspaces/:id', async (c) => {
    const d = deps(c);
    const owned = await ownedWorkspace(c.req.param('id'), c.get('owner'), d);
    if (!owned.ok) throw owned.error;
    const done = await workspaceAction(owned.value, 'delete', d);
    if (!done.ok) throw done.error;
    return c.json(workspaceJson(done.value.record, done.value.status));
  });

  // The start page's live logs: the cluster's stream, passed through for the workspace's owner only.
  api.get('/workspaces/:id/logs', async (c) => {
    const owned = await ownedWorkspace(c.req.param('id'), c.get('owner'), deps(c));
    if (!owned.ok) throw owned.error;
    const { record, cluster } = owned.value;
    const stream = await workspaceLogStream(
      cluster,
      record.clusterWorkspaceId ?? record.id,
      c.req.raw.signal,
    );
    if (stream === undefined)
      throw new LaunchError('cluster-unavailable', {
        title: 'No logs right now',
        detail: `Cluster ${cluster.name} did not give this workspace's logs; the workspace page has them.`,
      });
    return new Response(stream.body, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
  });
}

export function workspacePageRoutes(app: Hono<AppEnv>, deps: Deps, now: () => number): void {
  // Forms that change a workspace: from the launcher's own pages only (the cookie is Lax, and a cross-site form
  // still carries it on a top-level POST; the Origin header says where the form was).
  const sameOrigin = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (origin !== c.get('config').origin || (site !== undefined && site !== 'same-origin'))
      throw new LaunchError('forbidden', {
        title: 'Refused: this form came from another site',
        detail: 'Workspaces are stopped, restarted and deleted from your workspaces page only.',
        wayOut: { label: 'Your workspaces', href: '/workspaces' },
      });
    await next();
  };

  app.get('/workspaces', async (c) => {
    c.header('cache-control', 'no-store');
    const workspaces = await listOwnerWorkspaces(c.env.DB, c.get('owner'));
    const notice = c.req.query('done');
    return c.html(
      renderPage(
        WorkspacesPage({
          brand: c.get('config').brand,
          workspaces,
          now: now(),
          ...(notice !== undefined && NOTICES[notice] !== undefined && { notice: NOTICES[notice] }),
        }),
      ),
    );
  });

  app.get('/workspaces/:id/open', async (c) => {
    const owned = await ownedWorkspace(c.req.param('id'), c.get('owner'), deps(c));
    if (!owned.ok) throw owned.error;
    const url = openUrl(owned.value, now());
    c.header('cache-control', 'no-store');
    if (url === undefined)
      throw new LaunchError('conflict', {
        title: 'Not ready to open yet',
        detail: 'Its cluster has not confirmed this workspace yet. Give it a moment, then open it again.',
        wayOut: { label: 'Your workspaces', href: '/workspaces' },
      });
    return c.redirect(url, 302);
  });

  for (const action of ACTIONS) {
    app.post(`/workspaces/:id/${action}`, sameOrigin, async (c) => {
      const d = deps(c);
      const owned = await ownedWorkspace(c.req.param('id') ?? '', c.get('owner'), d);
      if (!owned.ok) throw owned.error;
      const done = await workspaceAction(owned.value, action, d);
      if (!done.ok) throw done.error;
      // A restarted workspace is followed on its own page, which goes on to the editor once it is up.
      if (action === 'restart')
        return c.redirect(`/workspaces/${encodeURIComponent(owned.value.record.id)}/open`, 303);
      return c.redirect(`/workspaces?done=${action}`, 303);
    });
  }

  app.get('/workspaces/:id/git-access', async (c) => {
    const gate = await gitAccessGate(c, deps);
    return c.html(renderPage(GitAccessPage({ brand: c.get('config').brand, ...gate })));
  });
  app.post('/workspaces/:id/git-access', sameOrigin, async (c) => {
    const gate = await gitAccessGate(c, deps);
    const form = await c.req.parseBody();
    if (form.csrf !== gate.csrf)
      throw new LaunchError('forbidden', {
        title: 'This form has expired',
        detail: 'Open the page again and choose once more.',
        wayOut: { label: 'Back', href: c.req.path },
      });
    await setGitAccess(c.env.DB, gate.record.id, form.allow === '1', now());
    return c.redirect(c.req.path, 303);
  });
}

const NOTICES: Readonly<Record<string, string>> = {
  stop: 'The workspace is stopping. Its files stay until you delete it.',
  delete: 'The workspace and its files are deleted.',
};

/** The owner's own signed-in workspace, its host and the session's form token; an error page otherwise. */
async function gitAccessGate(c: Context<AppEnv>, deps: Deps) {
  const owned = await ownedWorkspace(c.req.param('id') ?? '', c.get('owner'), deps(c));
  if (!owned.ok) throw owned.error;
  const { record } = owned.value;
  const host = ((JSON.parse(record.contextJson) as { host?: string }).host ?? '').toLowerCase();
  const auth = await authOf(c.env);
  const session = auth === undefined ? undefined : await requestSession(c, auth, Date.now());
  if (auth === undefined || session === undefined || record.sessionHash === null)
    throw new LaunchError('sign-in-required', {
      title: 'Sign in to push from a workspace',
      detail: `Git in a workspace pushes with your own ${host} access, which the launcher has only when you started the workspace signed in. Sign in, then start the workspace again.`,
      wayOut: { label: `Sign in with ${host}`, href: signInPath(host, c.req.path) },
    });
  const token = await readHostToken(c.env.DB, auth, record.sessionHash, host);
  return { record, host, login: token?.login, csrf: session.csrf };
}
