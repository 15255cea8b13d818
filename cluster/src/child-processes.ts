// Runs git, tar and task shells as child processes, each in its own process group, so a timeout, a stop or the
// cluster's shutdown ends the whole tree. Never runs a shell string built by the cluster: commands are argv arrays.

import { type ChildProcess, spawn } from 'node:child_process';

/** How a process ended. `timed-out` and `aborted` mean the cluster killed it, for that reason. */
export type ProcessEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'spawn-failed'; readonly message: string };

export interface RunOptions {
  readonly cwd: string;
  /** The whole environment: nothing is inherited from the cluster's own. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Where the output goes as it comes (a task's log): stdout and stderr joined in one pipe, in the order they were
   * written, and never paused (the command would block). Without it they are captured. Never a file: a workspace's
   * code must not get a descriptor of the host's (`/proc/<pid>/fd/1`), nor write to the disk unchecked.
   */
  readonly onOutput?: (chunk: Buffer) => void;
  /** A long-running command's stdout as it comes (with `start`, when there is no `onOutput`). */
  readonly onStdout?: (text: string) => void;
}

export interface RunResult {
  readonly end: ProcessEnd;
  /** The last 64 KiB of each stream, when not sent to `onOutput`. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface BackgroundProcess {
  readonly ended: Promise<ProcessEnd>;
  /** Ends the process group (SIGTERM, then SIGKILL after a grace period) and waits for the leader to exit. */
  stop(): Promise<void>;
}

const KILL_GRACE_MS = 2000;
const CAPTURE_LIMIT = 64 * 1024;
// Puts stderr onto stdout's pipe, then becomes the command (same pid, so its process group is still the one killed):
// a fixed script, the command and its arguments are arguments, so nothing is ever read as shell. Node has no way to
// give a child one pipe for both, and two pipes would reorder lines printed close together.
const JOIN_STDERR = 'exec "$@" 2>&1';

interface Tracked {
  readonly kill: (reason: 'timed-out' | 'aborted') => void;
  readonly ended: Promise<ProcessEnd>;
}

/** Every child the cluster started and has not seen exit, so shutdown can end them all. */
export class ProcessGroups {
  readonly #live = new Set<Tracked>();

  /** Runs a command to its end; resolves (never rejects) with how it ended and what it printed. */
  async run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    let stdout = '';
    let stderr = '';
    const started = this.#spawn(command, args, options, (stream, text) => {
      if (stream === 'stdout') stdout = (stdout + text).slice(-CAPTURE_LIMIT);
      else stderr = (stderr + text).slice(-CAPTURE_LIMIT);
    });
    const end = await started.ended;
    return { end, stdout, stderr };
  }

  /** Starts a long-running command (the agent, the editor); its output goes to `onOutput` or `onStdout`. */
  start(command: string, args: readonly string[], options: RunOptions): BackgroundProcess {
    const tracked = this.#spawn(command, args, options, (stream, text) => {
      if (stream === 'stdout') options.onStdout?.(text);
    });
    return {
      ended: tracked.ended,
      async stop() {
        tracked.kill('aborted');
        await tracked.ended;
      },
    };
  }

  /** Ends every live process group and waits for them; used when the cluster shuts down. */
  async killAll(): Promise<void> {
    const all = [...this.#live];
    for (const tracked of all) tracked.kill('aborted');
    await Promise.all(all.map((t) => t.ended));
  }

  #spawn(
    command: string,
    args: readonly string[],
    options: RunOptions,
    onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Tracked {
    if (options.signal?.aborted) {
      return { kill: () => {}, ended: Promise.resolve({ kind: 'aborted' }) };
    }
    let child: ChildProcess;
    const joined = options.onOutput;
    try {
      // `detached` puts the child in a new process group: killing `-pid` then reaches whatever `sh -c` started.
      child =
        joined === undefined
          ? spawn(command, args, {
              cwd: options.cwd,
              env: options.env,
              detached: true,
              stdio: ['ignore', 'pipe', 'pipe'],
            })
          : spawn('/bin/sh', ['-c', JOIN_STDERR, 'sh', command, ...args], {
              cwd: options.cwd,
              env: options.env,
              detached: true,
              stdio: ['ignore', 'pipe', 'ignore'],
            });
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      return { kill: () => {}, ended: Promise.resolve({ kind: 'spawn-failed', message }) };
    }
    if (joined !== undefined) {
      // Flowing, never paused: a log past its cap drops what comes, and the command runs on to its end.
      child.stdout?.on('data', (chunk: Buffer) => joined(chunk));
    } else {
      child.stdout?.setEncoding('utf8').on('data', (text: string) => onOutput('stdout', text));
      child.stderr?.setEncoding('utf8').on('data', (text: string) => onOutput('stderr', text));
    }

    let killedFor: 'timed-out' | 'aborted' | undefined;
    let exited = false;
    const kill = (reason: 'timed-out' | 'aborted') => {
      if (exited || killedFor !== undefined) return;
      killedFor = reason;
      signalGroup(child, 'SIGTERM');
      // The group, not just the leader: a task may have left background children behind.
      setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer =
      options.timeoutMs !== undefined ? setTimeout(() => kill('timed-out'), options.timeoutMs) : undefined;
    const onAbort = () => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let tracked: Tracked | undefined;
    const ended = new Promise<ProcessEnd>((resolve) => {
      let settled = false;
      const settle = (end: ProcessEnd) => {
        if (settled) return;
        settled = true;
        exited = true;
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (tracked !== undefined) this.#live.delete(tracked);
        resolve(end);
      };
      child.once('error', (error) => settle({ kind: 'spawn-failed', message: error.message }));
      child.once('close', (code, signal) =>
        settle(killedFor !== undefined ? { kind: killedFor } : { kind: 'exited', code, signal }),
      );
    });
    tracked = { kill, ended };
    this.#live.add(tracked);
    return tracked;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}

/** "exit code 3" / "signal SIGKILL", for messages a person reads. */
export function describeExit(end: ProcessEnd & { kind: 'exited' }): string {
  return end.code !== null ? `exit code ${end.code}` : `signal ${end.signal ?? 'unknown'}`;
}
