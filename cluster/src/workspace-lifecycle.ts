// Workspaces from start request to stop: the cap on concurrent ones, phases (pending → creating → initializing →
// running → stopping → stopped, or failed), image, content, the sandbox every task runs in, prebuild snapshots,
// events and restart recovery. Never moves a phase backwards, never reports a half-made workspace as running, and
// never runs a repository's code anywhere but in the workspace's sandbox.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
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
import type { BackgroundProcess, ProcessGroups } from './child-processes.ts';
import { redeemCloneCredential } from './clone-credential.ts';
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
import { type UidSlots, uidRange } from './sandbox/uid-ranges.ts';
import { removeSnapshotLeftovers, storeSnapshot } from './snapshots.ts';
import {
  runTaskStep,
  type StepFailure,
  startTaskCommand,
  type TaskContext,
  type TaskStep,
} from './task-runner.ts';
import { FETCH_MOUNT, makeContent, type SandboxGit, workspaceFolder } from './workspace-content.ts';
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
  /** Aborted by a stop: ends whatever creation step is running. */
  readonly abort: AbortController;
  readonly commands: BackgroundProcess[];
  readonly listeners: Set<Listener>;
  /** The creation in flight, so a stop can wait for it to notice. */
  creation?: Promise<void>;
}

const isTerminal = (phase: WorkspacePhase) => TERMINAL_PHASES.includes(phase);
const canMove = canMovePhase;

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
        commands: [],
        listeners: new Set(),
      });
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

  /** A running workspace after a restart: a new sandbox over its files, its commands started again. */
  async #resume(entry: Entry): Promise<void> {
    const image = await this.#image(entry);
    if (!image.ok) return this.#update(entry, { phase: 'failed', failure: image.error });
    const sandbox = await this.#sandbox(entry, image.value);
    if (!sandbox.ok) return this.#update(entry, { phase: 'failed', failure: sandbox.error });
    entry.sandbox = sandbox.value;
    this.#startCommands(entry, 'the cluster restarted; command started again');
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

  /** Workspaces that hold capacity: every one not yet stopped or failed. */
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
        url: `${this.#options.publicOrigin}/workspaces/${encodeURIComponent(request.id)}`,
        updatedAt: new Date(this.#options.now()).toISOString(),
      },
      sequence: 0,
      abort: new AbortController(),
      commands: [],
      listeners: new Set(),
    };
    this.#entries.set(request.id, entry);
    this.#announce(entry);
    const accepted = entry.status;
    entry.creation = this.#create(entry).catch((cause: unknown) => {
      this.#options.log({ level: 'error', message: `workspace ${request.id}: ${String(cause)}` });
      this.#update(entry, {
        phase: 'failed',
        failure: 'The cluster hit an internal error while creating this workspace; start it again.',
      });
    });
    return ok({ status: accepted, created: true });
  }

  /** Stops a workspace (idempotent); undefined for an unknown id. */
  stop(id: string): WorkspaceStatus | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (isTerminal(entry.status.phase) || entry.status.phase === 'stopping') return entry.status;
    this.#update(entry, { phase: 'stopping' });
    entry.abort.abort();
    void (async () => {
      await entry.creation;
      await Promise.all(entry.commands.splice(0).map((c) => c.stop()));
      await this.#endSandbox(entry);
      this.#update(entry, { phase: 'stopped' });
    })();
    return entry.status;
  }

  async #endSandbox(entry: Entry): Promise<void> {
    const sandbox = entry.sandbox;
    entry.sandbox = undefined;
    await sandbox?.destroy();
  }

  /** Stops delivering changes and kills every process; phases stay as they are for `recover` to read. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const entry of this.#entries.values()) entry.abort.abort();
    await Promise.all([...this.#entries.values()].map((e) => e.creation));
    await Promise.all([...this.#entries.values()].map((e) => this.#endSandbox(e)));
    await this.#options.processes.killAll();
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
    return { sandbox, request: entry.request, repoDir: paths.repoInside, logsDir: paths.logs };
  }

  async #image(entry: Entry): Promise<Result<ResolvedImage, string>> {
    const { runtime, images, clusterName } = this.#options;
    const image = await resolveImage(
      entry.request.image,
      runtime.kind,
      images,
      runtime.imageChecks,
      clusterName,
    );
    return image.ok ? image : err(image.error.message);
  }

  /** The workspace's own sandbox over its folder, with outbound network. */
  #sandbox(entry: Entry, image: ResolvedImage): Promise<Result<Sandbox, string>> {
    const range = uidRange(entry.slot);
    return this.#options.runtime.create({
      id: entry.request.id,
      image,
      workspaceDir: this.#paths(entry).workspace,
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
      ...(fetchRepo !== undefined && { readOnlyMounts: { [FETCH_MOUNT]: fetchRepo } }),
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

  async #create(entry: Entry): Promise<void> {
    const { request } = entry;
    const options = this.#options;
    const signal = entry.abort.signal;
    const paths = this.#paths(entry);
    await this.#recovered;
    mkdirSync(paths.dir, { recursive: true, mode: 0o711 });
    mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
    this.#update(entry, { phase: 'creating' });

    // The image first: a workspace whose image cannot be had fails at once, saying which and why.
    const image = await this.#image(entry);
    if (!image.ok) return this.#endCreation(entry, { kind: 'failed', message: image.error });

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
    const content = await makeContent({
      processes: options.processes,
      git: options.git,
      dataDir: options.dataDir,
      workspaceDir: paths.dir,
      repoDir: paths.repo,
      sandboxGit: (fetchRepo) => this.#gitSandbox(entry, fetchRepo),
      handOver: (folder) => this.#handOver(entry, folder),
      request,
      cloneTimeoutMs: options.cloneTimeoutMs,
      signal,
      credential,
      transcript: (text) => appendTo(gitLog, text),
    });
    if (!content.ok) return this.#endCreation(entry, content.error);
    const contentMs = Math.round(performance.now() - contentStarted);
    const skipInit = content.value.initDone;
    this.#update(entry, {
      phase: 'initializing',
      startedFrom: content.value.startedFrom,
      ...(content.value.fallbackReason !== undefined && { fallbackReason: content.value.fallbackReason }),
      timings: { contentMs, ...(skipInit && { initSkipped: true }) },
    });

    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    const sandboxStarted = performance.now();
    const sandbox = await this.#sandbox(entry, image.value);
    if (!sandbox.ok) return this.#endCreation(entry, { kind: 'failed', message: sandbox.error });
    entry.sandbox = sandbox.value;
    const sandboxMs = Math.round(performance.now() - sandboxStarted);
    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    const tasks = this.#taskContext(entry, sandbox.value);
    // A prebuild also runs the deprecated `prebuild` step, which Gitpod treats as init during prebuilds only.
    const steps: TaskStep[] =
      request.type === 'prebuild' ? ['before', 'init', 'prebuild'] : ['before', 'init'];
    let initMs = 0;
    for (const [index, task] of request.tasks.entries()) {
      for (const step of steps) {
        if (step !== 'before' && skipInit) continue;
        const ran = await runTaskStep(tasks, index, task, step, { timeoutMs: options.taskTimeoutMs, signal });
        if (!ran.ok) return this.#endCreation(entry, ran.error);
        if (step !== 'before') initMs += ran.value.ms;
      }
    }
    const timings = {
      contentMs,
      sandboxMs,
      ...(skipInit ? { initSkipped: true } : { initMs: Math.round(initMs) }),
    };

    if (request.type === 'prebuild') {
      this.#update(entry, { phase: 'stopping', timings });
      // Every process of the workspace ends before the snapshot is read: nothing can change files under it.
      await this.#endSandbox(entry);
      const prebuildId = request.prebuildId as string;
      const stored = await storeSnapshot(options.processes, options.dataDir, prebuildId, paths.dir, signal);
      if (!stored.ok) {
        if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
        return this.#endCreation(entry, { kind: 'failed', message: stored.error });
      }
      // The snapshot is the prebuild's product; its files are not needed again (its logs stay).
      await rm(paths.workspace, { recursive: true, force: true });
      this.#update(entry, { phase: 'stopped', snapshot: { prebuildId, sha: request.context.sha } });
      return;
    }
    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    this.#startCommands(entry);
    this.#update(entry, { phase: 'running', timings });
  }

  /** A stop (or shutdown) is finished by whoever stopped it; a real failure fails the workspace. */
  async #endCreation(entry: Entry, failure: StepFailure): Promise<void> {
    if (failure.kind === 'aborted') return;
    await this.#endSandbox(entry);
    this.#update(entry, { phase: 'failed', failure: failure.message });
  }

  #startCommands(entry: Entry, note?: string): void {
    const sandbox = entry.sandbox;
    if (sandbox === undefined) return;
    const tasks = this.#taskContext(entry, sandbox);
    for (const [index, task] of entry.request.tasks.entries()) {
      const started = startTaskCommand(tasks, index, task, note);
      if (started !== undefined) entry.commands.push(started);
    }
  }
}

function appendTo(file: string, text: string): void {
  try {
    writeFileSync(file, text, { flag: 'a' });
  } catch {
    // The git transcript is for people; losing it must not fail the clone.
  }
}
