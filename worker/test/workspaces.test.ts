// Workspaces after their start, as their owner manages them on the launcher: the list (page and API), Open (a
// single-use token to the workspace's own origin), Stop / Restart / Delete, the start page offering the workspace
// they already have, and its live logs — and none of it for anyone else.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCluster, fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { samples } from '../../dev/fakes/sample-data.ts';
import { verifyOpenToken } from '../../shared/workspace-access.ts';
import { createApp } from '../src/app.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const SECRET = 'eu-secret-0123456789';
const ALICE = 'lp_owner=anon-00000000-0000-4000-8000-00000000a11c';
const MALLORY = 'lp_owner=anon-00000000-0000-4000-8000-0000000000e7';
const repoUrl = 'https://github.com/launchpod-samples/node-app';
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });

let eu: FakeCluster;
let fakes: FakeHosts;
let testEnv: Env;

beforeEach(async () => {
  eu = fakeCluster({ name: 'eu-1', region: 'europe', secret: SECRET, origin: 'https://eu.cluster.test' });
  fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(samples.github),
    'https://eu.cluster.test': eu.handler,
  });
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: '[]',
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': SECRET }),
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  await env.DB.exec('DELETE FROM workspaces');
  await env.DB.exec('DELETE FROM rate_limits');
});

afterEach(() => fakes.restore());

