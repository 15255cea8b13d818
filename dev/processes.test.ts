// The dev sweep after a cluster was killed mid-stop: what its workspaces held outside its data folder goes (their
// socket folders under /run/launchpod, their machine-wide uid claims); another cluster's stays.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../cluster/src/editor/agent-files.ts';
import { DEFAULT_SLOT_REGISTRY, MAX_SLOTS } from '../cluster/src/sandbox/uid-ranges.ts';
import { sweepCluster } from './processes.ts';

// Two slots at the top of the range: running clusters claim the lowest free ones.
const OURS = MAX_SLOTS - 1;
const THEIRS = MAX_SLOTS - 2;
const made: string[] = [];

afterEach(() => {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

/** A workspace folder of a cluster whose data is in `dataDir`, with its slot claimed and its socket folder made. */
function workspaceOf(dataDir: string, slot: number): { dir: string; sockets: string; claim: string } {
  const dir = join(dataDir, 'workspaces', `ws-${slot}`);
  mkdirSync(dir, { recursive: true });
  const sockets = agentPaths(dir).cluster;
  mkdirSync(sockets, { recursive: true });
  const claim = join(DEFAULT_SLOT_REGISTRY, String(slot));
  mkdirSync(DEFAULT_SLOT_REGISTRY, { recursive: true });
  writeFileSync(claim, dir, { flag: 'wx', mode: 0o600 });
  made.push(sockets, claim);
  return { dir, sockets, claim };
}

describe('sweepCluster', () => {
  it("removes a killed cluster's workspace socket folders and uid claims, and no other cluster's", async () => {
    const ours = mkdtempSync(join(tmpdir(), 'launchpod-sweep-ours-'));
    const theirs = mkdtempSync(join(tmpdir(), 'launchpod-sweep-theirs-'));
    made.push(ours, theirs);
    const killed = workspaceOf(ours, OURS);
    const running = workspaceOf(theirs, THEIRS);

    await sweepCluster(ours);

    expect(existsSync(killed.sockets)).toBe(false);
    expect(existsSync(killed.claim)).toBe(false);
    expect(existsSync(running.sockets)).toBe(true);
    expect(existsSync(running.claim)).toBe(true);
  });
});
