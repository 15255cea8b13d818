// The fault test: the reference cluster frozen (SIGSTOP on its process group) while a start call is on its way,
// then resumed (SIGCONT). The launcher must not give the workspace up as failed while the cluster may still start it
// (it answers 202 and follows it), must leave nothing running that it does not follow (no orphan), and must start new
// workspaces again within one health interval of the cluster answering. On the whole local stack, over HTTP.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { HEALTH_INTERVAL_MS } from '../../shared/cluster-contract.ts';
import { quietTail, startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { callApi } from './launcher-api.ts';

let stack: Stack;
let frozenGroup: number | undefined;
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}7`;
const URL_TO_OPEN = 'https://github.com/launchpod-samples/no-config';

beforeAll(async () => {
  ({ stack } = await startDemoStack('launchpod-e2e-freeze-'));
}, 180_000);

afterAll(async () => {
  // Never leave a stopped process behind, whatever failed.
  if (frozenGroup !== undefined) process.kill(-frozenGroup, 'SIGCONT');
  await stopDemoStacks();
});

/** The process group of whatever listens on `port` on loopback, read from /proc (no tool's output format). */
function processGroupListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local address `0100007F:1F90`, state 0A = LISTEN, inode in field 9.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9] !== undefined)
        inodes.add(fields[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        // /proc/<pid>/stat: `pid (comm) state ppid pgrp …` — comm may hold spaces, so read after the last `)`.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      }
    }
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** The workspaces the cluster itself runs (its contract's list, with its secret). */
async function clusterActive(): Promise<{ id: string; phase: string }[]> {
  const response = await fetch(`${stack.clusterUrl}/v1/workspaces`, {
    headers: { authorization: `Bearer ${stack.clusterSecret}` },
  });
  const { workspaces } = (await response.json()) as { workspaces: { id: string; phase: string }[] };
  return workspaces.filter((w) => !['stopped', 'failed', 'stopping'].includes(w.phase));
}

async function followUntilSettled(id: string): Promise<Record<string, unknown>> {
  let record: Record<string, unknown> = {};
  for (let i = 0; i < 240; i++) {
    record = (await callApi(stack, owner, `/api/v1/workspaces/${id}`)).body;
    if (record.phase === 'running' || record.phase === 'failed') return record;
    await new Promise((r) => setTimeout(r, 500));
  }
  return record;
}

describe('a cluster frozen across a start call', () => {
  it('leaves no orphan, and serves new starts within one health interval of resuming', async () => {
    // Healthy when the launch is resolved (the launcher knows the cluster), then frozen under the start call.
    const resolved = await callApi(stack, owner, '/api/v1/resolve', {
      method: 'POST',
      body: JSON.stringify({ url: URL_TO_OPEN }),
    });
    expect(resolved.status, quietTail(stack)).toBe(200);
    frozenGroup = processGroupListeningOn(Number(new URL(stack.clusterUrl).port));
    process.kill(-frozenGroup, 'SIGSTOP');
    const started = await callApi(stack, owner, '/api/v1/workspaces', {
      method: 'POST',
      headers: { 'idempotency-key': 'freeze-test-0001' },
      body: JSON.stringify({ url: URL_TO_OPEN }),
    });
    // Not failed, not "no capacity": the cluster may still start it, and the launcher follows it.
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ phase: 'pending', cluster: 'local' });
    const id = String(started.body.id);
    // A retry of the same start answers the same workspace, frozen cluster or not.
    const retried = await callApi(stack, owner, '/api/v1/workspaces', {
      method: 'POST',
      headers: { 'idempotency-key': 'freeze-test-0001' },
      body: JSON.stringify({ url: URL_TO_OPEN }),
    });
    expect(retried).toMatchObject({ status: 200, body: { id } });

    process.kill(-frozenGroup, 'SIGCONT');
    frozenGroup = undefined;
    const resumedAt = Date.now();

    // The start the cluster held lands and is followed to running — or, had it been lost, is failed and stopped.
    const settled = await followUntilSettled(id);
    const settledMs = Date.now() - resumedAt;
    expect(['running', 'failed'], JSON.stringify(settled)).toContain(settled.phase);
    // No orphan: what the cluster runs is exactly what the launcher follows as running there.
    const running = await clusterActive();
    expect(running.map((w) => w.id)).toEqual(settled.phase === 'running' ? [id] : []);

    // Within one health interval of resuming, a new start is taken (201) by the same cluster.
    const wait = resumedAt + HEALTH_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const next = await callApi(stack, owner, '/api/v1/workspaces', {
      method: 'POST',
      body: JSON.stringify({ url: URL_TO_OPEN }),
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body).toMatchObject({ cluster: 'local' });
    console.log(
      JSON.stringify({
        faultTest: 'cluster frozen across a start',
        frozenStartAnswer: started.status,
        outcome: settled.phase,
        settledAfterResumeMs: settledMs,
        nextStartAfterResumeMs: Date.now() - resumedAt,
      }),
    );
  }, 180_000);
});
