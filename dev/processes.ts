// The stack's child processes: started in their own process group, tracked, waited on, stopped and swept — a killed
// cluster's workspaces included — so nothing outlives a run.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { agentPaths } from '../cluster/src/editor/agent-files.ts';
import { sweepNetworks } from '../cluster/src/sandbox/podman.ts';
import { clusterTag } from '../cluster/src/sandbox/sandbox-names.ts';
import { DEFAULT_SLOT_REGISTRY, endUidRange, uidRange } from '../cluster/src/sandbox/uid-ranges.ts';
import { unmountAllUnder } from '../cluster/src/workspace-disk.ts';

/** The repository: where the children run. */
const ROOT = resolve(import.meta.dirname, '..');

export function firstJsonLine(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    if (child.stdout === null) return fail(new Error(`${name} has no stdout`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim().startsWith('{')) {
        clearTimeout(timer);
        done(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`a process exited while waiting for ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export function exec(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  log: string[],
): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        log.push(`[${args.slice(0, 3).join(' ')}] ${line}`),
      );
    }
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Every process group a stack of this process started and that has not exited yet. */
const running = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (running.size === 1 && !exitHookInstalled) {
    exitHookInstalled = true;
    // A test runner that gives up on a hook, or a crash, must not leave launchers and clusters behind.
    process.once('exit', () => {
      for (const c of running) signalGroup(c, 'SIGKILL');
    });
  }
}
let exitHookInstalled = false;

/**
 * Stops every stack process this process started, including those of a `startStack` still waiting for readiness
 * (a timed-out test hook never received its stack). Tests call it in `afterAll`.
 */
export async function stopAllStacks(): Promise<void> {
  await Promise.all([...running].map((child) => terminate(child)));
  await sweepClusters();
}

/** Data folders of the clusters stacks started: swept of workspaces when their stack stops. */
export const clusterDataDirs = new Set<string>();
/** Cluster processes: given time to stop their workspaces before they are killed. */
export const clusterChildren = new WeakSet<ChildProcess>();

export async function sweepClusters(): Promise<void> {
  for (const dir of [...clusterDataDirs]) await sweepCluster(dir);
}

/**
 * What a cluster that was killed before it finished stopping (a test runner giving up) left: its containers, its
 * network namespaces, its bubblewrap sandboxes, its workspaces' processes and socket folders, found by the cluster's
 * tag and data folder, never anyone else's.
 */
export async function sweepCluster(dataDir: string): Promise<void> {
  clusterDataDirs.delete(dataDir);
  const tag = clusterTag(resolve(dataDir));
  const listed = spawnSync(
    'podman',
    ['ps', '--all', '--filter', `label=io.launchpod.cluster=${tag}`, '--format', '{{.Names}}'],
    { encoding: 'utf8' },
  );
  for (const name of (listed.stdout ?? '').split('\n').filter(Boolean))
    spawnSync('podman', ['rm', '--force', '--time', '0', name], { stdio: 'ignore' });
  await sweepNetworks(tag);
  spawnSync('pkill', ['-KILL', '-f', '--', `--bind ${resolve(dataDir)}/`], { stdio: 'ignore' });
  // Whatever still runs under the uids of this cluster's workspaces, and their claims.
  for (const { slot, workspaceDir } of slotsUnder(resolve(dataDir))) {
    await endUidRange(uidRange(slot).base, 5000);
    rmSync(agentPaths(workspaceDir).cluster, { recursive: true, force: true });
    rmSync(join(DEFAULT_SLOT_REGISTRY, String(slot)), { force: true });
  }
  // Its workspaces' own disks, still mounted at their folders.
  unmountAllUnder(resolve(dataDir));
}

/** The uid slots claimed machine-wide for workspace folders inside `dataDir`, with the folder each one names. */
function slotsUnder(dataDir: string): { slot: number; workspaceDir: string }[] {
  let names: string[];
  try {
    names = readdirSync(DEFAULT_SLOT_REGISTRY);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      const workspaceDir = readFileSync(join(DEFAULT_SLOT_REGISTRY, name), 'utf8');
      return /^\d+$/.test(name) && workspaceDir.startsWith(`${dataDir}/`)
        ? [{ slot: Number(name), workspaceDir }]
        : [];
    } catch {
      return [];
    }
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * SIGTERM to the process group, then SIGKILL after 5 s (a cluster: 60 s, it stops its workspaces first); resolves
 * when the process has exited.
 */
export function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), clusterChildren.has(child) ? 60_000 : 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      // What the leader started may outlive it: take the whole group down.
      signalGroup(child, 'SIGKILL');
      done();
    });
    signalGroup(child, 'SIGTERM');
  });
}
