// The reference workspace cluster as a Hono app: the contract's API, the workspace pages, the lifecycle behind
// them and event delivery, over one data directory. Never starts serving on a state file it cannot read.

import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import type { WorkspaceClass } from '../../shared/cluster-contract.ts';
import { apiRoutes } from './api-routes.ts';
import { ProcessGroups } from './child-processes.ts';
import { DEFAULT_EVENT_RETRY, EventOutbox, type RetryPolicy } from './event-delivery.ts';
import { writeAskpassScript } from './git-process.ts';
import { pageRoutes } from './page-routes.ts';
import { WorkspaceLifecycle } from './workspace-lifecycle.ts';

export interface ClusterOptions {
  readonly name: string;
  readonly region: string;
  /** Holds `state.json`, `workspaces/<id>/` and `snapshots/`. */
  readonly dataDir: string;
  /** Bearer secret for the API, and the key events are signed with. */
  readonly secret: string;
  /** Where workspace pages are reached, e.g. `http://127.0.0.1:8788`; the launcher checks URLs against it. */
  readonly publicOrigin: string;
  readonly maxWorkspaces: number;
  /** A git-config file (url.<base>.insteadOf rules) git runs with as GIT_CONFIG_GLOBAL; none by default. */
  readonly gitConfigFile?: string;
  /** Per clone or fetch. Default 10 minutes. */
  readonly cloneTimeoutMs?: number;
  /** Per `before`/`init` step of each task. Default 30 minutes. */
  readonly taskTimeoutMs?: number;
  /** Used for events and credential redemption; tests pass a fake launcher. */
  readonly fetch?: typeof fetch;
  readonly eventRetry?: RetryPolicy;
  readonly maxScore?: number;
  readonly classes?: readonly WorkspaceClass[];
  /** How often the log stream looks for new output. Default 500 ms. */
  readonly logPollMs?: number;
  readonly now?: () => number;
  /** Operational messages (dropped events, failed saves); silent by default. */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface Cluster {
  readonly app: Hono;
  /** Stops event delivery, kills every child process and ends log streams; state stays for the next start. */
  close(): Promise<void>;
}

/** A state file or data directory the cluster cannot use; the message says what to do. */
export class ClusterStartError extends Error {
  override readonly name = 'ClusterStartError';
}

export function createCluster(options: ClusterOptions): Cluster {
  const dataDir = resolve(options.dataDir);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const doFetch = options.fetch ?? fetch;
  if (!Number.isInteger(options.maxWorkspaces) || options.maxWorkspaces < 1)
    throw new ClusterStartError('maxWorkspaces must be a whole number of at least 1.');
  try {
    mkdirSync(join(dataDir, 'workspaces'), { recursive: true });
  } catch (cause) {
    throw new ClusterStartError(`Cannot create the data directory ${dataDir}: ${(cause as Error).message}`);
  }

  const askpassPath = join(dataDir, 'git-askpass.sh');
  writeAskpassScript(askpassPath);
  const processes = new ProcessGroups();
  const outbox = new EventOutbox({
    clusterName: options.name,
    secret: options.secret,
    fetch: doFetch,
    retry: options.eventRetry ?? DEFAULT_EVENT_RETRY,
    nowSeconds: () => Math.floor(now() / 1000),
    log,
  });
  const home = process.env.HOME ?? homedir();
  const path = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const loaded = WorkspaceLifecycle.load({
    clusterName: options.name,
    secret: options.secret,
    dataDir,
    publicOrigin: options.publicOrigin.replace(/\/+$/, ''),
    maxWorkspaces: options.maxWorkspaces,
    cloneTimeoutMs: options.cloneTimeoutMs ?? 10 * 60_000,
    taskTimeoutMs: options.taskTimeoutMs ?? 30 * 60_000,
    git: {
      ...(options.gitConfigFile !== undefined && { configFile: resolve(options.gitConfigFile) }),
      askpassPath,
      home,
      path,
    },
    home,
    path,
    processes,
    outbox,
    fetch: doFetch,
    now,
    log,
  });
  if (!loaded.ok) {
    outbox.close();
    throw new ClusterStartError(loaded.error);
  }
  const lifecycle = loaded.value;
  lifecycle.recover();

  const closing = new AbortController();
  const app = new Hono();
  app.route(
    '/',
    apiRoutes({
      name: options.name,
      region: options.region,
      secret: options.secret,
      maxWorkspaces: options.maxWorkspaces,
      maxScore: options.maxScore ?? 100,
      classes: options.classes ?? [{ id: 'standard', displayName: 'Standard', description: 'This machine' }],
      lifecycle,
    }),
  );
  app.route(
    '/',
    pageRoutes({
      clusterName: options.name,
      lifecycle,
      logPollMs: options.logPollMs ?? 500,
      closing: closing.signal,
    }),
  );
  app.notFound((c) =>
    c.req.path.startsWith('/v1/')
      ? c.json({ message: `${c.req.method} ${c.req.path} is not part of the cluster contract.` }, 404)
      : c.text('Not found. Workspace pages live at /workspaces/<id>.', 404),
  );
  app.onError((error, c) => {
    log({ level: 'error', message: `${c.req.method} ${c.req.path}: ${error.message}` });
    return c.json(
      { message: 'The cluster hit an internal error; try again, and tell its operator if it persists.' },
      500,
    );
  });

  let closed: Promise<void> | undefined;
  return {
    app,
    close() {
      closed ??= (async () => {
        closing.abort();
        outbox.close();
        await lifecycle.close();
      })();
      return closed;
    },
  };
}
