// Workspaces from start request to delete: the cap on running ones, phases (pending → creating → initializing →
// running → stopping → stopped, or failed; a stopped workspace restarts as a new instance, or is deleted), image,
// content, the sandbox every task runs in, the editor (from the sandbox's start) and the agent, prebuild snapshots,
// idle timeouts, events and restart recovery. Never moves a phase backwards within an instance, never reports a
// half-made workspace as running, and never runs a repository's code anywhere but in the workspace's sandbox.

import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join } from 'node:path';
import {
  type CloneCredential,
  canMovePhase,
  type StartWorkspaceRequest,
  TERMINAL_PHASES,
  type WorkspacePhase,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { workspaceUrl } from '../../shared/workspace-access.ts';
import type { ProcessGroups, RunResult } from './child-processes.ts';
import { redeemCloneCredential } from './clone-credential.ts';
import { diskState, growing, roughSize } from './disk-watch.ts';
import {
  agentConfig,
  agentMounts,
  agentPaths,
  copyInitLogs,
  writeAgentFolder,
} from './editor/agent-files.ts';
import type { EditorInstall } from './editor/editor-install.ts';
import { askLauncher, serveGitCredentials } from './editor/git-credentials.ts';
import { type RunningProcesses, startAgent, startEditor } from './editor/workspace-processes.ts';
import type { EventOutbox } from './event-delivery.ts';
import { type GitFailure, type GitSetup, readGitResult } from './git-process.ts';
import { runHostCommand } from './sandbox/host-command.ts';
import type { ImageChecks } from './sandbox/images.ts';
import { type ImageSettings, type ResolvedImage, resolveImage } from './sandbox/images.ts';
import {
  type Sandbox,
  type SandboxLimits,
  WORKSPACE_MOUNT,
  type WorkspaceRuntime,
} from './sandbox/sandbox.ts';
import { endUidRange, type UidSlots, uidRange } from './sandbox/uid-ranges.ts';
import { removeSnapshotLeftovers, storeSnapshot } from './snapshots.ts';
import {
  runTaskStep,
  type StepFailure,
  type TaskContext,
  type TaskStep,
  taskEnvironment,
  taskLogName,
} from './task-runner.ts';
import { FETCH_MOUNT, makeContent, type SandboxGit, workspaceFolder } from './workspace-content.ts';
import {
  diskImage,
  makeWorkspaceDisk,
  mountWorkspaceDisk,
  mountWorkspaceDiskNow,
  unmountWorkspaceDisk,
} from './workspace-disk.ts';
import { loadWorkspaces, type StoredWorkspace, saveWorkspaces } from './workspace-store.ts';

export interface LifecycleOptions {
  readonly clusterName: string;
  readonly secret: string;
  readonly dataDir: string;
  readonly publicOrigin: string;
  readonly maxWorkspaces: number;
  readonly cloneTimeoutMs: number;
  readonly taskTimeoutMs: number;
  readonly git: GitSetup;
  readonly runtime: WorkspaceRuntime & { readonly imageChecks: ImageChecks };
  readonly images: ImageSettings;
  readonly limits: SandboxLimits;
  /** Host uid ranges, claimed machine-wide. */
  readonly slots: UidSlots;
  /** code-server and the Node 24 the agent runs on, mounted into every running workspace. */
  readonly editor: EditorInstall;
  /** `<data>/agent-code`: the agent, the editor's start script and the Launchpod extension. */
  readonly agentCode: string;
  /** Whether running workspaces get code-server (tests that never open an editor may do without). */
  readonly startEditor: boolean;
  /** Bytes each log file keeps of what a workspace prints (capped-log.ts). */
  readonly logCapBytes: number;
  /** A running workspace with no activity for this long is stopped. */
  readonly idleTimeoutMs: number;
  /** How often idle workspaces are looked for. */
  readonly idleCheckMs: number;
  /** Each new workspace's own disk, in bytes (workspace-disk.ts); 0: none, its files on the data disk. */
  readonly workspaceDiskBytes: number;
  /** The data disk's floor (disk-watch.ts): under it no workspace starts, and growing ones are stopped. */
  readonly disk: {
    readonly floorBytes: number;
    readonly checkMs: number;
    readonly free: () => number | undefined;
    readonly usage: (dir: string) => Promise<number | undefined>;
  };
  readonly processes: ProcessGroups;
  readonly outbox: EventOutbox;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly log: (entry: Record<string, unknown>) => void;
}

export interface WorkspacePaths {
  /** `<data>/workspaces/<id>`: the cluster's folder for the workspace. */
  readonly dir: string;
  /** `<dir>/workspace`: mounted at `/workspace` in the sandbox, owned by the workspace's host uid. */
  readonly workspace: string;
  /** The checkout on the host, `<dir>/workspace/<name>`. */
  readonly repo: string;
  /** The checkout inside the sandbox, `/workspace/<name>`. */
  readonly repoInside: string;
  /** Task logs: the cluster's, never mounted in the sandbox. */
  readonly logs: string;
}

/** The checkout's folder name: the repository's name, reduced to characters every file system takes. */
export function checkoutName(request: StartWorkspaceRequest): string {
  const name = request.context.repo.name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100);
  return name === '' ? 'repo' : name;
}

