// The reference workspace cluster as a Hono app: the contract's API, the workspace pages, the lifecycle behind
// them and event delivery, over one data directory. Never starts serving on a state file it cannot read, and never
// without a sandbox runtime and an image to run workspaces in.

import { chmodSync, mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import type { WorkspaceClass } from '../../shared/cluster-contract.ts';
import { apiRoutes } from './api-routes.ts';
import { MAX_LOG_BYTES } from './capped-log.ts';
import type { RunResult } from './child-processes.ts';
import { ProcessGroups } from './child-processes.ts';
import { dataDiskFree, folderUsage } from './disk-watch.ts';
import { installAgentCode } from './editor/agent-files.ts';
import { editorCacheDir, readEditor } from './editor/editor-install.ts';
import { WorkspaceAuth } from './editor/workspace-auth.ts';
import { createClusterServer } from './editor/workspace-host.ts';
import { DEFAULT_EVENT_RETRY, EventOutbox, type RetryPolicy } from './event-delivery.ts';
import { writeAskpassScript } from './git-process.ts';
import { pageRoutes } from './page-routes.ts';
import { bubblewrapRuntime } from './sandbox/bubblewrap.ts';
import { chooseRuntime, type RuntimePreference } from './sandbox/host-tools.ts';
import { type ImageChecks, imageCacheDir, readDefaultImage } from './sandbox/images.ts';
import { podmanRuntime } from './sandbox/podman.ts';
import { DEFAULT_LIMITS, type SandboxLimits, type WorkspaceRuntime } from './sandbox/sandbox.ts';
import { clusterTag } from './sandbox/sandbox-names.ts';
import { UidSlots } from './sandbox/uid-ranges.ts';
import { DEFAULT_WORKSPACE_DISK_BYTES } from './workspace-disk.ts';
import { WorkspaceLifecycle } from './workspace-lifecycle.ts';

export interface ClusterOptions {
  readonly name: string;
  readonly region: string;
  /** Holds `state.json`, `workspaces/<id>/` and `snapshots/`. */
  readonly dataDir: string;
  /** Bearer secret for the API, and the key events are signed with. */
  readonly secret: string;
  /** Where workspace pages are reached, e.g. `http://localhost:8788`: each workspace gets `<id>.localhost:8788` (a host name, not an IP). */
  readonly publicOrigin: string;
  readonly maxWorkspaces: number;
  /** A git-config file (url.<base>.insteadOf rules) git runs with as GIT_CONFIG_GLOBAL; none by default. */
  readonly gitConfigFile?: string;
  /** Per clone or fetch. Default 10 minutes. */
  readonly cloneTimeoutMs?: number;
  /** Per `before`/`init` step of each task. Default 30 minutes. */
  readonly taskTimeoutMs?: number;
  /** The sandbox every workspace runs in: podman, bubblewrap, or `auto` (podman when installed). Default auto. */
  readonly runtime?: RuntimePreference;
  /** Where `npm run cluster:image` left the default image's manifest. Default `~/.cache/launchpod/images`. */
  readonly imageCacheDir?: string;
  /** Image name → local image (podman) or root filesystem folder (bubblewrap). */
  readonly imageMap?: Readonly<Record<string, string>>;
  /** Whether podman may pull an image it does not have. Default `missing` (it may). */
  readonly imagePull?: 'missing' | 'never';
  /** Per-workspace memory, process and CPU limits. */
  readonly limits?: Partial<SandboxLimits>;
  /** Private networks (CIDRs) workspaces may reach; the host itself never. */
  readonly allowNetworks?: readonly string[];
  /** Where `npm run cluster:editor` left code-server. Default `/var/cache/launchpod/editor` for root. */
  readonly editorCacheDir?: string;
  /**
   * Whether running workspaces get VS Code (code-server). Default true; only tests that never open an editor turn
   * it off (their tasks' terminals still run, in the agent).
   */
  readonly startEditor?: boolean;
  /** Bytes each log file keeps of what a workspace prints. Default MAX_LOG_BYTES (16 MiB); tests pass less. */
  readonly logCapBytes?: number;
  /** A running workspace without activity this long is stopped. Default 30 minutes. */
  readonly idleTimeoutMs?: number;
  /** How often idle workspaces are looked for. Default 30 s (at most the idle timeout). */
  readonly idleCheckMs?: number;
  /**
   * Free space the data disk keeps (disk-watch.ts): under it no workspace starts, and the ones whose files keep
   * growing are stopped. Default 2 GiB.
   */
  readonly diskFloorBytes?: number;
  /**
   * Each new workspace's own disk (workspace-disk.ts), in bytes: a sparse ext4 image mounted at its folder, so a
   * workspace fills its own disk and never the host's. Default 20 GiB; 0 for none.
   */
  readonly workspaceDiskBytes?: number;
  /** How often the data disk's free space is looked at. Default 2 s. */
  readonly diskCheckMs?: number;
  /** The data disk's free bytes; tests pass their own. Default: statfs of the data folder. */
  readonly diskFree?: () => number | undefined;
  /** Where clusters on this machine claim host uid ranges. Default /var/lib/launchpod/uid-slots. */
  readonly uidSlotRegistry?: string;
  /** Whether the cluster runs as root (tests pass it; default: process.getuid() === 0). */
  readonly isRoot?: boolean;
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
  /** The contract's API and the cluster origin's pages (tests call it directly). */
  readonly app: Hono;
  /**
   * The HTTP server to listen with: workspace and port origins (the owner's editor, pages and ports) and the app
   * for the cluster's own origin.
   */
  createServer(): Server;
  /** Runs a command in a running workspace's sandbox as its user (operators' debugging, tests). */
  exec(id: string, argv: readonly string[]): Promise<RunResult | undefined>;
  /** Which sandbox runs the workspaces, and what it isolates. */
  readonly runtime: { readonly kind: WorkspaceRuntime['kind']; readonly isolation: string };
  /** Settles once workspaces left running by an earlier start have their sandboxes again. */
  readonly ready: Promise<void>;
  /** Stops event delivery, kills every child process and ends log streams; state stays for the next start. */
  close(): Promise<void>;
}

/** A state file or data directory the cluster cannot use; the message says what to do. */
export class ClusterStartError extends Error {
  override readonly name = 'ClusterStartError';
}

/** The first folder on the way to `dir` that users other than its owner may not enter, if any. */
function closedAncestor(dir: string): string | undefined {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const path = `/${parts.slice(0, i).join('/')}`;
    if ((statSync(path).mode & 0o001) === 0) return path;
  }
  return undefined;
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
    // Entered (not listed) by each workspace's own uid on its way to its folder; everything else stays the cluster's.
    chmodSync(dataDir, 0o711);
    chmodSync(join(dataDir, 'workspaces'), 0o711);
    mkdirSync(join(dataDir, 'snapshots'), { recursive: true, mode: 0o700 });
    chmodSync(join(dataDir, 'snapshots'), 0o700);
  } catch (cause) {
    throw new ClusterStartError(`Cannot create the data directory ${dataDir}: ${(cause as Error).message}`);
  }
  const shut = closedAncestor(dataDir);
  if (shut !== undefined) {
    throw new ClusterStartError(
      `Workspaces cannot reach their folders under ${dataDir}: ${shut} may not be entered by other users (each workspace runs as its own user id). Choose a --data folder outside it (such as /var/lib/launchpod), or allow entering it with chmod o+x ${shut}.`,
    );
  }

  const chosen = chooseRuntime(options.runtime ?? 'auto', {
    isRoot: options.isRoot ?? process.getuid?.() === 0,
  });
  if (!chosen.ok) throw new ClusterStartError(chosen.error);
  const defaultImage = readDefaultImage(options.imageCacheDir ?? imageCacheDir());
  if (!defaultImage.ok) throw new ClusterStartError(defaultImage.error);
  const editor = readEditor(options.editorCacheDir ?? editorCacheDir());
  if (!editor.ok) throw new ClusterStartError(editor.error);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;

  const askpassPath = join(dataDir, 'git-askpass.sh');
  writeAskpassScript(askpassPath);
  const processes = new ProcessGroups();
  const runtimeSetup = {
    stateDir: dataDir,
    tag: clusterTag(dataDir),
    processes,
    allowNetworks: options.allowNetworks ?? [],
  };
  const runtime: WorkspaceRuntime & { imageChecks: ImageChecks } =
    chosen.value === 'podman'
      ? podmanRuntime(runtimeSetup)
      : {
          ...bubblewrapRuntime(runtimeSetup),
          // bubblewrap runs root filesystem folders only; it never asks podman.
          imageChecks: {
            podmanHas: async () => false,
            podmanPull: async () => ({ ok: false, error: 'no podman' }),
          },
        };
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
    runtime,
    images: {
      defaultImage: defaultImage.value,
      mappings: options.imageMap ?? {},
      pull: options.imagePull ?? 'missing',
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    slots: new UidSlots(options.uidSlotRegistry),
    editor: editor.value,
    agentCode: installAgentCode(dataDir),
    startEditor: options.startEditor ?? true,
    logCapBytes: options.logCapBytes ?? MAX_LOG_BYTES,
    idleTimeoutMs,
    idleCheckMs: Math.min(options.idleCheckMs ?? 30_000, idleTimeoutMs),
    workspaceDiskBytes: options.workspaceDiskBytes ?? DEFAULT_WORKSPACE_DISK_BYTES,
    disk: {
      floorBytes: options.diskFloorBytes ?? 2 * 1024 ** 3,
      checkMs: options.diskCheckMs ?? 2000,
      free: options.diskFree ?? dataDiskFree(dataDir),
      usage: folderUsage,
    },
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
  const recovered = lifecycle.recover().catch((cause: unknown) => {
    log({ level: 'error', message: `recovery after restart failed: ${String(cause)}` });
  });

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
      logPollMs: options.logPollMs ?? 500,
      closing: closing.signal,
    }),
  );
  app.route('/', pageRoutes({ clusterName: options.name, lifecycle }));
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
  const auth = new WorkspaceAuth({ secret: options.secret, nowSeconds: () => Math.floor(now() / 1000) });
  return {
    app,
    createServer: () =>
      createClusterServer({
        clusterName: options.name,
        publicOrigin: options.publicOrigin.replace(/\/+$/, ''),
        lifecycle,
        auth,
        app,
        logPollMs: options.logPollMs ?? 500,
        closing: closing.signal,
        startEditor: options.startEditor ?? true,
      }),
    exec: (id, argv) => lifecycle.exec(id, argv),
    runtime: { kind: runtime.kind, isolation: runtime.isolation },
    ready: recovered,
    close() {
      closed ??= (async () => {
        closing.abort();
        await recovered;
        await lifecycle.close();
        outbox.close();
      })();
      return closed;
    },
  };
}
