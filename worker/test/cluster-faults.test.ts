// Clusters that are slow, full, down or frozen, as a launch meets them: "slow" is not "down" (a start that was not
// answered in time is followed, not failed, and stopped where the launcher did not take it), "full" is not "down",
// a retried Idempotency-Key answers its workspace whatever the clusters' state, and a cluster serves again as soon
// as it answers its health check. Nothing is left running on a cluster that the launcher does not follow.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCluster, fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { samples } from '../../dev/fakes/sample-data.ts';
import { createApp } from '../src/app.ts';
import { HEALTH_INTERVAL_MS } from '../src/clusters/cluster-health.ts';
import { stopAbandoned, sweepOrphans } from '../src/clusters/cluster-reconcile.ts';
import { launcherConfig } from '../src/config.ts';
import { UNCONFIRMED_GRACE_MS } from '../src/launch-start.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const FRANKFURT = { latitude: '50.11', longitude: '8.68', continent: 'EU' };
const OWNER = 'lp_owner=anon-00000000-0000-4000-8000-000000000001';
const repoUrl = 'https://github.com/launchpod-samples/node-app';
/** The launcher waits this long for a cluster; a slow cluster answers after twice that. */
const TIMEOUT_MS = 400;

let clock = 1_800_000_000_000;
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: TIMEOUT_MS, now: () => clock });

let eu: FakeCluster;
let us: FakeCluster;
let fakes: FakeHosts;
let testEnv: Env;

const clusterEntry = (
  name: string,
  baseUrl: string,
  region: string,
  latitude: number,
  longitude: number,
) => ({
  name,
  baseUrl,
  region,
  latitude,
  longitude,
});

function environment(clusters: readonly ('eu' | 'us')[]): Env {
  const entries = {
    eu: clusterEntry('eu-1', 'https://eu.cluster.test', 'europe', 50.1, 8.7),
    us: clusterEntry('us-1', 'https://us.cluster.test', 'north-america', 39, -77.5),
  };
  return {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: '[]',
    CLUSTERS: JSON.stringify(clusters.map((c) => entries[c])),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'eu-secret-0123456789', 'us-1': 'us-secret-0123456789' }),
  };
}

beforeEach(async () => {
  clock += 60 * 60_000;
  eu = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: 'eu-secret-0123456789',
    origin: 'https://eu.cluster.test',
  });
  us = fakeCluster({
    name: 'us-1',
    region: 'north-america',
    secret: 'us-secret-0123456789',
    origin: 'https://us.cluster.test',
  });
  fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(samples.github),
    'https://eu.cluster.test': eu.handler,
    'https://us.cluster.test': us.handler,
  });
  testEnv = environment(['eu', 'us']);
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  for (const table of ['workspaces', 'rate_limits', 'abandoned_starts'])
    await env.DB.exec(`DELETE FROM ${table}`);
});

afterEach(() => {
  eu.thaw();
  us.thaw();
  fakes.restore();
});

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, { cf: FRANKFURT, ...init } as RequestInit),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const start = (key?: string, url = repoUrl) =>
  call('/api/v1/workspaces', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: OWNER,
      origin: ORIGIN,
      ...(key !== undefined && { 'idempotency-key': key }),
    },
    body: JSON.stringify({ url }),
  });
const resolve = async () =>
  (await (
    await call('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ url: repoUrl }),
    })
  ).json()) as { clusters: { name: string }[]; unavailable: string[] };
const workspace = async (id: string) =>
  (await (await call(`/api/v1/workspaces/${id}`, { headers: { cookie: OWNER } })).json()) as {
    id: string;
    phase: string;
    cluster: string;
    url?: string;
    failure?: string;
  };
const health = async () =>
  ((await env.CACHE.get('cluster-health:v1', 'json')) ?? {}) as Record<
    string,
    { problem?: string; slow?: boolean; description?: { score: number } }
  >;
const reconcileDeps = () => {
  const config = launcherConfig(testEnv);
  if (!config.ok) throw new Error(config.error);
  return { config: config.value, db: env.DB, now: () => clock, clusterTimeoutMs: TIMEOUT_MS };
};

