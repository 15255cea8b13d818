// Runs a workspace's `.gitpod.yml` tasks inside its sandbox: each `before`/`init` step to its end with `sh -c` in
// the checkout, and each `command` in the background, all output appended to the cluster's
// `logs/<n>-<task name>.log`. Never runs a task outside the sandbox, and never passes the cluster's own
// environment: a task sees the image's plus what the task and the start request set.

import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StartWorkspaceRequest } from '../../shared/cluster-contract.ts';
import type { Task } from '../../shared/gitpod-config.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { type BackgroundProcess, describeExit } from './child-processes.ts';
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

function appendLine(fd: number, text: string): void {
  try {
    writeSync(fd, `${text}\n`);
  } catch {
    // A full disk must not fail the task; the output itself is lost either way.
  }
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
  const fd = openSync(join(context.logsDir, taskLogName(index, task)), 'a');
  const started = performance.now();
  try {
    appendLine(fd, `── ${step} ──`);
    const { end } = await context.sandbox.run(['sh', '-c', script], {
      cwd: context.repoDir,
      env: taskEnvironment(context, task),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      outputFd: fd,
    });
    const ms = performance.now() - started;
    if (end.kind === 'exited' && end.code === 0) {
      appendLine(fd, `── ${step} finished in ${seconds(ms)} ──`);
      return ok({ ms });
    }
    if (end.kind === 'aborted') {
      appendLine(fd, `── ${step} stopped ──`);
      return err({ kind: 'aborted' });
    }
    const label = taskLabel(index, task);
    if (end.kind === 'timed-out') {
      appendLine(fd, `── ${step} timed out after ${seconds(options.timeoutMs)} ──`);
      return err({
        kind: 'failed',
        message: `Task ${label} ${step} did not finish within ${seconds(options.timeoutMs)} and was stopped. Make it faster, or ask the cluster's operator to raise --task-timeout.`,
      });
    }
    const why =
      end.kind === 'spawn-failed' ? `could not start (${end.message})` : `failed with ${describeExit(end)}`;
    appendLine(fd, `── ${step} ${why} ──`);
    return err({
      kind: 'failed',
      message: `Task ${label} ${step} ${why}. Its log on the workspace page shows the output; fix the task in ${context.request.configFile ?? '.gitpod.yml'} and start again.`,
    });
  } finally {
    closeSync(fd);
  }
}

/** Starts a task's `command` in the background; it runs until the workspace stops. */
export function startTaskCommand(
  context: TaskContext,
  index: number,
  task: Task,
  note?: string,
): BackgroundProcess | undefined {
  const script = task.command;
  if (script === undefined || script.trim() === '') return undefined;
  const fd = openSync(join(context.logsDir, taskLogName(index, task)), 'a');
  if (note !== undefined) appendLine(fd, `── ${note} ──`);
  appendLine(fd, '── command ──');
  const background = context.sandbox.start(['sh', '-c', script], {
    cwd: context.repoDir,
    env: taskEnvironment(context, task),
    outputFd: fd,
  });
  void background.ended.then((end) => {
    const how =
      end.kind === 'exited'
        ? `exited with ${describeExit(end)}`
        : end.kind === 'aborted'
          ? 'stopped'
          : end.kind;
    appendLine(fd, `── command ${how} ──`);
    closeSync(fd);
  });
  return background;
}
