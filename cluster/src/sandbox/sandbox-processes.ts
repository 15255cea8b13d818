// The host processes that stand for one sandbox's commands (`podman exec` clients, bwrap monitors): started through
// the cluster's ProcessGroups with a signal of the sandbox's own, so destroying the sandbox ends each of them and
// waits until they have exited.

import type { BackgroundProcess, ProcessGroups, RunOptions, RunResult } from '../child-processes.ts';

export interface SandboxProcesses {
  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
  start(command: string, args: readonly string[], options: RunOptions): BackgroundProcess;
  /** Ends every process still running and waits for them; later calls start nothing. */
  endAll(): Promise<void>;
}

export function sandboxProcesses(processes: ProcessGroups): SandboxProcesses {
  const ending = new AbortController();
  const live = new Set<Promise<unknown>>();
  const withSignal = (options: RunOptions): RunOptions => ({
    ...options,
    signal: options.signal === undefined ? ending.signal : AbortSignal.any([options.signal, ending.signal]),
  });
  const track = <T>(ended: Promise<T>) => {
    live.add(ended);
    void ended.finally(() => live.delete(ended));
  };
  return {
    run(command, args, options) {
      const running = processes.run(command, args, withSignal(options));
      track(running);
      return running;
    },
    start(command, args, options) {
      const started = processes.start(command, args, withSignal(options));
      track(started.ended);
      return started;
    },
    async endAll() {
      ending.abort();
      await Promise.all([...live]);
    },
  };
}
