// Routes for launches that go to another backend: the JSON API (`POST /api/v1/backend-starts`) and the start page's
// form (`POST /backends/start`), both thin over backend-launch.ts. A form start answers a 303 to the workspace URL
// the backend gave, only after it was checked against that backend's registered origins.

import type { Context, Hono } from 'hono';
import type { LaunchOptions } from '../../../shared/launch-url.ts';
import { readOptions } from '../../../shared/launch-url.ts';
import type { AppEnv } from '../app-env.ts';
import { LaunchError } from '../errors.ts';
import type { LaunchDeps } from '../launch.ts';
import { type BackendLaunch, planBackendLaunch, startOnBackend } from './backend-launch.ts';

/** The plan as the API shows it. */
export function backendPlanJson(launch: BackendLaunch) {
  const { configText: _omitted, ...context } = launch.context.resolved;
  return {
    context,
    contextKey: launch.context.contextKey,
    backend: { name: launch.backend.name, why: launch.why, ...launch.plan },
    alternatives: launch.alternatives,
  };
}

async function plannedOrRefused(
  input: string,
  options: LaunchOptions,
  deps: LaunchDeps,
): Promise<BackendLaunch> {
  const planned = await planBackendLaunch(input, options, deps);
  if (!planned.ok) throw planned.error;
  if (planned.value === undefined)
    throw new LaunchError('bad-request', {
      title: 'This opens on the launcher’s own clusters',
      detail: 'No other backend is chosen for this repository: start it with POST /api/v1/workspaces.',
      wayOut: { label: 'Open it', href: `/start?url=${encodeURIComponent(input)}` },
    });
  return planned.value;
}

const userToken = (launch: BackendLaunch) =>
  launch.context.credentials.kind === 'user' ? launch.context.credentials.token : undefined;

export function backendApiRoutes(
  api: Hono<AppEnv>,
  deps: (c: Context<AppEnv>) => LaunchDeps,
  body: (request: Request) => Promise<{ url: string; options: LaunchOptions }>,
): void {
  api.post('/backend-starts', async (c) => {
    const { url, options } = await body(c.req.raw);
    const launch = await plannedOrRefused(url, options, deps(c));
    const started = await startOnBackend(launch, userToken(launch));
    if (!started.ok) throw started.error;
    return c.json({ backend: launch.backend.name, ...started.value }, started.value.reused ? 200 : 201);
  });
}

export function backendPageRoutes(app: Hono<AppEnv>, deps: (c: Context<AppEnv>) => LaunchDeps): void {
  app.post('/backends/start', async (c) => {
    // Only the launcher's own start page may start a workspace with the user's access.
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (origin !== c.get('config').origin || (site !== undefined && site !== 'same-origin'))
      throw new LaunchError('forbidden', {
        title: 'Refused: this form came from another site',
        detail: 'Workspaces on other backends are started from the launcher’s start page only.',
        wayOut: { label: 'Back to the start', href: '/' },
      });
    const form = await c.req.parseBody();
    const url = typeof form.url === 'string' ? form.url : '';
    const backend = typeof form.backend === 'string' ? form.backend : '';
    const { options } = readOptions(`backend=${encodeURIComponent(backend)}`);
    const launch = await plannedOrRefused(url, options, deps(c));
    const started = await startOnBackend(launch, userToken(launch));
    if (!started.ok) throw started.error;
    return c.redirect(started.value.url, 303);
  });
}