async function call(path: string, cookie: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/json', ...(init.headers ?? {}) },
    }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function start(cookie = ALICE, url = repoUrl): Promise<{ id: string; url: string }> {
  const response = await call('/api/v1/workspaces', cookie, {
    method: 'POST',
    body: JSON.stringify({ url }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; url: string };
}

describe('your workspaces', () => {
  it("lists the owner's workspaces only, on the page and in the API", async () => {
    const mine = await start();
    const theirs = await start(MALLORY);
    const api = (await (await call('/api/v1/workspaces', ALICE)).json()) as { workspaces: { id: string }[] };
    expect(api.workspaces.map((w) => w.id)).toStrictEqual([mine.id]);
    expect(api.workspaces[0]).toMatchObject({
      id: mine.id,
      cluster: 'eu-1',
      url: `https://${mine.id}.eu.cluster.test/`,
      openUrl: `/workspaces/${mine.id}/open`,
      context: { repo: 'launchpod-samples/node-app', host: 'github.com' },
    });
    const page = await (await call('/workspaces', ALICE)).text();
    expect(page).toContain('Your workspaces');
    expect(page).toContain(`data-workspace="${mine.id}"`);
    expect(page).not.toContain(theirs.id);
    expect(page).toContain(`action="/workspaces/${mine.id}/stop"`);
    expect(page).toContain(`href="/workspaces/${mine.id}/open"`);
    const empty = await (
      await call('/workspaces', 'lp_owner=anon-00000000-0000-4000-8000-000000000000')
    ).text();
    expect(empty).toContain('You have no workspaces yet');
  });

  it("opens the owner's workspace on its own origin with a single-use token signed for it; nobody else's", async () => {
    const { id } = await start();
    const opened = await call(`/workspaces/${id}/open`, ALICE);
    expect(opened.status).toBe(302);
    const location = new URL(opened.headers.get('location') ?? '');
    expect(location.origin).toBe(`https://${id}.eu.cluster.test`);
    expect(location.pathname).toBe('/_launchpod/auth');
    expect(location.searchParams.get('to')).toBe('/');
    const checked = verifyOpenToken(
      SECRET,
      location.searchParams.get('token') ?? '',
      Math.floor(Date.now() / 1000),
    );
    expect(checked).toMatchObject({
      ok: true,
      claims: { workspaceId: id, ownerId: 'anon-00000000-0000-4000-8000-00000000a11c' },
    });
    // Another person, or an unknown id: the same "not found".
    expect((await call(`/workspaces/${id}/open`, MALLORY)).status).toBe(404);
    expect((await call('/workspaces/ws-nope/open', ALICE)).status).toBe(404);
  });

  it('stops, restarts and deletes through the API and the page forms, and refuses them cross-site or for others', async () => {
    const { id } = await start();
    expect((await call(`/api/v1/workspaces/${id}/stop`, MALLORY, { method: 'POST' })).status).toBe(404);
    const stopped = await call(`/api/v1/workspaces/${id}/stop`, ALICE, { method: 'POST' });
    expect(await stopped.json()).toMatchObject({ id, phase: 'stopped' });
    expect(eu.stopped).toStrictEqual([id]);

    const restarted = await call(`/api/v1/workspaces/${id}/restart`, ALICE, { method: 'POST' });
    expect(await restarted.json()).toMatchObject({ id, phase: 'pending', instance: 2 });

    // A form from another site never reaches the cluster.
    const forged = await call(`/workspaces/${id}/stop`, ALICE, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(forged.status).toBe(403);
    const form = await call(`/workspaces/${id}/delete`, ALICE, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/workspaces?done=delete');
    expect((await (await call(`/api/v1/workspaces/${id}`, ALICE)).json()) as object).toMatchObject({
      phase: 'deleted',
    });
    // Deleted is final, and it leaves the list.
    const again = await call(`/api/v1/workspaces/${id}/restart`, ALICE, { method: 'POST' });
    expect(again.status).toBe(409);
    const list = (await (await call('/api/v1/workspaces', ALICE)).json()) as { workspaces: unknown[] };
    expect(list.workspaces).toStrictEqual([]);
  });

  it("lets the page's Restart form follow the workspace to its own origin, and to no other", async () => {
    await start();
    const page = await call('/workspaces', ALICE);
    const formAction = /form-action ([^;]*)/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    // Browsers hold a form's redirects to form-action: Restart → /open → the workspace's origin on its cluster.
    expect(formAction?.trim().split(/\s+/)).toStrictEqual(["'self'", 'https://*.eu.cluster.test']);
  });

  it('reports a full cluster as full, with its own reason', async () => {
    const { id } = await start();
    await call(`/api/v1/workspaces/${id}/stop`, ALICE, { method: 'POST' });
    eu.full = true;
    const refused = await call(`/api/v1/workspaces/${id}/restart`, ALICE, { method: 'POST' });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      title: 'Cluster eu-1 is full',
      detail: expect.stringContaining('no capacity left'),
    });
  });

  it('passes the cluster’s live logs to the owner only', async () => {
    const { id } = await start();
    const logs = await call(`/api/v1/workspaces/${id}/logs`, ALICE);
    expect(logs.headers.get('content-type')).toContain('text/event-stream');
    const text = await logs.text();
    expect(text).toContain('event: log');
    expect(text).toContain('installing…');
    expect((await call(`/api/v1/workspaces/${id}/logs`, MALLORY)).status).toBe(404);
  });
});

describe('the start page of a context the owner already has a workspace for', () => {
  it('offers that workspace instead of starting a second one (a reload or Back starts nothing)', async () => {
    const first = await (await call(`/start?url=${encodeURIComponent(repoUrl)}`, ALICE)).text();
    expect(first).not.toContain('id="existing"');
    expect(first).toContain('"autostart":true');
    const { id } = await start();
    const again = await (await call(`/start?url=${encodeURIComponent(repoUrl)}`, ALICE)).text();
    expect(again).toContain(`data-workspace="${id}"`);
    expect(again).toContain(`href="/workspaces/${id}/open"`);
    expect(again).toContain('"autostart":false');
    expect(again).toContain('Start a new workspace');
    // A stopped one is offered for a restart.
    await call(`/api/v1/workspaces/${id}/stop`, ALICE, { method: 'POST' });
    const stopped = await (await call(`/start?url=${encodeURIComponent(repoUrl)}`, ALICE)).text();
    expect(stopped).toContain(`action="/workspaces/${id}/restart"`);
    // Someone else starts theirs as usual.
    expect(await (await call(`/start?url=${encodeURIComponent(repoUrl)}`, MALLORY)).text()).toContain(
      '"autostart":true',
    );
  });
});
