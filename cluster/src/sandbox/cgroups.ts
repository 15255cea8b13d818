// Memory, process and CPU limits for a bubblewrap workspace through the host's cgroup file system (v1 or v2), as
// podman sets them for its containers. Every process of the workspace is put in before it runs anything, so the
// cgroup also lists them all for a clean kill. Never touches a cgroup outside `launchpod/`.

import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { SandboxLimits } from './sandbox.ts';

const ROOT = '/sys/fs/cgroup';

export interface WorkspaceCgroups {
  /** `cgroup.procs` files a process joins by writing its pid (one per v1 controller, one for v2). */
  readonly procsFiles: readonly string[];
  /** SIGKILLs every process in the cgroups until none is left, then removes them. */
  remove(): Promise<void>;
}

const isV2 = () => existsSync(join(ROOT, 'cgroup.controllers'));

function write(file: string, value: string): void {
  writeFileSync(file, value);
}

/** Whether this machine lets the cluster set limits (a writable cgroup hierarchy with the controllers). */
export function cgroupsUsable(): boolean {
  if (isV2()) return existsSync(join(ROOT, 'cgroup.subtree_control'));
  return ['memory', 'pids', 'cpu'].every((c) => existsSync(join(ROOT, c, 'cgroup.procs')));
}

export function createCgroups(name: string, limits: SandboxLimits): Result<WorkspaceCgroups, string> {
  try {
    return ok(isV2() ? createV2(name, limits) : createV1(name, limits));
  } catch (cause) {
    return err(`Could not set the workspace's resource limits: ${(cause as Error).message}`);
  }
}

function createV1(name: string, limits: SandboxLimits): WorkspaceCgroups {
  const dirs = {
    memory: join(ROOT, 'memory', name),
    pids: join(ROOT, 'pids', name),
    cpu: join(ROOT, 'cpu', name),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  write(join(dirs.memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
  // Only where swap accounting is on; without it there is no swap to limit.
  const memsw = join(dirs.memory, 'memory.memsw.limit_in_bytes');
  if (existsSync(memsw)) write(memsw, String(limits.memoryBytes));
  write(join(dirs.pids, 'pids.max'), String(limits.pids));
  write(join(dirs.cpu, 'cpu.shares'), String(limits.cpuShares));
  return cgroupSet(Object.values(dirs));
}

function createV2(name: string, limits: SandboxLimits): WorkspaceCgroups {
  // Each level must hand the controllers down before the leaf can use them.
  const parts = name.split('/');
  let dir = ROOT;
  for (const part of parts) {
    write(join(dir, 'cgroup.subtree_control'), '+memory +pids +cpu');
    dir = join(dir, part);
    mkdirSync(dir, { recursive: true });
  }
  write(join(dir, 'memory.max'), String(limits.memoryBytes));
  if (existsSync(join(dir, 'memory.swap.max'))) write(join(dir, 'memory.swap.max'), '0');
  write(join(dir, 'pids.max'), String(limits.pids));
  write(
    join(dir, 'cpu.weight'),
    String(Math.max(1, Math.min(10_000, Math.round((limits.cpuShares * 100) / 1024)))),
  );
  return cgroupSet([dir]);
}

function pidsIn(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function cgroupSet(dirs: readonly string[]): WorkspaceCgroups {
  return {
    procsFiles: dirs.map((d) => join(d, 'cgroup.procs')),
    async remove() {
      for (let round = 0; round < 50; round++) {
        const pids = [...new Set(dirs.flatMap(pidsIn))];
        if (pids.length === 0) break;
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        await sleep(20);
      }
      for (const dir of dirs) {
        try {
          rmdirSync(dir);
        } catch {
          // still busy or gone: the next sweep tries again
        }
      }
    },
  };
}
