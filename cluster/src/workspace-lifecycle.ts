// Workspaces from start request to stop: the cap on concurrent ones, phases (pending → creating → initializing →
// running → stopping → stopped, or failed), content, tasks, prebuild snapshots, events and restart recovery.
// Never moves a phase backwards, and never reports a half-made workspace as running.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
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
import type { GitSetup } from './git-process.ts';
import { removeSnapshotLeftovers, storeSnapshot } from './snapshots.ts';
import {
  runTaskStep,
  type StepFailure,
  startTaskCommand,
  type TaskContext,
  type TaskStep,
} from './task-runner.ts';
import { makeContent } from './workspace-content.ts';
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
  /** HOME and PATH for tasks. */
  readonly home: string;
  readonly path: string;
  readonly processes: ProcessGroups;
  readonly outbox: EventOutbox;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly log: (entry: Record<string, unknown>) => void;
}

export interface WorkspacePaths {
  readonly dir: string;
  readonly repo: string;
  readonly logs: string;
}

export function workspacePaths(dataDir: string, id: string): WorkspacePaths {
  const dir = join(dataDir, 'workspaces', id);
  return { dir, repo: join(dir, 'repo'), logs: join(dir, 'logs') };
}

export type StartRefusal = { readonly kind: 'at-capacity'; readonly message: string };

type Listener = (status: WorkspaceStatus) => void;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry {
  readonly request: StartWorkspaceRequest;
  status: WorkspaceStatus;
  sequence: number;
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

  constructor(options: LifecycleOptions, stored: readonly StoredWorkspace[]) {
    this.#options = options;
    this.#stateFile = join(options.dataDir, 'state.json');
    for (const { request, status, sequence } of stored) {
      this.#entries.set(request.id, {
        request,
        status,
        sequence,
        abort: new AbortController(),
        commands: [],
        listeners: new Set(),
      });
    }
  }

  /** Reads `<data>/state.json`; a message with a way out when it cannot be used. */
  static load(options: LifecycleOptions): Result<WorkspaceLifecycle, string> {
    mkdirSync(join(options.dataDir, 'workspaces'), { recursive: true });
    const stored = loadWorkspaces(join(options.dataDir, 'state.json'));
    return stored.ok ? ok(new WorkspaceLifecycle(options, stored.value)) : stored;
  }

  /**
   * After a restart: running workspaces keep running (their commands start again); anything caught part-way
   * through creation or a prebuild's snapshot is failed, since its content cannot be trusted.
   */
  recover(): void {
    removeSnapshotLeftovers(this.#options.dataDir);
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
        const paths = this.paths(entry.request.id);
        if (!existsSync(paths.repo)) {
          this.#update(entry, {
            phase: 'failed',
            failure: "The workspace's files were removed while the cluster was down; start it again.",
          });
        } else {
          this.#startCommands(entry, 'the cluster restarted; command started again');
        }
      }
    }
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

  paths(id: string): WorkspacePaths {
    return workspacePaths(this.#options.dataDir, id);
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
    const entry: Entry = {
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
      this.#update(entry, { phase: 'stopped' });
    })();
    return entry.status;
  }

  /** Stops delivering changes and kills every process; phases stay as they are for `recover` to read. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const entry of this.#entries.values()) entry.abort.abort();
    await this.#options.processes.killAll();
    await Promise.all([...this.#entries.values()].map((e) => e.creation));
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
      [...this.#entries.values()].map(({ request, status, sequence }) => ({ request, status, sequence })),
    );
    if (!saved.ok) this.#options.log({ level: 'error', message: saved.error });
  }

  #taskContext(entry: Entry): TaskContext {
    const paths = this.paths(entry.request.id);
    return {
      processes: this.#options.processes,
      request: entry.request,
      repoDir: paths.repo,
      logsDir: paths.logs,
      home: this.#options.home,
      path: this.#options.path,
    };
  }

  async #create(entry: Entry): Promise<void> {
    const { request } = entry;
    const options = this.#options;
    const signal = entry.abort.signal;
    const paths = this.paths(request.id);
    mkdirSync(paths.logs, { recursive: true });
    this.#update(entry, { phase: 'creating' });

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

    const tasks = this.#taskContext(entry);
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
    const timings = { contentMs, ...(skipInit ? { initSkipped: true } : { initMs: Math.round(initMs) }) };

    if (request.type === 'prebuild') {
      this.#update(entry, { phase: 'stopping', timings });
      const prebuildId = request.prebuildId as string;
      const stored = await storeSnapshot(options.processes, options.dataDir, prebuildId, paths.dir, signal);
      if (!stored.ok) {
        if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
        return this.#endCreation(entry, { kind: 'failed', message: stored.error });
      }
      // The snapshot is the prebuild's product; its checkout is not needed again (its logs stay).
      await rm(paths.repo, { recursive: true, force: true });
      this.#update(entry, { phase: 'stopped', snapshot: { prebuildId, sha: request.context.sha } });
      return;
    }
    if (signal.aborted) return this.#endCreation(entry, { kind: 'aborted' });
    this.#startCommands(entry);
    this.#update(entry, { phase: 'running', timings });
  }

  /** A stop (or shutdown) is finished by whoever stopped it; a real failure fails the workspace. */
  #endCreation(entry: Entry, failure: StepFailure): void {
    if (failure.kind === 'aborted') return;
    this.#update(entry, { phase: 'failed', failure: failure.message });
  }

  #startCommands(entry: Entry, note?: string): void {
    const tasks = this.#taskContext(entry);
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
