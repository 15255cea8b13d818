// What runs of a workspace besides its `before` and `init`, all inside its sandbox: the agent (each task's `command`
// in a terminal) and VS Code (code-server, on a unix socket). The agent's terminal output comes back on its stdout
// and is appended to the tasks' logs here, the editor's through a pipe to `editor.log` — capped, since a workspace
// decides how much it prints; neither process ever holds a log file of the host's.

import { join } from 'node:path';
import stripAnsi from 'strip-ansi';
import type { StartWorkspaceRequest } from '../../../shared/cluster-contract.ts';
import { type CappedLog, openCappedLog } from '../capped-log.ts';
import type { BackgroundProcess } from '../child-processes.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { taskLogName } from '../task-runner.ts';
import { EDITOR_NODE, MOUNTS } from './agent-files.ts';

/** What runs of a workspace: the editor from its sandbox's start (beside `before` and `init`), the agent after. */
export interface RunningProcesses {
  agent?: BackgroundProcess;
  editor?: BackgroundProcess;
}

export interface StartOptions {
  readonly sandbox: Sandbox;
  readonly request: StartWorkspaceRequest;
  /** The checkout inside the sandbox. */
  readonly folder: string;
  readonly logsDir: string;
  /** Shared by the agent's terminals and the editor (and so its terminals and git). */
  readonly env: Readonly<Record<string, string>>;
  /** A note for each task's log (why the command starts again, after a restart). */
  readonly note?: string;
  /** Bytes each log keeps of what the workspace prints (MAX_LOG_BYTES; smaller in tests). The terminal shows all. */
  readonly logCapBytes: number;
}

/**
 * A terminal's output as a log reads it: colours, cursor moves and titles gone (strip-ansi knows every sequence a
 * terminal sends), line ends plain. A sequence cut between two chunks may leave a stray fragment; the terminal itself
 * shows it right.
 */
export function plainText(text: string): string {
  return stripAnsi(text).replace(/\r+\n/g, '\n').replace(/\r/g, '');
}

export interface TaskOutputDemux {
  /** The agent's stdout, as it comes. */
  readonly write: (text: string) => void;
  /** Closes the tasks' logs (the agent has ended). */
  readonly close: () => void;
}

/**
 * `T<index> <base64>` lines from the agent → the tasks' logs, each open while the agent runs, so a command that
 * prints past the cap leaves one note, not one a line. Anything else the agent prints is ignored.
 */
export function taskOutputDemux(
  request: StartWorkspaceRequest,
  logsDir: string,
  capBytes: number,
): TaskOutputDemux {
  const logs = new Map<number, CappedLog>();
  const logOf = (index: number): CappedLog | undefined => {
    const task = request.tasks[index];
    if (task === undefined) return undefined;
    let log = logs.get(index);
    if (log === undefined) {
      log = openCappedLog(join(logsDir, taskLogName(index, task)), capBytes);
      logs.set(index, log);
    }
    return log;
  };
  let pending = '';
  return {
    write(text) {
      pending += text;
      if (pending.length > 4 * 1024 * 1024) pending = pending.slice(-1024 * 1024);
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /^T(\d{1,3}) ([A-Za-z0-9+/=]*)$/.exec(line);
        if (m === null) continue;
        logOf(Number(m[1]))?.output(plainText(Buffer.from(m[2] ?? '', 'base64').toString('utf8')));
      }
    },
    close() {
      for (const log of logs.values()) log.close();
      logs.clear();
    },
  };
}

/** The agent: each task's `command` in its terminal, its output into the tasks' logs. */
export function startAgent(options: StartOptions): BackgroundProcess {
  const { sandbox, request, logsDir, logCapBytes } = options;
  for (const [index, task] of request.tasks.entries()) {
    if (task.command === undefined || task.command.trim() === '') continue;
    const log = openCappedLog(join(logsDir, taskLogName(index, task)), logCapBytes);
    if (options.note !== undefined) log.line(`── ${options.note} ──`);
    log.line('── command (in its terminal) ──');
    log.close();
  }
  const demux = taskOutputDemux(request, logsDir, logCapBytes);
  const agent = sandbox.start([EDITOR_NODE, `${MOUNTS.agentCode}/agent.js`], {
    cwd: options.folder,
    env: options.env,
    onStdout: demux.write,
  });
  void agent.ended.finally(() => demux.close());
  return agent;
}

/** VS Code (code-server) on its socket, its output into `editor.log`. */
export function startEditor(options: Omit<StartOptions, 'request' | 'note'>): BackgroundProcess {
  const editorLog = openCappedLog(join(options.logsDir, 'editor.log'), options.logCapBytes);
  const editor = options.sandbox.start([EDITOR_NODE, `${MOUNTS.agentCode}/start-editor.js`], {
    cwd: options.folder,
    env: options.env,
    onOutput: (chunk) => editorLog.output(chunk),
  });
  void editor.ended.finally(() => editorLog.close());
  return editor;
}