describe('a cluster slow to answer a start', () => {
  it('is not taken for down: the start is followed and adopted, and the cluster keeps serving', async () => {
    testEnv = environment(['eu']);
    eu.startDelayMs = 2 * TIMEOUT_MS;
    const response = await start();
    const body = (await response.json()) as { id: string; phase: string; cluster: string };
    expect(response.status).toBe(202);
    expect(body).toMatchObject({ phase: 'pending', cluster: 'eu-1' });
    // The cluster did start it: the launcher follows it rather than failing it (and leaving it running).
    expect(eu.status(body.id)).toBeDefined();
    const followed = await workspace(body.id);
    expect(followed).toMatchObject({ cluster: 'eu-1', url: `https://${body.id}.eu.cluster.test/` });
    expect(followed.phase).not.toBe('failed');
    expect((await health())['eu-1']?.problem).toBeUndefined();
    eu.startDelayMs = 0;
    expect((await start()).status).toBe(201);
    expect(eu.active()).toHaveLength(2);
  });

  it('is passed over for the next cluster, and the copy it started is stopped: no orphan', async () => {
    eu.startDelayMs = 2 * TIMEOUT_MS;
    const response = await start();
    const body = (await response.json()) as { id: string; cluster: string };
    expect(response.status).toBe(201);
    expect(body.cluster).toBe('us-1');
    expect(eu.stopped).toContain(body.id);
    expect(eu.active()).toEqual([]);
    expect(us.active().map((w) => w.id)).toEqual([body.id]);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM abandoned_starts').first('n')).toBe(0);
  });

  it('frozen across the start, then resumed: the start that lands is followed, nothing is orphaned', async () => {
    testEnv = environment(['eu']);
    // Healthy when the launch was resolved; stopped (SIGSTOP) while the start is on its way.
    expect((await resolve()).clusters.map((c) => c.name)).toEqual(['eu-1']);
    eu.freeze();
    const response = await start();
    const body = (await response.json()) as { id: string; phase: string };
    expect(response.status).toBe(202);
    expect((await workspace(body.id)).phase).toBe('pending');
    eu.thaw();
    // The resumed cluster acts on the start it had queued.
    await expect.poll(() => eu.status(body.id)).toBeDefined();
    const followed = await workspace(body.id);
    expect(followed.url).toBe(`https://${body.id}.eu.cluster.test/`);
    expect(followed.phase).not.toBe('failed');
    expect(eu.active().map((w) => w.id)).toEqual([body.id]);
    await sweepOrphans(reconcileDeps());
    expect(eu.stopped).toEqual([]);
  });

  it('fails a start its cluster never received, after the grace, and stops it should it land after all', async () => {
    testEnv = environment(['eu']);
    eu.startDelayMs = 2 * TIMEOUT_MS;
    const response = await start();
    const { id } = (await response.json()) as { id: string };
    eu.forget(id);
    expect((await workspace(id)).phase).toBe('pending');
    clock += UNCONFIRMED_GRACE_MS;
    const failed = await workspace(id);
    expect(failed.phase).toBe('failed');
    expect(failed.failure).toContain('cluster eu-1 never received the start');
    // The start lands late (a request the frozen cluster still held): the launcher stops it.
    eu.startDelayMs = 0;
    const late = await eu.handler(
      new Request(`https://eu.cluster.test/v1/workspaces`, {
        method: 'POST',
        headers: { authorization: 'Bearer eu-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify(eu.started[0]),
      }),
    );
    expect(late.status).toBe(201);
    await stopAbandoned(reconcileDeps());
    expect(eu.active()).toEqual([]);
  });
});

describe('full, down and back', () => {
  it('answers an Idempotency-Key retry with its workspace even when no cluster could take a new one', async () => {
    const first = await start('retry-key-0001');
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    eu.full = true;
    us.down = true;
    expect((await start()).status).toBe(503);
    const retried = await start('retry-key-0001');
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { id: string }).id).toBe(id);
  });

  it('keeps full and down apart, and takes each back as soon as it answers its health check', async () => {
    eu.full = true;
    const passed = await start();
    expect(((await passed.json()) as { cluster: string }).cluster).toBe('us-1');
    const marks = await health();
    expect(marks['eu-1']?.problem).toBeUndefined();
    expect(marks['eu-1']?.description?.score).toBe(0);
    us.down = true;
    const none = await start();
    expect(none.status).toBe(503);
    const detail = ((await none.json()) as { detail: string }).detail;
    expect(detail).toContain('cluster us-1 unreachable');
    expect(detail).toContain('eu-1: full');
    expect((await resolve()).unavailable).toEqual(['eu-1: full', 'us-1: cluster us-1 unreachable']);

    eu.full = false;
    us.down = false;
    clock += HEALTH_INTERVAL_MS;
    expect((await resolve()).clusters.map((c) => c.name)).toEqual(['eu-1', 'us-1']);
    expect((await start()).status).toBe(201);
  });
});

describe('the sweep of what clusters run', () => {
  it('stops a workspace whose launcher record failed or names another cluster, and leaves the rest', async () => {
    const followed = (await (await start()).json()) as { id: string };
    const failedThere = (await (await start()).json()) as { id: string };
    const elsewhere = (await (await start()).json()) as { id: string };
    await env.DB.prepare("UPDATE workspaces SET phase = 'failed' WHERE id = ?").bind(failedThere.id).run();
    await env.DB.prepare("UPDATE workspaces SET cluster = 'us-1' WHERE id = ?").bind(elsewhere.id).run();
    // Another launcher's workspace on the same cluster: no record here, not ours to stop.
    const foreign = await eu.handler(
      new Request('https://eu.cluster.test/v1/workspaces', {
        method: 'POST',
        headers: { authorization: 'Bearer eu-secret-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ ...eu.started[0], id: 'ws-00000000-0000-4000-8000-00000000f00d' }),
      }),
    );
    expect(foreign.status).toBe(201);
    const swept = await sweepOrphans(reconcileDeps());
    expect(swept.orphans).toBe(2);
    expect(eu.stopped.sort()).toEqual([elsewhere.id, failedThere.id].sort());
    expect(
      eu
        .active()
        .map((w) => w.id)
        .sort(),
    ).toEqual([followed.id, 'ws-00000000-0000-4000-8000-00000000f00d'].sort());
  });
});
