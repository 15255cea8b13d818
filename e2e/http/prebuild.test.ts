// The prebuild loop on the local stack, over HTTP: a project registered through the admin API, a signed GitHub push
// webhook → the queue → the reference cluster builds the prebuild → its signed events make the record `ready` → a
// launch of that commit starts from the snapshot with init skipped, and a launch of a child commit starts from it
// incrementally (both read from the cluster's own workspace status).

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, stopAllStacks } from '../stack.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}2`;
const repoUrl = 'https://github.com/launchpod-samples/node-app';

let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'launchpod-e2e-prebuild-'));
  stack = await startStack({ demo: true, dataDir, launcherVars: { ADMIN_TOKEN } });
}, 180_000);

afterAll(async () => {
  // Also stops a stack whose start timed out before the hook received it.
  await stopAllStacks();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const tail = () =>
  stack
    .output()
    .split('\n')
    .filter((line) => !line.includes('GET /api/v1/'))
    .join('\n')
    .slice(-6000);

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.launcherUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      origin: stack.launcherUrl,
      cookie: owner,
      ...(init.headers ?? {}),
    },
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new Error(`${path}: ${response.status} ${text.slice(0, 500)}\n${tail()}`);
  }
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  tries = 240,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 500));
    value = await read();
  }
  if (!done(value)) throw new Error(`${what}: gave up at ${JSON.stringify(value)}\n${tail()}`);
  return value;
}

/** Launches through the API, waits for `running`, answers the cluster's own status of the workspace. */
async function launch(url: string) {
  const started = await api('/api/v1/workspaces', { method: 'POST', body: JSON.stringify({ url }) });
  if (started.status !== 201) throw new Error(`start: ${JSON.stringify(started.body)}\n${tail()}`);
  const id = String(started.body.id);
  await until(
    `workspace ${id}`,
    async () => (await api(`/api/v1/workspaces/${id}`)).body,
    (s) => s.phase === 'running' || s.phase === 'failed',
  );
  const response = await fetch(`${stack.clusterUrl}/v1/workspaces/${id}`, {
    headers: { authorization: `Bearer ${stack.clusterSecret}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('prebuilds on the local stack', () => {
  it('builds a prebuild from a signed push and starts launches from it', async () => {
    // The served repositories carry real git shas: ask the launcher for main's, as a user's launch would.
    const shaOf = async (url: string) =>
      String(
        (
          (await api('/api/v1/resolve', { method: 'POST', body: JSON.stringify({ url }) })).body.context as {
            sha: string;
          }
        ).sha,
      );
    const main = await shaOf(`${repoUrl}/tree/main`);
    expect(main).toMatch(/^[0-9a-f]{40}$/);

    const created = await api('/api/v1/admin/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ repoUrl }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id: projectId, webhookSecret } = created.body as { id: string; webhookSecret: string };

    const push = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: main,
      deleted: false,
      repository: { full_name: 'launchpod-samples/node-app', default_branch: 'main' },
    });
    const signature = `sha256=${createHmac('sha256', webhookSecret).update(push).digest('hex')}`;
    const deliver = () =>
      fetch(`${stack.launcherUrl}/webhooks/github/${projectId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'e2e-delivery-1',
          'x-hub-signature-256': signature,
        },
        body: push,
      });
    expect((await deliver()).status).toBe(202);
    expect(await (await deliver()).json()).toMatchObject({ duplicate: true });

    const status = await until(
      'prebuild ready',
      async () => (await api(`/api/v1/status?url=${encodeURIComponent(`${repoUrl}/commit/${main}`)}`)).body,
      (s) => ['ready', 'failed'].includes(String((s.prebuild as { state?: string })?.state)),
    );
    expect(status.prebuild, tail()).toMatchObject({ state: 'ready', sha: main });
    const prebuildId = String((status.prebuild as { id: string }).id);

    const exact = await launch(`${repoUrl}/tree/main`);
    expect(exact, tail()).toMatchObject({
      phase: 'running',
      startedFrom: 'prebuild',
      timings: { initSkipped: true },
    });

    const resolved = await api('/api/v1/resolve', {
      method: 'POST',
      body: JSON.stringify({ url: `${repoUrl}/tree/deep/1/2/3/4` }),
    });
    expect(resolved.body.prebuild).toEqual({
      kind: 'use',
      prebuildId,
      sha: main,
      commitsBehind: 1,
      cluster: 'local',
    });
    const incremental = await launch(`${repoUrl}/tree/deep/1/2/3/4`);
    expect(incremental, tail()).toMatchObject({
      phase: 'running',
      startedFrom: 'prebuild',
      timings: { initSkipped: true },
    });

    const badge = await fetch(`${stack.launcherUrl}/badge/prebuild.svg?url=${encodeURIComponent(repoUrl)}`);
    expect(await badge.text()).toContain('ready');
  }, 240_000);
});
