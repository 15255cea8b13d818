// A workspace's uid range is ended whole: every process of any of its uids, a forking one's children too, and
// nothing of any other uid.

import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { endUidRange, MAX_SLOTS, uidRange } from '../src/sandbox/uid-ranges.ts';
import { processesOf } from './cluster-harness.ts';

// The last slot: no workspace on a test machine reaches it. Its uids are above 2^31, which Node's `uid` cannot take.
const range = uidRange(MAX_SLOTS - 1);
const outsider = range.base - 1;
const started: ChildProcess[] = [];

function runAs(uid: number, script: string): ChildProcess {
  const child = spawn(
    'setpriv',
    [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '/bin/sh', '-c', script],
    { cwd: '/', stdio: 'ignore', detached: true },
  );
  started.push(child);
  return child;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ended
    }
  }
  await endUidRange(range.base, 2000);
});

describe('endUidRange', () => {
  it("kills every process of the range's uids, a forking loop's children too, and no other uid's", async () => {
    runAs(range.uid, 'sleep 300 & sleep 301 & while :; do sleep 302 & sleep 0.01; done');
    runAs(range.base, 'exec sleep 303');
    runAs(range.base + 65_535, 'exec sleep 304');
    const control = runAs(outsider, 'exec sleep 305');
    await until(() => processesOf(range.uid).length >= 4 && processesOf(range.base + 65_535).length === 1);
    expect(processesOf(range.base).join('\n')).toContain('sleep 303');

    expect(await endUidRange(range.base)).toBe(true);
    expect(processesOf(range.uid)).toEqual([]);
    expect(processesOf(range.base)).toEqual([]);
    expect(processesOf(range.base + 65_535)).toEqual([]);
    expect(processesOf(outsider).join('\n')).toContain('sleep 305');
    expect(control.exitCode).toBeNull();
  });

  it('answers at once when nothing of the range runs', async () => {
    expect(await endUidRange(range.base, 0)).toBe(true);
  });
});
