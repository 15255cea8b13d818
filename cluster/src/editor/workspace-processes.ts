// What runs while a workspace is running, all inside its sandbox: the agent (each task's `command` in a terminal)
// and VS Code (code-server, on a unix socket). The agent's terminal output comes back on its stdout and is
// appended to the tasks' logs here — capped, since a workspace decides how much it prints.

import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import stripAnsi from 'strip-ansi';
import type { StartWorkspaceRequest } from '../../../shared/cluster-contract.ts';
import type { BackgroundProcess } from '../child-processes.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { taskLogName } from '../task-runner.ts';
import { EDITOR_NODE, MOUNTS } from './agent-files.ts';

/** Past this, a task's log takes no more output (the terminal still shows it all). */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;

export interface RunningProcesses {
  readonly agent: BackgroundProcess;
  readonly editor?: BackgroundProcess;
}

export interface StartOptions {
  readonly sandbox: Sandbox;
  readonly request: StartWorkspaceRequest;
  /** The checkout inside the sandbox. */
  readonly folder: string;
  readonly logsDir: string;
  /** Shared by the agent's terminals and the editor (and so its terminals and git). */
  readonly env: Readonly<Record<string, string>>;
  readonly startEditor: boolean;
  /** A note for each task's log (why the command starts again, after a restart). */
  readonly note?: string;
}

function appendCapped(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch {
    return;
  }
  try {
    const size = fstatSync(fd).size;
    if (size >= MAX_LOG_BYTES) return;
    const bytes = Buffer.from(text);
    const room = MAX_LOG_BYTES - size;
    writeSync(
      fd,
      bytes.length <= room
        ? bytes
        : Buffer.concat([bytes.subarray(0, room), Buffer.from('\n── log full ──\n')]),
    );
  } catch {
    // a full disk loses log text, never the workspace
  } finally {
    closeSync(fd);
  }
}

/**
 * A terminal's output as a log reads it: colours, cursor moves and titles gone (strip-ansi knows every sequence a
 * terminal sends), line ends plain. A sequence cut between two chunks may leave a stray fragment; the terminal itself
 * shows it right.
 */
export function plainText(text: string): string {
  return stripAnsi(text).replace(/\r+\n/g, '\n').replace(/\r/g, '');
}

/** `T<index> <base64>` lines from the agent → the tasks' logs. Anything else it prints is ignored. */
export function taskOutputDemux(request: StartWorkspaceRequest, logsDir: string): (text: string) => void {
  let pending = '';
  return (text) => {
    pending += text;
    if (pending.length > 4 * 1024 * 1024) pending = pending.slice(-1024 * 1024);
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const m = /^T(\d{1,3}) ([A-Za-z0-9+/=]*)$/.exec(line);
      const index = m === null ? -1 : Number(m[1]);
      const task = request.tasks[index];
      if (m === null || task === undefined) continue;
      appendCapped(
        join(logsDir, taskLogName(index, task)),
        plainText(Buffer.from(m[2] ?? '', 'base64').toString('utf8')),
      );
    }
  };
}

export function startWorkspaceProcesses(options: StartOptions): RunningProcesses {
  const { sandbox, request, logsDir } = options;
  for (const [index, task] of request.tasks.entries()) {
    if (task.command === undefined || task.command.trim() === '') continue;
    appendCapped(
      join(logsDir, taskLogName(index, task)),
      `${options.note !== undefined ? `── ${options.note} ──\n` : ''}── command (in its terminal) ──\n`,
    );
  }
  const agent = sandbox.start([EDITOR_NODE, `${MOUNTS.agentCode}/agent.js`], {
    cwd: options.folder,
    env: options.env,
    onStdout: taskOutputDemux(request, logsDir),
  });
  if (!options.startEditor) return { agent };
  const editorLog = openSync(join(logsDir, 'editor.log'), 'a');
  const editor = sandbox.start([EDITOR_NODE, `${MOUNTS.agentCode}/start-editor.js`], {
    cwd: options.folder,
    env: options.env,
    outputFd: editorLog,
  });
  void editor.ended.finally(() => closeSync(editorLog));
  return { agent, editor };
}
