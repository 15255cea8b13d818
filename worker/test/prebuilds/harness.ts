// What the prebuild tests share: an env with two fake clusters, fake hosts, a recording PREBUILDS queue and the
// admin token; helpers to call the app, sign webhooks per family, register a project and send cluster events.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { fakeBitbucketCloud } from '../../../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../../../dev/fakes/bitbucket-server.ts';
import { type FakeCluster, fakeCluster } from '../../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../../dev/fakes/github.ts';
import { fakeGitLab } from '../../../dev/fakes/gitlab.ts';
import type { FakeHostData } from '../../../dev/fakes/model.ts';
import { samples } from '../../../dev/fakes/sample-data.ts';
import { EVENT_HEADERS, signEvent, type WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { createApp } from '../../src/app.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

export const ORIGIN = 'https://launchpod.test';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const TOKEN_KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
export const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });

export interface Harness {
  readonly env: Env;
  readonly eu: FakeCluster;
  readonly fakes: FakeHosts;
  /** Bodies sent to the PREBUILDS queue. */
  readonly queued: unknown[];
}

export async function setUp(github: FakeHostData = samples.github): Promise<Harness> {
  const eu = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: 'eu-secret-0123456789',
    origin: 'https://eu.cluster.test',
  });
  const fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(github),
    'https://gitlab.com': fakeGitLab(samples.gitlab),
    'https://api.bitbucket.org': fakeBitbucketCloud(samples.bitbucketCloud),
    'https://bitbucket.launchpod.test': fakeBitbucketServer(samples.bitbucketServer),
    'https://eu.cluster.test': eu.handler,
  });
  const queued: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      queued.push(body);
    },
    async sendBatch(messages: Iterable<{ body: unknown }>) {
      for (const m of messages) queued.push(m.body);
    },
  } as unknown as Queue;
  const testEnv: Env = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: JSON.stringify([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]),
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'eu-secret-0123456789' }),
    ADMIN_TOKEN,
    PREBUILDS: queue,
    // Webhook secrets are stored sealed with these keys.
    TOKEN_KEYS: JSON.stringify({ k1: TOKEN_KEY }),
    TOKEN_KEY_CURRENT: 'k1',
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  for (const table of ['workspaces', 'projects', 'webhook_deliveries', 'prebuilds', 'prebuild_skips'])
    await env.DB.exec(`DELETE FROM ${table}`);
  return { env: testEnv, eu, fakes, queued };
}

export async function call(h: Harness, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      cf: { latitude: '50.11', longitude: '8.68', continent: 'EU' },
      ...init,
    } as RequestInit),
    h.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

export async function registerProject(
  h: Harness,
  repoUrl: string,
  settings: Record<string, unknown> = {},
): Promise<{ id: string; webhookSecret: string; webhookUrl: string }> {
  const response = await call(h, '/api/v1/admin/projects', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ repoUrl, ...settings }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; webhookSecret: string; webhookUrl: string };
}

export async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A signed prebuild event from the cluster, as the reference cluster sends it. */
export async function clusterEvent(h: Harness, status: WorkspaceStatus, sequence: number): Promise<Response> {
  const body = JSON.stringify({ cluster: 'eu-1', workspace: status, sequence });
  const timestamp = Math.floor(Date.now() / 1000);
  return call(h, '/api/v1/cluster-events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [EVENT_HEADERS.cluster]: 'eu-1',
      [EVENT_HEADERS.timestamp]: String(timestamp),
      [EVENT_HEADERS.signature]: signEvent('eu-secret-0123456789', timestamp, body),
    },
    body,
  });
}
