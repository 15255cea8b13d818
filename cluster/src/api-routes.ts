// The contract's `/v1` routes: describe, start, status, stop, list. Each checks the bearer secret in constant
// time, validates input and calls the lifecycle. Never answers anything but JSON, and never a bare 500.

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  CLUSTER_CONTRACT_VERSION,
  type ClusterDescription,
  clusterPaths,
  constantTimeEqual,
  type WorkspaceClass,
  type WorkspaceList,
} from '../../shared/cluster-contract.ts';
import { streamWorkspaceLogs } from './log-stream.ts';
import { parseStartRequest } from './start-request.ts';
import type { WorkspaceLifecycle } from './workspace-lifecycle.ts';

export interface ApiOptions {
  readonly name: string;
  readonly region: string;
  readonly secret: string;
  readonly maxWorkspaces: number;
  readonly maxScore: number;
  readonly classes: readonly WorkspaceClass[];
  readonly lifecycle: WorkspaceLifecycle;
  readonly logPollMs: number;
  readonly closing: AbortSignal;
}

/** Start requests carry tasks and context, a few KiB; anything near this is not one. */
export const MAX_BODY_BYTES = 256 * 1024;

export function apiRoutes(options: ApiOptions): Hono {
  const { lifecycle } = options;
  const api = new Hono();

  api.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (token === '' || !constantTimeEqual(token, options.secret)) {
      return c.json(
        { message: "Missing or wrong cluster secret: send 'Authorization: Bearer <secret>' as registered." },
        401,
        { 'www-authenticate': 'Bearer' },
      );
    }
    await next();
  });
  api.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ message: `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.` }, 413),
    }),
  );

  api.get(clusterPaths.describe, (c) => {
    const free = Math.max(0, 1 - lifecycle.activeCount() / options.maxWorkspaces);
    const description: ClusterDescription = {
      contractVersion: CLUSTER_CONTRACT_VERSION,
      name: options.name,
      region: options.region,
      state: 'available',
      score: Math.round(options.maxScore * free),
      maxScore: options.maxScore,
      classes: options.classes,
    };
    return c.json(description);
  });

  api.post(clusterPaths.workspaces, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ message: 'The body is not JSON: send a StartWorkspaceRequest.' }, 400);
    }
    const request = parseStartRequest(body);
    if (!request.ok) return c.json({ message: request.error }, 400);
    const started = lifecycle.start(request.value);
    if (!started.ok) return c.json({ message: started.error.message }, 503, { 'retry-after': '30' });
    return c.json(started.value.status, started.value.created ? 201 : 200);
  });

  api.get(clusterPaths.workspaces, (c) => {
    const list: WorkspaceList = { workspaces: lifecycle.list() };
    return c.json(list);
  });

  // Literal patterns: clusterPaths.workspace(':id') would percent-encode the colon.
  api.get('/v1/workspaces/:id', (c) => {
    const status = lifecycle.get(c.req.param('id'));
    return status !== undefined ? c.json(status) : notFound(c.req.param('id'));
  });

  api.post('/v1/workspaces/:id/stop', (c) => {
    const status = lifecycle.stop(c.req.param('id'));
    return status !== undefined ? c.json(status) : notFound(c.req.param('id'));
  });

  api.post('/v1/workspaces/:id/restart', (c) => {
    const restarted = lifecycle.restart(c.req.param('id'));
    if (restarted.ok) return c.json(restarted.value);
    const { kind, message } = restarted.error;
    if (kind === 'unknown') return notFound(c.req.param('id'));
    return kind === 'at-capacity'
      ? c.json({ message, reason: 'full' }, 503, { 'retry-after': '30' })
      : c.json({ message }, 409);
  });

  api.delete('/v1/workspaces/:id', async (c) => {
    const removed = await lifecycle.remove(c.req.param('id'));
    if (removed.ok) return c.json(removed.value);
    return notFound(c.req.param('id'));
  });

  // The same live log stream the workspace page reads, for the launcher's start page (through the launcher).
  api.get('/v1/workspaces/:id/logs', (c) => {
    const id = c.req.param('id');
    if (lifecycle.get(id) === undefined) return notFound(id);
    return streamWorkspaceLogs(c, { lifecycle, id, pollMs: options.logPollMs, closing: options.closing });
  });

  const notFound = (id: string) =>
    Response.json(
      { message: `No workspace ${id} on cluster ${options.name}; it may have been started elsewhere.` },
      { status: 404 },
    );
  return api;
}
