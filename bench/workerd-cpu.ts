// The CPU time of the workerd processes this process started (Miniflare's), read from Linux /proc: it moves far less
// than wall time when other work shares the machine, and workerd's own clocks stand still while a request runs.

import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds used so far by the workerd processes this process started (NaN where /proc is not there). */
export function workerdCpuMs(): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${process.pid}/task`))
      for (const child of readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ')) {
        if (child === '' || readFileSync(`/proc/${child}/comm`, 'utf8').trim() !== 'workerd') continue;
        // schedstat's first field: nanoseconds on a CPU.
        for (const thread of readdirSync(`/proc/${child}/task`))
          ns += Number(readFileSync(`/proc/${child}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
      }
    return ns / 1e6;
  } catch {
    return Number.NaN;
  }
}