export function workspacePaths(dataDir: string, request: StartWorkspaceRequest): WorkspacePaths {
  const dir = join(dataDir, 'workspaces', request.id);
  const name = checkoutName(request);
  const workspace = workspaceFolder(dir);
  return {
    dir,
    workspace,
    repo: join(workspace, name),
    repoInside: `${WORKSPACE_MOUNT}/${name}`,
    logs: join(dir, 'logs'),
  };
}

export type StartRefusal = { readonly kind: 'at-capacity'; readonly message: string };

/** Why a restart or delete cannot happen now, for a person. */
export type LifecycleRefusal =
  | { readonly kind: 'unknown'; readonly message: string }
  | { readonly kind: 'at-capacity'; readonly message: string }
  | { readonly kind: 'conflict'; readonly message: string };

type Listener = (status: WorkspaceStatus) => void;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry {
  readonly request: StartWorkspaceRequest;
  status: WorkspaceStatus;
  sequence: number;
  /** Its host uid range (sandbox/uid-ranges.ts). */
  readonly slot: number;
  /** Where its tasks run, while it has one. */
  sandbox?: Sandbox;
  /** Its sandbox in the making, started while git brings a prebuild's snapshot to the context (see `#bringUp`). */
  pendingSandbox?: Promise<Result<Sandbox, string>>;
  /** Aborted by a stop: ends whatever creation step is running. A restart gets a new one. */
  abort: AbortController;
  /** The editor from its sandbox's start (beside `before` and `init`), the agent once running. */
  running?: RunningProcesses;
  /** The git credential socket while running. */
  gitSocket?: Server;
  /** The environment its agent and editor got (and so its terminals), from the editor's start. */
  processEnv?: Readonly<Record<string, string>>;
  readonly listeners: Set<Listener>;
  /** The creation in flight, so a stop can wait for it to notice. */
  creation?: Promise<void>;
  /** Its owner's last use (ms), told by the workspace proxy. */
  lastActivity: number;
  /** The owner's connections open through the workspace proxy now (the editor's WebSocket, a port's). */
  ownerConnections: number;
  /** When the last of those closed (ms); the activity file's times after it are not the owner's. */
  ownerLeftAt: number;
}

const isTerminal = (phase: WorkspacePhase) => TERMINAL_PHASES.includes(phase);
const canMove = canMovePhase;

/** How long a runtime may take to end a sandbox before every process of the workspace's uids is killed. */
const SANDBOX_STOP_GRACE_MS = 15_000;

const RESTARTED_DURING_CREATION =
  'The cluster restarted while this workspace was being created; start it again.';

export class WorkspaceLifecycle {
  readonly #options: LifecycleOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #stateFile: string;
  #closing = false;
  /** Settles when sandboxes an earlier run left are swept: no sandbox is made before. */
  #recovered: Promise<void> = Promise.resolve();

