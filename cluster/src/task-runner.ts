// Runs a workspace's `.gitpod.yml` `before`/`init` steps inside its sandbox, each to its end with `sh -c` in the
// checkout, the output appended (capped) to the cluster's `logs/<n>-<task name>.log`; each `command` runs in the
// agent's terminals (editor/workspace-processes.ts). Never runs a task outside the sandbox, never passes the
// cluster's own environment (a task sees the image's plus what the task and the start request set), and never
// hands a task the log file itself.

import { join } from 'node:path';
import type { StartWorkspaceRequest } from '../../shared/cluster-contract.ts';
import type { Task } from '../../shared/gitpod-config.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { openCappedLog } from './capped-log.ts';
import { describeExit } from './child-processes.ts';
import type { Sandbox } from './sandbox/sandbox.ts';

export type TaskStep = 'before' | 'init' | 'prebuild';

export type StepFailure =
  | { readonly kind: 'failed'; readonly message: string }
  /** Stopped on purpose (workspace stop, cluster shutdown): not the task's fault. */
  | { readonly kind: 'aborted' };

export interface TaskContext {
  readonly sandbox: Sandbox;
  readonly request: StartWorkspaceRequest;
  /** The checkout inside the sandbox (`/workspace/app`). */
  readonly repoDir: string;
  /** The cluster's log folder on the host. */
  readonly logsDir: string;
  /** Bytes a task's log keeps of what the task prints (MAX_LOG_BYTES; smaller in tests). */
  readonly logCapBytes: number;
}

/** `install` → `1-install.log`; names are reduced to characters every file system takes. */
export function taskLogName(index: number, task: Task): string {
  const slug = (task.name ?? 'task')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60);
  return `${index + 1}-${slug === '' ? 'task' : slug}.log`;
}

/** `"install" (task 1)` — how messages name a task. */
export const taskLabel = (index: number, task: Task) =>
  task.name !== undefined ? `"${task.name}" (task ${index + 1})` : `task ${index + 1}`;

/**
 * What a task's shell gets on top of the image's environment (PATH, HOME). The start request's variables win: they
 * are the user's choice now.
 */
export function taskEnvironment(context: TaskContext, task: Task): Record<string, string> {
  const { request, repoDir } = context;
  return {
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    // The names Gitpod's tasks read, so existing `.gitpod.yml` scripts find the checkout.
    GITPOD_REPO_ROOT: repoDir,
    GITPOD_WORKSPACE_ID: request.id,
    LAUNCHPOD_REPO_ROOT: repoDir,
    LAUNCHPOD_WORKSPACE_ID: request.id,
    ...task.env,
    ...Object.fromEntries(request.env.map((v) => [v.name, v.value])),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs one step of one task to its end; answers how long it took. */
export async function runTaskStep(
  context: TaskContext,
  index: number,
  task: Task,
  step: TaskStep,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
): Promise<Result<{ readonly ms: number }, StepFailure>> {
  const script = task[step];
  if (script === undefined || script.trim() === '') return ok({ ms: 0 });
  const log = openCappedLog(join(context.logsDir, taskLogName(index, task)), context.logCapBytes);
  const started = performance.now();
  try {
    log.line(`── ${step} ──`);
    const { end } = await context.sandbox.run(['sh', '-c', script], {
      cwd: context.repoDir,
      env: taskEnvironment(context, task),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onOutput: (chunk) => log.output(chunk),
    });
    const ms = performance.now() - started;
    if (end.kind === 'exited' && end.code === 0) {
      log.line(`── ${step} finished in ${seconds(ms)} ──`);
      return ok({ ms });
    }
    if (end.kind === 'aborted') {
      log.line(`── ${step} stopped ──`);
      return err({ kind: 'aborted' });
    }
    const label = taskLabel(index, task);
    if (end.kind === 'timed-out') {
      log.line(`── ${step} timed out after ${seconds(options.timeoutMs)} ──`);
      return err({
        kind: 'failed',
        message: `Task ${label} ${step} did not finish within ${seconds(options.timeoutMs)} and was stopped. Make it faster, or ask the cluster's operator to raise --task-timeout.`,
      });
    }
    const why =
      end.kind === 'spawn-failed' ? `could not start (${end.message})` : `failed with ${describeExit(end)}`;
    log.line(`── ${step} ${why} ──`);
    return err({
      kind: 'failed',
      message: `Task ${label} ${step} ${why}. Its log on the workspace page shows the output; fix the task in ${context.request.configFile ?? '.gitpod.yml'} and start again.`,
    });
  } finally {
    log.close();
  }
}