  constructor(options: LifecycleOptions, stored: readonly StoredWorkspace[]) {
    this.#options = options;
    this.#stateFile = join(options.dataDir, 'state.json');
    for (const { request, status, sequence, slot } of stored) {
      this.#entries.set(request.id, {
        request,
        status,
        sequence,
        slot,
        abort: new AbortController(),
        listeners: new Set(),
        lastActivity: options.now(),
        ownerConnections: 0,
        ownerLeftAt: 0,
      });
    }
    this.#idleTimer = setInterval(() => this.#stopIdle(), options.idleCheckMs);
    this.#idleTimer.unref();
    this.#diskTimer = setInterval(() => void this.#watchDisk(), options.disk.checkMs);
    this.#diskTimer.unref();
  }

  #idleTimer: ReturnType<typeof setInterval>;
  #diskTimer: ReturnType<typeof setInterval>;
  /** Each live workspace's folder size when the disk first came under twice its floor (this time). */
  #folderBaseline = new Map<string, number>();
  #diskLook: Promise<void> | undefined;

  /** Stored workspaces' own disks, mounted at their folders before anything reads those. */
  #mountDisks(): void {
    for (const entry of this.#entries.values()) {
      if (entry.status.phase === 'deleted') continue;
      const mounted = mountWorkspaceDiskNow(
        diskImage(this.#options.dataDir, entry.request.id),
        this.#paths(entry).dir,
      );
      if (!mounted.ok) this.#update(entry, { phase: 'failed', failure: mounted.error });
    }
  }

  /**
   * Takes back the uid ranges of stored workspaces whose files still exist; a range another cluster took while
   * this one was down fails its workspace (its files' owner is no longer its own).
   */
  #keepSlots(): void {
    for (const entry of this.#entries.values()) {
      const dir = this.#paths(entry).dir;
      if (!existsSync(dir)) continue;
      if (!this.#options.slots.keep(entry.slot, dir))
        this.#update(entry, {
          phase: 'failed',
          failure:
            "Another cluster on this machine took this workspace's user ids while this one was down; start it again.",
        });
    }
  }

  /** Reads `<data>/state.json`; a message with a way out when it cannot be used. */
  static load(options: LifecycleOptions): Result<WorkspaceLifecycle, string> {
    mkdirSync(join(options.dataDir, 'workspaces'), { recursive: true });
    const stored = loadWorkspaces(join(options.dataDir, 'state.json'));
    if (!stored.ok) return stored;
    const lifecycle = new WorkspaceLifecycle(options, stored.value);
    lifecycle.#mountDisks();
    lifecycle.#keepSlots();
    return ok(lifecycle);
  }

  /**
   * After a restart: running workspaces keep running (a new sandbox, their commands start again); anything caught
   * part-way through creation or a prebuild's snapshot is failed, since its content cannot be trusted. Sandboxes
   * a crash left behind are removed first.
   */
  async recover(): Promise<void> {
    // Classified before anything is awaited: workspaces started meanwhile are not the earlier run's.
    const resume: Entry[] = [];
    for (const entry of this.#entries.values()) {
      const { phase } = entry.status;
      if (phase === 'pending' || phase === 'creating' || phase === 'initializing') {
        this.#update(entry, { phase: 'failed', failure: RESTARTED_DURING_CREATION });
      } else if (phase === 'stopping') {
        if (entry.request.type === 'prebuild') {
          this.#update(entry, {
            phase: 'failed',
            failure:
              'The cluster restarted while the prebuild snapshot was being stored; run the prebuild again.',
          });
        } else {
          this.#update(entry, { phase: 'stopped' });
        }
      } else if (phase === 'running') {
        if (!existsSync(this.#paths(entry).repo)) {
          this.#update(entry, {
            phase: 'failed',
            failure: "The workspace's files were removed while the cluster was down; start it again.",
          });
        } else {
          resume.push(entry);
        }
      }
    }
    this.#recovered = (async () => {
      removeSnapshotLeftovers(this.#options.dataDir);
      await this.#options.runtime.sweep();
      await Promise.all(resume.map((entry) => this.#resume(entry)));
    })();
    await this.#recovered;
  }

  /** A running workspace after a restart: a new sandbox over its files, its agent and editor started again. */
  async #resume(entry: Entry): Promise<void> {
    const image = await this.#image(entry);
    if (!image.ok) return this.#update(entry, { phase: 'failed', failure: image.error });
    const sandbox = await this.#sandbox(entry, image.value);
    if (!sandbox.ok) return this.#update(entry, { phase: 'failed', failure: sandbox.error });
    entry.sandbox = sandbox.value;
    entry.lastActivity = this.#options.now();
    this.#startProcesses(entry, sandbox.value, 'the cluster restarted; command started again');
  }

  list(): WorkspaceStatus[] {
    return [...this.#entries.values()].map((e) => e.status);
  }

  get(id: string): WorkspaceStatus | undefined {
    return this.#entries.get(id)?.status;
  }

  request(id: string): StartWorkspaceRequest | undefined {
    return this.#entries.get(id)?.request;
  }

  /** Undefined for an unknown id. */
  paths(id: string): WorkspacePaths | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : workspacePaths(this.#options.dataDir, entry.request);
  }

  #paths(entry: Entry): WorkspacePaths {
    return workspacePaths(this.#options.dataDir, entry.request);
  }

  /** Workspaces that hold capacity: every one running or on its way (stopped, failed and deleted ones do not). */
  activeCount(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (!isTerminal(entry.status.phase)) count++;
    return count;
  }

  /** Status changes of one workspace, for the live page; answers the unsubscribe. */
  subscribe(id: string, listener: Listener): () => void {
    const entry = this.#entries.get(id);
    entry?.listeners.add(listener);
    return () => entry?.listeners.delete(listener);
  }

  /** Accepts a start (answering the existing workspace for a known id) or refuses it when the cluster is full. */
  start(request: StartWorkspaceRequest): Result<{ status: WorkspaceStatus; created: boolean }, StartRefusal> {
    const existing = this.#entries.get(request.id);
    if (existing !== undefined) return ok({ status: existing.status, created: false });
    const { maxWorkspaces, clusterName } = this.#options;
    if (this.activeCount() >= maxWorkspaces) {
      return err({
        kind: 'at-capacity',
        message: `Cluster ${clusterName} is running its limit of ${maxWorkspaces} workspaces; try another cluster, or stop a workspace here first.`,
      });
    }
    const diskFull = this.#diskFull();
    if (diskFull !== undefined) return err(diskFull);
    // The folder first: a slot's claim names it, and a claim whose folder is missing counts as free.
    const dir = workspacePaths(this.#options.dataDir, request).dir;
    mkdirSync(dir, { recursive: true, mode: 0o711 });
    const slot = this.#options.slots.claim(dir);
    if (slot === undefined) {
      return err({
        kind: 'at-capacity',
        message: `Cluster ${clusterName} holds the files of as many workspaces as it can give separate user ids; its operator must remove old ones.`,
      });
    }
    const entry: Entry = {
      slot,
      request,
      status: {
        id: request.id,
        phase: 'pending',
        url: workspaceUrl(this.#options.publicOrigin, request.id),
        instance: 1,
        step: 'Waiting to start',
        updatedAt: new Date(this.#options.now()).toISOString(),
      },
      sequence: 0,
      abort: new AbortController(),
      listeners: new Set(),
      lastActivity: this.#options.now(),
      ownerConnections: 0,
      ownerLeftAt: 0,
    };
    this.#entries.set(request.id, entry);
    this.#announce(entry);
    const accepted = entry.status;
    entry.creation = this.#bringUp(entry, 'new').catch((cause: unknown) => this.#internalError(entry, cause));
    return ok({ status: accepted, created: true });
  }

  /** Stops a workspace (idempotent); undefined for an unknown id. `reason`: why, when not its owner's choice. */
  stop(id: string, reason?: string): WorkspaceStatus | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (isTerminal(entry.status.phase) || entry.status.phase === 'stopping') return entry.status;
    this.#update(entry, {
      phase: 'stopping',
      step: 'Stopping',
      ...(reason !== undefined && { stopReason: reason }),
    });
    entry.abort.abort();
    entry.creation = (async () => {
      await entry.creation;
      await this.#endSandbox(entry);
      this.#update(entry, { phase: 'stopped', step: undefined });
    })();
    return entry.status;
  }

  /**
   * Starts a stopped or failed workspace again over its files as a new instance: a new sandbox, `before` and the
   * commands (init already ran). Answers the status of the new instance, or why it cannot.
   */
  restart(id: string): Result<WorkspaceStatus, LifecycleRefusal> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return err({ kind: 'unknown', message: `No workspace ${id} on this cluster.` });
    const { phase } = entry.status;
    if (!isTerminal(phase) || phase === 'stopping') return ok(entry.status);
    if (phase === 'deleted' || entry.request.type === 'prebuild')
      return err({
        kind: 'conflict',
        message: 'This workspace was deleted; start a new one from its context.',
      });
    if (!existsSync(this.#paths(entry).repo))
      return err({
        kind: 'conflict',
        message: "This workspace's files are gone; start a new one from its context.",
      });
    if (this.activeCount() >= this.#options.maxWorkspaces)
      return err({
        kind: 'at-capacity',
        message: `Cluster ${this.#options.clusterName} is running its limit of ${this.#options.maxWorkspaces} workspaces; stop one first, or try again later.`,
      });
    const diskFull = this.#diskFull();
    if (diskFull !== undefined) return err(diskFull);
    entry.abort = new AbortController();
    entry.lastActivity = this.#options.now();
    const previous = entry.creation;
    this.#update(entry, {
      phase: 'pending',
      instance: (entry.status.instance ?? 1) + 1,
      step: 'Waiting to start',
      failure: undefined,
      stopReason: undefined,
      fallbackReason: undefined,
      timings: undefined,
    });
    entry.creation = (async () => {
      await previous;
      await this.#bringUp(entry, 'restart');
    })().catch((cause: unknown) => this.#internalError(entry, cause));
    return ok(entry.status);
  }

  /** Stops it if needed, removes its files and gives its uid range back; answers `deleted`. */
  async remove(id: string): Promise<Result<WorkspaceStatus, LifecycleRefusal>> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return err({ kind: 'unknown', message: `No workspace ${id} on this cluster.` });
    if (entry.status.phase === 'deleted') return ok(entry.status);
    // A running workspace the cluster is still bringing back after its restart would write its folder again.
    await this.#recovered;
    this.stop(id, entry.status.stopReason);
    await entry.creation;
    const dir = this.#paths(entry).dir;
    await unmountWorkspaceDisk(dir);
    await rm(diskImage(this.#options.dataDir, id), { force: true });
    await rm(dir, { recursive: true, force: true });
    this.#options.slots.release(entry.slot, dir);
    this.#update(entry, { phase: 'deleted', step: undefined });
    return ok(entry.status);
  }

  /**
   * Runs a command in a running workspace's sandbox as its user, with the environment its terminals have (an
   * operator's `podman exec`, and the tests'); undefined when it is not running.
   */
  async exec(id: string, argv: readonly string[]): Promise<RunResult | undefined> {
    const entry = this.#entries.get(id);
    if (entry?.sandbox === undefined || entry.processEnv === undefined || entry.status.phase !== 'running')
      return undefined;
    return entry.sandbox.run(argv, {
      cwd: this.#paths(entry).repoInside,
      env: entry.processEnv,
      timeoutMs: 60_000,
    });
  }

  /** Its owner used it now (the workspace proxy calls this for every request it lets through). */
  touch(id: string): void {
    const entry = this.#entries.get(id);
    if (entry !== undefined) entry.lastActivity = this.#options.now();
  }

  /**
   * The owner opened a connection through the proxy (the editor's WebSocket, a port's); the answer is called when
   * it closes. While one is open, the editor's and terminals' activity file speaks for the owner.
   */
  ownerConnected(id: string): () => void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return () => {};
    entry.ownerConnections++;
    entry.lastActivity = this.#options.now();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      entry.ownerConnections--;
      entry.ownerLeftAt = entry.lastActivity = this.#options.now();
    };
  }

  /**
   * The owner's last use: the proxy's record, or the editor's and terminals' activity file, whichever is later. The
   * file is in a folder the workspace writes, so its time counts only while the owner is connected (up to when
   * they left): a repository touching it on a loop must not keep its workspace, and a cluster slot, forever.
   */
  lastActivity(id: string): number | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    let fromFile = 0;
    try {
      // lstat: the workspace owns this folder; a symlink there must not make the cluster look elsewhere.
      const stat = lstatSync(join(agentPaths(this.#paths(entry).dir).run, 'activity'));
      if (stat.isFile()) fromFile = stat.mtimeMs;
    } catch {
      fromFile = 0;
    }
    // A file time in the future is the workspace's claim, not the clock's.
    const ownerUntil = entry.ownerConnections > 0 ? this.#options.now() : entry.ownerLeftAt;
    return Math.max(entry.lastActivity, Math.min(fromFile, ownerUntil));
  }

  #stopIdle(): void {
    const now = this.#options.now();
    const limit = this.#options.idleTimeoutMs;
    for (const entry of this.#entries.values()) {
      if (entry.status.phase !== 'running' || entry.request.type !== 'regular') continue;
      const last = this.lastActivity(entry.request.id) ?? now;
      if (now - last >= limit)
        this.stop(
          entry.request.id,
          `Stopped after ${describeDuration(limit)} without activity; restart it to go on.`,
        );
    }
  }

  /** A refusal while the data disk is under its floor. */
  #diskFull(): { kind: 'at-capacity'; message: string } | undefined {
    const free = this.#options.disk.free();
    if (diskState(free, this.#options.disk.floorBytes) !== 'low') return undefined;
    return {
      kind: 'at-capacity',
      message: `Cluster ${this.#options.clusterName}'s disk is nearly full (${roughSize(free ?? 0)} free); try another cluster, or ask its operator to free space.`,
    };
  }

  /** One look at the data disk (disk-watch.ts); a look still measuring is not overtaken. */
  #watchDisk(): Promise<void> {
    this.#diskLook ??= this.#lookAtDisk().finally(() => {
      this.#diskLook = undefined;
    });
    return this.#diskLook;
  }

  async #lookAtDisk(): Promise<void> {
    const { floorBytes, free, usage } = this.#options.disk;
    if (diskState(free(), floorBytes) === 'plenty') {
      this.#folderBaseline.clear();
      return;
    }
    const sizes = new Map<string, number>();
    for (const entry of this.#entries.values()) {
      if (isTerminal(entry.status.phase) || entry.status.phase === 'stopping') continue;
      const bytes = await usage(this.#paths(entry).dir);
      if (bytes === undefined) continue;
      sizes.set(entry.request.id, bytes);
      if (!this.#folderBaseline.has(entry.request.id)) this.#folderBaseline.set(entry.request.id, bytes);
    }
    const left = free();
    if (this.#closing || diskState(left, floorBytes) !== 'low') return;
    for (const id of growing(this.#folderBaseline, sizes)) {
      this.#options.log({
        level: 'warn',
        message: `workspace ${id}: stopped, the data disk is under its floor`,
      });
      this.stop(
        id,
        `Stopped: the cluster's disk was nearly full (${roughSize(left ?? 0)} free) while this workspace's files kept growing (${roughSize(sizes.get(id) ?? 0)}). Restart it and delete what you do not need.`,
      );
    }
  }

  #internalError(entry: Entry, cause: unknown): void {
    this.#options.log({ level: 'error', message: `workspace ${entry.request.id}: ${String(cause)}` });
    this.#update(entry, {
      phase: 'failed',
      failure: 'The cluster hit an internal error while starting this workspace; start it again.',
    });
  }

  /** A sandbox made early that will not be used: removed (it may still be in the making). */
  async #discardPendingSandbox(entry: Entry): Promise<void> {
    const pending = entry.pendingSandbox;
    entry.pendingSandbox = undefined;
    const made = await pending;
    if (made?.ok) await made.value.destroy();
  }

  async #endSandbox(entry: Entry): Promise<void> {
    await this.#discardPendingSandbox(entry);
    const { sandbox, running, gitSocket } = entry;
    entry.sandbox = undefined;
    entry.running = undefined;
    entry.processEnv = undefined;
    entry.gitSocket = undefined;
    gitSocket?.close();
    await this.#destroySandbox(
      entry,
      (async () => {
        await Promise.all([running?.agent?.stop(), running?.editor?.stop()]);
        await sandbox?.destroy();
      })(),
    );
    await rm(agentPaths(this.#paths(entry).dir).cluster, { recursive: true, force: true });
  }

  /**
   * The agent, the editor and then the sandbox end (gracefully, within their own grace periods); then nothing may
   * still run under the workspace's uids, whatever they missed. A stop that waits on a process of the workspace
   * (a process's end is seen once every holder of its output pipe is gone — a bubblewrap sandbox is in a session of
   * its own, out of its starter's group) is freed by that too: the sweep starts after SANDBOX_STOP_GRACE_MS at the
   * latest.
   */
  async #destroySandbox(entry: Entry, destroyed: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      destroyed,
      new Promise((resolve) => (timer = setTimeout(resolve, SANDBOX_STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    const { base } = uidRange(entry.slot);
    const ended = await endUidRange(base);
    await destroyed;
    if (!ended || !(await endUidRange(base)))
      this.#options.log({
        level: 'error',
        message: `workspace ${entry.request.id}: processes of its uids ${base}… outlived every SIGKILL`,
      });
  }

  /** Stops delivering changes and kills every process; phases stay as they are for `recover` to read. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#idleTimer);
    clearInterval(this.#diskTimer);
    await this.#diskLook;
    for (const entry of this.#entries.values()) entry.abort.abort();
    await Promise.all([...this.#entries.values()].map((e) => e.creation));
    await Promise.all([...this.#entries.values()].map((e) => this.#endSandbox(e)));
    await this.#options.processes.killAll();
    // Their disks come off with the cluster; the next start mounts them again (#mountDisks).
    for (const entry of this.#entries.values()) await unmountWorkspaceDisk(this.#paths(entry).dir);
  }

  #update(entry: Entry, patch: Partial<Mutable<WorkspaceStatus>>): void {
    if (this.#closing) return;
    const from = entry.status.phase;
    const to = patch.phase ?? from;
    if (!canMove(from, to)) return;
    entry.status = { ...entry.status, ...patch, updatedAt: new Date(this.#options.now()).toISOString() };
    if (to !== from) this.#announce(entry);
    else this.#persist();
  }

  /** A new phase: persisted with the next sequence, sent to the launcher and to open workspace pages. */
  #announce(entry: Entry): void {
    entry.sequence += 1;
    this.#persist();
    this.#options.outbox.enqueue(entry.request.eventsUrl, {
      cluster: this.#options.clusterName,
      workspace: entry.status,
      sequence: entry.sequence,
    });
    for (const listener of entry.listeners) listener(entry.status);
  }

  #persist(): void {
    const saved = saveWorkspaces(
      this.#stateFile,
      [...this.#entries.values()].map(({ request, status, sequence, slot }) => ({
        request,
        status,
        sequence,
        slot,
      })),
    );
    if (!saved.ok) this.#options.log({ level: 'error', message: saved.error });
  }

  #taskContext(entry: Entry, sandbox: Sandbox): TaskContext {
    const paths = this.#paths(entry);
    return {
      sandbox,
      request: entry.request,
      repoDir: paths.repoInside,
      logsDir: paths.logs,
      logCapBytes: this.#options.logCapBytes,
    };
  }

  async #image(entry: Entry): Promise<Result<ResolvedImage, string>> {
    const { runtime, images, clusterName } = this.#options;
    const image = await resolveImage(
      entry.request.image,
      runtime.kind,
      images,
      runtime.imageChecks,
      clusterName,
      entry.request.configFile,
    );
    return image.ok ? image : err(image.error.message);
  }

  /**
   * The workspace's own sandbox over its folder, with outbound network, the editor and the agent mounted read-only,
   * and its socket folder (its own) and the cluster's socket folder (the cluster's) beside them.
   */
  async #sandbox(entry: Entry, image: ResolvedImage): Promise<Result<Sandbox, string>> {
    const range = uidRange(entry.slot);
    const dir = this.#paths(entry).dir;
    const agent = agentPaths(dir);
    for (const folder of [agent.agent, agent.cluster]) {
      mkdirSync(folder, { recursive: true, mode: 0o755 });
      await chmod(folder, 0o755);
    }
    mkdirSync(agent.run, { recursive: true, mode: 0o700 });
    const handed = await this.#handOver(entry, agent.run);
    if (!handed.ok) return handed;
    return this.#options.runtime.create({
      id: entry.request.id,
      image,
      workspaceDir: this.#paths(entry).workspace,
      mounts: agentMounts(this.#options.editor, this.#options.agentCode, agent),
      hostUid: range.uid,
      hostUidBase: range.base,
      network: 'outbound',
      limits: this.#options.limits,
    });
  }

  /** A short-lived sandbox of the cluster's default image, without network, for git over workspace content. */
  async #gitSandbox(entry: Entry, fetchRepo: string | undefined): Promise<Result<SandboxGit, string>> {
    const { runtime, images, cloneTimeoutMs } = this.#options;
    const range = uidRange(entry.slot);
    const paths = this.#paths(entry);
    const created = await runtime.create({
      id: `${entry.request.id}.git`,
      image: {
        requested: "the cluster's default image",
        ...(runtime.kind === 'podman'
          ? { podmanRef: images.defaultImage.podmanRef }
          : { rootfsDir: images.defaultImage.rootfsDir }),
      },
      workspaceDir: paths.workspace,
      ...(fetchRepo !== undefined && { mounts: [{ host: fetchRepo, inside: FETCH_MOUNT }] }),
      hostUid: range.uid,
      hostUidBase: range.base,
      network: 'none',
      limits: this.#options.limits,
    });
    if (!created.ok) return created;
    const sandbox = created.value;
    return ok({
      async git(args): Promise<Result<string, GitFailure>> {
        const result = await sandbox.run(['git', ...args], {
          cwd: paths.repoInside,
          env: {
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: '/dev/null',
            GIT_TERMINAL_PROMPT: '0',
            LANG: 'C',
          },
          timeoutMs: cloneTimeoutMs,
          signal: entry.abort.signal,
        });
        return readGitResult(args, result);
      },
      close: () => sandbox.destroy(),
    });
  }

  /**
   * Gives a folder of the workspace (its `workspace/` unless said otherwise) to the workspace's own host uid
   * (`-h`: a symlink is changed, never its target). git inside refuses repositories another uid owns.
   */
  async #handOver(entry: Entry, folder = this.#paths(entry).workspace): Promise<Result<void, string>> {
    const { uid } = uidRange(entry.slot);
    const chowned = await runHostCommand('chown', ['-hR', `${uid}:${uid}`, '--', folder]);
    if (!chowned.ok) return err(`Could not hand the workspace's files over: ${chowned.error}`);
    // Its own uid only: other workspaces' uids (and host users) may not even look in.
    await chmod(folder, 0o700);
    return ok(undefined);
  }

  /**
   * Brings a workspace up: a new one gets its content (clone or snapshot) and runs `before`, `init` (unless a
   * prebuild did) and, for a prebuild, stores a snapshot; a restarted one keeps its files and runs `before` only.
   * The editor starts with the sandbox, beside `before` and `init`; the agent after them; then it is running.
   */
  async #bringUp(entry: Entry, mode: 'new' | 'restart'): Promise<void> {
    const { request } = entry;
    const options = this.#options;
    const signal = entry.abort.signal;
    const paths = this.#paths(entry);
    await this.#recovered;
    mkdirSync(paths.dir, { recursive: true, mode: 0o711 });
    // Its own disk before anything is written in its folder: a new one gets one, an existing one is mounted.
    const diskFile = diskImage(options.dataDir, request.id);
    const disk = existsSync(diskFile)
      ? await mountWorkspaceDisk(diskFile, paths.dir)
      : mode === 'restart'
        ? ok(undefined)
        : await makeWorkspaceDisk(diskFile, paths.dir, options.workspaceDiskBytes);
    if (!disk.ok) return this.#endCreation(entry, { kind: 'failed', message: disk.error });
    mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
    this.#update(entry, { phase: 'creating', step: 'Finding the image' });

    // The image first: a workspace whose image cannot be had fails at once, saying which and why.
    const image = await this.#image(entry);
    if (!image.ok) return this.#endCreation(entry, { kind: 'failed', message: image.error });
    if (mode === 'restart') return this.#runUp(entry, image.value, { skipInit: true, contentMs: 0 });

    let redeemed: Promise<Result<CloneCredential | undefined, string>> | undefined;
    const credential = () => {
      const url = request.credentialUrl;
      // One-time URLs: redeemed on first use and remembered (in memory only) for this workspace's other fetches.
      redeemed ??=
        url === undefined
          ? Promise.resolve(ok(undefined))
          : redeemCloneCredential(url, {
              fetch: options.fetch,
              clusterName: options.clusterName,
              secret: options.secret,
              timeoutMs: 10_000,
              nowSeconds: () => Math.floor(options.now() / 1000),
            });
      return redeemed;
    };
    const gitLog = join(paths.logs, '0-git.log');
    const contentStarted = performance.now();
    const viaPrebuild = request.initializer.kind === 'prebuild-snapshot-with-git-fallback';
    this.#update(entry, {
      step: viaPrebuild ? 'Restoring the prebuild' : `Cloning ${request.context.cloneUrl}`,
    });
    const content = await makeContent({
      processes: options.processes,
      git: options.git,
      dataDir: options.dataDir,
      workspaceDir: paths.dir,
      repoDir: paths.repo,
      sandboxGit: (fetchRepo) => this.#gitSandbox(entry, fetchRepo),
      handOver: (folder) => this.#handOver(entry, folder),
      // The workspace's sandbox is made beside the snapshot's git steps (a podman exec each) rather than after them.
      unpacked: () => {
        entry.pendingSandbox = this.#sandbox(entry, image.value);
      },
      request,
      cloneTimeoutMs: options.cloneTimeoutMs,
      signal,
      credential,
      // The log is the user's to read: it names the checkout as the workspace sees it, not the cluster's folders.
      transcript: (text) =>
        appendTo(
          gitLog,
          text.replaceAll(paths.workspace, WORKSPACE_MOUNT).replaceAll(paths.dir, '(cluster)'),
        ),
    });
    if (!content.ok) return this.#endCreation(entry, content.error);
    // Made over the snapshot's folder, which a clone after it replaced: not this workspace's sandbox.
    if (content.value.startedFrom !== 'prebuild') await this.#discardPendingSandbox(entry);
    const contentMs = Math.round(performance.now() - contentStarted);
    const skipInit = content.value.initDone;
    this.#update(entry, {
      startedFrom: content.value.startedFrom,
      ...(content.value.fallbackReason !== undefined && { fallbackReason: content.value.fallbackReason }),
    });
    return this.#runUp(entry, image.value, { skipInit, contentMs });
  }

  /** The sandbox, `before`/`init`, and then a prebuild's snapshot or a running workspace's agent and editor. */
  async #runUp(
    entry: Entry,
    image: ResolvedImage,
    options: { readonly skipInit: boolean; readonly contentMs: number },
  ): Promise<void> {
    const { request } = entry;
    const { skipInit, contentMs } = options;
    const signal = entry.abort.signal;
    const paths = this.#paths(entry);
    this.#update(entry, {
      phase: 'initializing',
      step: 'Starting the sandbox',
      timings: { contentMs, ...(skipInit && { initSkipped: true }) },
    });

    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    const sandboxStarted = performance.now();
    const pending = entry.pendingSandbox;
    entry.pendingSandbox = undefined;
    const sandbox = await (pending ?? this.#sandbox(entry, image));
    if (!sandbox.ok) return this.#endCreation(entry, { kind: 'failed', message: sandbox.error });
    entry.sandbox = sandbox.value;
    const sandboxMs = Math.round(performance.now() - sandboxStarted);
    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    this.#startEditorEarly(entry, sandbox.value);
    const tasks = this.#taskContext(entry, sandbox.value);
    // A prebuild also runs the deprecated `prebuild` step, which Gitpod treats as init during prebuilds only.
    const steps: TaskStep[] =
      request.type === 'prebuild' ? ['before', 'init', 'prebuild'] : ['before', 'init'];
    let initMs = 0;
    for (const [index, task] of request.tasks.entries()) {
      for (const step of steps) {
        if (step !== 'before' && skipInit) continue;
        if (task[step] === undefined || task[step]?.trim() === '') continue;
        this.#update(entry, {
          step: `Task ${index + 1}${task.name !== undefined ? ` (${task.name})` : ''}: ${step}`,
        });
        const ran = await runTaskStep(tasks, index, task, step, {
          timeoutMs: this.#options.taskTimeoutMs,
          signal,
        });
        if (!ran.ok) return this.#endCreation(entry, ran.error);
        if (step !== 'before') initMs += ran.value.ms;
      }
    }
    const timings = {
      contentMs,
      sandboxMs,
      ...(skipInit ? { initSkipped: true } : { initMs: Math.round(initMs) }),
    };

    const options_ = this.#options;
    if (request.type === 'prebuild') {
      this.#update(entry, { phase: 'stopping', step: 'Storing the snapshot', timings });
      // Every process of the workspace ends before the snapshot is read: nothing can change files under it.
      await this.#endSandbox(entry);
      const prebuildId = request.prebuildId as string;
      const stored = await storeSnapshot(options_.processes, options_.dataDir, prebuildId, paths.dir, signal);
      if (!stored.ok) {
        if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
        return this.#endCreation(entry, { kind: 'failed', message: stored.error });
      }
      // The snapshot is the prebuild's product; its files are not needed again (its logs stay).
      await rm(paths.workspace, { recursive: true, force: true });
      this.#update(entry, {
        phase: 'stopped',
        step: undefined,
        snapshot: { prebuildId, sha: request.context.sha },
      });
      return;
    }
    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    this.#update(entry, { step: this.#options.startEditor ? 'Starting the editor' : 'Starting the tasks' });
    this.#startProcesses(entry, sandbox.value);
    entry.lastActivity = this.#options.now();
    this.#update(entry, {
      phase: 'running',
      step: undefined,
      timings,
      lastActivityAt: new Date(entry.lastActivity).toISOString(),
    });
  }

  /** A stop (or shutdown) is finished by whoever stopped it; a real failure fails the workspace. */
  async #endCreation(entry: Entry, failure: StepFailure): Promise<void> {
    if (failure.kind === 'aborted') return;
    await this.#endSandbox(entry);
    this.#update(entry, { phase: 'failed', failure: failure.message });
  }

  /**
   * The editor as soon as the sandbox is up: code-server starts beside `before` and `init`, as Gitpod starts the IDE
   * beside init, so it answers when the workspace turns running instead of a second later. Nobody reaches it before
   * (the workspace proxy forwards to the editor only while running). Not for prebuilds, which nobody opens.
   */
  #startEditorEarly(entry: Entry, sandbox: Sandbox): void {
    if (!this.#options.startEditor || entry.request.type === 'prebuild') return;
    this.#writeAgentFolder(entry, sandbox);
    entry.running = { editor: startEditor(this.#processOptions(entry, sandbox)) };
  }

  /** The agent's folder (its config, for the agent, the editor and its extension) and the processes' environment. */
  #writeAgentFolder(entry: Entry, sandbox: Sandbox): void {
    const { request } = entry;
    const options = this.#options;
    const paths = this.#paths(entry);
    writeAgentFolder(
      agentPaths(paths.dir),
      agentConfig({
        request,
        instance: entry.status.instance ?? 1,
        folder: paths.repoInside,
        editor: options.editor,
        publicOrigin: options.publicOrigin,
        taskEnv: (task) => ({ ...task.env }),
      }),
    );
    entry.processEnv = {
      ...taskEnvironment(this.#taskContext(entry, sandbox), {}),
      // git inside asks the cluster for the owner's credentials, per request; none are stored in the workspace.
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '/launchpod/agent-code/git-credential-launchpod',
      ...(request.owner.name !== undefined && {
        GIT_AUTHOR_NAME: request.owner.name,
        GIT_COMMITTER_NAME: request.owner.name,
      }),
    };
  }

  #processOptions(entry: Entry, sandbox: Sandbox) {
    const paths = this.#paths(entry);
    return {
      sandbox,
      folder: paths.repoInside,
      logsDir: paths.logs,
      env: entry.processEnv ?? {},
      logCapBytes: this.#options.logCapBytes,
    };
  }

  /**
   * The agent (task terminals), with what `before` and `init` printed atop each terminal; the editor too unless it
   * started beside them; and the git credential socket when the owner signed in.
   */
  #startProcesses(entry: Entry, sandbox: Sandbox, note?: string): void {
    const { request } = entry;
    const options = this.#options;
    const paths = this.#paths(entry);
    const agent = agentPaths(paths.dir);
    // Written with the editor's start beside init; a workspace the cluster brings back after its restart, or one
    // without an editor, gets it now.
    if (entry.running?.editor === undefined) this.#writeAgentFolder(entry, sandbox);
    copyInitLogs(
      agent,
      request.tasks.map((task, index) => join(paths.logs, taskLogName(index, task))),
    );
    const gitCredentialsUrl = request.gitCredentialsUrl;
    if (gitCredentialsUrl !== undefined) {
      entry.gitSocket = serveGitCredentials(
        join(agent.cluster, 'git.sock'),
        uidRange(entry.slot).uid,
        (ask) =>
          askLauncher(ask, {
            workspaceId: request.id,
            clusterName: options.clusterName,
            secret: options.secret,
            url: gitCredentialsUrl,
            fetch: options.fetch,
            nowSeconds: () => Math.floor(options.now() / 1000),
          }),
      );
    }
    const processes = this.#processOptions(entry, sandbox);
    const running: RunningProcesses = entry.running ?? {};
    running.agent = startAgent({ ...processes, request, ...(note !== undefined && { note }) });
    if (options.startEditor && running.editor === undefined) running.editor = startEditor(processes);
    entry.running = running;
  }
}

/** `1800000` → `30 minutes`, `5000` → `5 seconds`. */
function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} second${Math.round(ms / 1000) === 1 ? '' : 's'}`;
}

function appendTo(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'a' });
  } catch {
    // The git transcript is for people; losing it must not fail the clone.
  }
}
