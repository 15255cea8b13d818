import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBitbucketCloud } from '../../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../../dev/fakes/bitbucket-server.ts';
import { type FakeCluster, fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { fakeGitLab } from '../../dev/fakes/gitlab.ts';
import { sampleRepo, samples } from '../../dev/fakes/sample-data.ts';
import { EVENT_HEADERS, signEvent } from '../../shared/cluster-contract.ts';
import { createApp } from '../src/app.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const FRANKFURT = { latitude: '50.11', longitude: '8.68', continent: 'EU' };
const WASHINGTON = { latitude: '38.9', longitude: '-77.03', continent: 'NA' };
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });

let eu: FakeCluster;
let us: FakeCluster;
let fakes: FakeHosts;
let testEnv: Env;

const repoUrl = 'https://github.com/launchpod-samples/node-app';
const main = samples.github.repos[0]?.branches.main ?? '';

beforeEach(async () => {
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
    'https://gitlab.com': fakeGitLab(samples.gitlab),
    'https://api.bitbucket.org': fakeBitbucketCloud(samples.bitbucketCloud),
    'https://bitbucket.launchpod.test': fakeBitbucketServer(samples.bitbucketServer),
    'https://eu.cluster.test': eu.handler,
    'https://us.cluster.test': us.handler,
  });
  // A fresh env object per test: configuration is parsed once per env, and KV/D1 start empty.
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: JSON.stringify([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]),
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
      {
        name: 'us-1',
        baseUrl: 'https://us.cluster.test',
        region: 'north-america',
        latitude: 39,
        longitude: -77.5,
      },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'eu-secret-0123456789', 'us-1': 'us-secret-0123456789' }),
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  await env.DB.exec('DELETE FROM workspaces');
  // Every test starts with fresh launch counters (they are per client IP, and tests share one).
  await env.DB.exec('DELETE FROM rate_limits');
});

afterEach(() => fakes.restore());

async function call(
  path: string,
  init: RequestInit & { cf?: Record<string, string> } = {},
  environment = testEnv,
) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, { cf: FRANKFURT, ...init } as RequestInit),
    environment,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  cookie = 'lp_owner=anon-00000000-0000-4000-8000-000000000001',
) =>
  call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });

describe('pages', () => {
  it('serves the landing page with a paste box, its hash-continuing script and a strict CSP', async () => {
    const response = await call('/');
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<form class="open" method="get" action="/start">');
    expect(html).toContain('<script src="/assets/landing.js" defer>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('set-cookie')).toMatch(
      /lp_owner=anon-[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
  });

  it('serves the page scripts and stylesheet', async () => {
    for (const [path, type] of [
      ['/assets/landing.js', 'text/javascript'],
      ['/assets/start.js', 'text/javascript'],
      ['/assets/launchpod.css', 'text/css'],
    ] as const) {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
  });

  it('shows what the path form opens: repository, branch, commit, config, prebuild, nearest cluster', async () => {
    const response = await call(`/${repoUrl}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('launchpod-samples/node-app');
    expect(html).toContain('<code>main</code>');
    expect(html).toContain(main.slice(0, 12));
    expect(html).toContain('.gitpod.yml: 1 task, 1 port');
    expect(html).toContain('No prebuild: prebuilds are not set up on this launcher yet.');
    expect(html).toContain('eu-1 (europe)');
    expect(html).toContain('"autostart":true');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('chooses the cluster nearest to the user', async () => {
    const html = await (await call(`/${repoUrl}`, { cf: WASHINGTON })).text();
    expect(html).toContain('us-1 (north-america)');
  });

  it('honours a requested region over distance', async () => {
    const html = await (await call(`/start?url=${encodeURIComponent(repoUrl)}&region=north-america`)).text();
    expect(html).toContain('us-1 (north-america)');
  });

  it('shows a confirm page with autostart=false, from the hash-form hand-off', async () => {
    const html = await (
      await call(`/start?url=${encodeURIComponent(`${repoUrl}/tree/feature/x/y`)}&autostart=false`)
    ).text();
    expect(html).toContain('<code>feature/x/y</code>');
    expect(html).toContain('"autostart":false');
    expect(html).toMatch(/<button type="button" id="start">Start workspace<\/button>/);
  });

  it('reads the path form with a scheme-less URL, a pull request from a fork, and strips launch options from the query', async () => {
    const html = await (
      await call('/github.com/launchpod-samples/node-app/pull/2?editor=code-latest')
    ).text();
    expect(html).toContain('#2 Fix a typo');
    expect(html).toContain('from the fork contributor/node-app into launchpod-samples/node-app');
    expect(html).toContain('editor code-latest');
  });

  it('keeps a Bitbucket Server ?at= with the context in the path form', async () => {
    const html = await (
      await call(
        '/https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Frelease%2F1.0&autostart=false',
      )
    ).text();
    expect(html).toContain('<code>release/1.0</code>');
    expect(html).toContain('"autostart":false');
  });

  it('opens an issue on a new branch from the default branch', async () => {
    const html = await (await call(`/${repoUrl}/issues/4`)).text();
    expect(html).toContain(
      '#4 Add dark mode support → new branch <code>octo-reporter/add-dark-mode-support-4</code> from',
    );
  });

  it('says which environment variables from the link were refused, and why', async () => {
    const html = await (
      await call(`/start?url=${encodeURIComponent(`FOO=bar,PATH=x,X=%24(id)/${repoUrl}`)}`)
    ).text();
    expect(html).toContain('<code>FOO=bar </code>');
    expect(html).toContain("<code>PATH=x</code> — PATH changes how the workspace's shell or tools start");
    expect(html).toContain('<code>X=$(id)</code> — The value of X may only hold');
    // A link that tried to set what it may not waits for the person to read that and start it.
    expect(html).toContain('"autostart":false');
    expect(html).toMatch(/<button type="button" id="start">Start workspace<\/button>/);
    const clean = await (await call(`/start?url=${encodeURIComponent(`FOO=bar/${repoUrl}`)}`)).text();
    expect(clean).toContain('"autostart":true');
  });
});

describe('error pages', () => {
  it.each([
    [
      '/https://git.unknown.example/o/r',
      400,
      'This git host is not supported here',
      'git.unknown.example is not a git host this launcher knows',
    ],
    ['/start?url=not%20a%20url', 400, 'That is not something we can open', 'is not a URL'],
    ['/https://github.com/launchpod-samples/nope', 404, 'launchpod-samples/nope', 'sign'],
    [
      '/https://github.com/launchpod-samples/invalid-config',
      422,
      '.gitpod.yml has a mistake at line 5',
      'ports[0].port: expected a number or a range like 3000-3010',
    ],
    [
      '/https://github.com/launchpod-samples/node-app/pull/3',
      410,
      'The branch of pull request #3 is gone',
      'was deleted',
    ],
    ['/start', 400, 'Nothing to open', ''],
  ])('%s → %i with a way out', async (path, status, title, detail) => {
    const response = await call(path);
    const html = await response.text();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain(title.replaceAll("'", '&#39;'));
    expect(html).toContain(detail);
    expect(html).toMatch(/<a class="button"|<form class="open"/);
  });

  it('refuses an editor no workspace opens in, naming the ones that do, with the same link without it', async () => {
    const response = await call(`/start?url=${encodeURIComponent(repoUrl)}&editor=intellij&class=large`);
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain('That editor is not available here');
    expect(html).toContain(
      'Workspaces here open in VS Code in the browser (code); &quot;intellij&quot; is not one of them.',
    );
    const wayOut = /<a class="button" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(wayOut).toBe(`${testEnv.LAUNCHER_ORIGIN}/?class=large#${repoUrl}`);
    expect(eu.started.length + us.started.length).toBe(0);
  });

  it('names the operator setting that is wrong instead of a stack trace', async () => {
    const response = await call('/', {}, { ...testEnv, CLUSTERS: '[{"name":"x"}]' });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('CLUSTERS[0].baseUrl must be an absolute http(s) URL.');
  });

  // Hostile input is shown back escaped, never executed, and never turns into a redirect.
  const hostile = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(document.cookie)',
    'https://github.com/<script>alert(1)</script>/r',
    "https://github.com/o/r/tree/'><svg onload=alert(1)>",
    '//evil.example/o/r',
    'https://evil.example@github.com.evil.example/o/r',
    `${repoUrl}/blob/main/%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
  ];
  it.each(hostile)('escapes and never redirects for %s', async (input) => {
    for (const response of [await call(`/start?url=${encodeURIComponent(input)}`), await call(`/${input}`)]) {
      const html = await response.text();
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('location')).toBeNull();
      expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload/i);
      expect(html).not.toMatch(/href="javascript:/i);
    }
  });
});

describe('API', () => {
  it('resolves without side effects', async () => {
    const response = await post('/api/v1/resolve', { url: `${repoUrl}/tree/deep/1/2/3/4` });
    const body = (await response.json()) as {
      context: { ref: unknown; sha: string };
      config: { source: string };
      prebuild: unknown;
      clusters: { name: string }[];
    };
    expect(response.status).toBe(200);
    expect(body.context.ref).toEqual({ name: 'deep/1/2/3/4', type: 'branch' });
    expect(body.context.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(body.config.source).toBe('file');
    expect(body.prebuild).toEqual({
      kind: 'none',
      reason: 'No prebuild: prebuilds are not set up on this launcher yet.',
    });
    expect(body.clusters.map((c: { name: string }) => c.name)).toEqual(['eu-1', 'us-1']);
    expect(eu.started).toHaveLength(0);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM workspaces').first('n')).toBe(0);
  });

  it("starts VS Code in the browser for Gitpod's code-latest, and refuses an editor it does not have", async () => {
    const started = await post('/api/v1/workspaces', { url: repoUrl, options: { editor: 'code-latest' } });
    expect(started.status).toBe(201);
    expect([...eu.started, ...us.started].map((request) => request.editor)).toStrictEqual(['code']);
    const refused = await post('/api/v1/workspaces', { url: repoUrl, options: { editor: 'code-desktop' } });
    const problem = (await refused.json()) as { code: string; editors: string[] };
    expect(refused.status).toBe(400);
    expect(problem.code).toBe('invalid-input');
    expect(problem.editors).toStrictEqual(['code']);
  });

  it("tells the cluster where a fork pull request's base branch is, and nothing more for a branch", async () => {
    await post('/api/v1/workspaces', { url: 'https://github.com/launchpod-samples/node-app/pull/2' });
    await post('/api/v1/workspaces', { url: repoUrl });
    const [pull, branch] = [...eu.started, ...us.started];
    expect(pull?.context.cloneUrl).toBe('https://github.com/contributor/node-app.git');
    expect(pull?.context.pullRequest).toMatchObject({
      fromFork: true,
      baseRef: 'main',
      baseCloneUrl: 'https://github.com/launchpod-samples/node-app.git',
    });
    expect(branch?.context.pullRequest).toBeUndefined();
  });

  it('starts one workspace per idempotency key, however often it is sent', async () => {
    const headers = { 'idempotency-key': 'click-0001-abcdef' };
    const [first, second] = await Promise.all([
      post('/api/v1/workspaces', { url: repoUrl }, headers),
      post('/api/v1/workspaces', { url: repoUrl }, headers),
    ]);
    const a = (await first?.json()) as { id: string };
    const b = (await second?.json()) as { id: string };
    expect([first?.status, second?.status].sort()).toEqual([200, 201]);
    expect(a.id).toBe(b.id);
    expect(eu.started.length + us.started.length).toBe(1);
    const again = await post('/api/v1/workspaces', { url: repoUrl }, headers);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(a.id);
  });

  it('follows a workspace to running on its cluster origin, for its owner only', async () => {
    const started = (await (await post('/api/v1/workspaces', { url: repoUrl })).json()) as {
      id: string;
      phase: string;
    };
    expect(started.phase).toBe('creating');
    const request = eu.started[0];
    expect(request?.context.sha).toBe(main);
    expect(request?.context.ref).toEqual({ name: 'main', type: 'branch' });
    expect(request?.initializer).toEqual({ kind: 'git' });
    expect(request?.tasks[0]?.init).toContain('sleep 5');
    expect(JSON.stringify(request)).not.toMatch(/token/i);
    const owner = { headers: { cookie: 'lp_owner=anon-00000000-0000-4000-8000-000000000001' } };
    let status: { phase: string; url?: string } = { phase: '' };
    for (let i = 0; i < 4 && status.phase !== 'running'; i++) {
      status = (await (await call(`/api/v1/workspaces/${started.id}`, owner)).json()) as typeof status;
    }
    expect(status).toMatchObject({
      phase: 'running',
      url: `https://${started.id}.eu.cluster.test/`,
    });
    const stranger = await call(`/api/v1/workspaces/${started.id}`, {
      headers: { cookie: 'lp_owner=anon-00000000-0000-4000-8000-000000000002' },
    });
    expect(stranger.status).toBe(404);
    expect(stranger.headers.get('content-type')).toBe('application/problem+json');
  });

  it('resumes the running workspace for the same context with quickstart', async () => {
    const first = (await (await post('/api/v1/workspaces', { url: repoUrl })).json()) as { id: string };
    const second = await post('/api/v1/workspaces', {
      url: `git@github.com:launchpod-samples/node-app.git`,
      options: { quickstart: true },
    });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { id: string }).id).toBe(first.id);
    expect(eu.started).toHaveLength(1);
  });

  it('fails over to the next cluster when the nearest is down, and remembers it', async () => {
    eu.down = true;
    const response = await post('/api/v1/workspaces', { url: repoUrl });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { cluster: string }).cluster).toBe('us-1');
    const health = (await env.CACHE.get('cluster-health:v1', 'json')) as Record<string, { problem?: string }>;
    expect(health['eu-1']?.problem).toBe('cluster eu-1 unreachable');
    // The next resolve skips it and says why.
    const resolved = (await (await post('/api/v1/resolve', { url: repoUrl })).json()) as {
      clusters: { name: string }[];
      unavailable: string[];
    };
    expect(resolved.clusters.map((c) => c.name)).toEqual(['us-1']);
    expect(resolved.unavailable).toEqual(['eu-1: cluster eu-1 unreachable']);
  });

  it('never follows a workspace URL outside the cluster origin', async () => {
    eu.foreignUrl = true;
    const response = await post('/api/v1/workspaces', { url: repoUrl });
    const body = (await response.json()) as { cluster: string; url?: string };
    expect(eu.started).toHaveLength(1);
    expect(body.cluster).toBe('us-1');
    expect(body.url).toMatch(/^https:\/\/ws-[0-9a-f-]+\.us\.cluster\.test\/$/);
    us.foreignUrl = true;
    const none = await post('/api/v1/workspaces', { url: `${repoUrl}/tree/d1` });
    expect(none.status).toBe(503);
    expect(JSON.stringify(await none.json())).not.toContain('evil.example');
  });

  it('answers no capacity with problem+json and Retry-After when every cluster fails', async () => {
    eu.down = true;
    us.full = true;
    const response = await post('/api/v1/workspaces', { url: repoUrl });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('60');
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('no-capacity');
    expect(problem.detail).toContain('eu-1: cluster eu-1 unreachable; us-1: full');
    const page = await (await call(`/${repoUrl}`)).text();
    expect(page).toContain('none available (eu-1: cluster eu-1 unreachable; us-1: full)');
  });

  it('reports whether a URL is launchable, cheaply, for the extension', async () => {
    const yes = await call(`/api/v1/status?url=${encodeURIComponent(`${repoUrl}/pull/1`)}`);
    expect(await yes.json()).toEqual({ launchable: true, prebuild: { state: 'none' } });
    const no = await call(`/api/v1/status?url=${encodeURIComponent('https://example.com/x/y')}`);
    expect(await no.json()).toMatchObject({ launchable: false, code: 'unknown-host' });
    expect(fakes.requests.filter((r) => !r.url.includes('cluster.test'))).toHaveLength(0);
  });

  it('answers with credentials only to the extension ids it is configured with, and refuses other sites', async () => {
    const configured = { ...testEnv, API_ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnop' };
    const preflight = (origin: string) =>
      call(
        '/api/v1/workspaces',
        { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } },
        configured,
      );
    const ours = await preflight('chrome-extension://abcdefghijklmnop');
    expect(ours.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(ours.headers.get('access-control-allow-credentials')).toBe('true');
    // Any other installed extension is just another site.
    const other = await preflight('chrome-extension://someotherextensionid');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const stranger = await post(
      '/api/v1/workspaces',
      { url: repoUrl },
      { origin: 'chrome-extension://someotherextensionid' },
    );
    expect(stranger.status).toBe(400);
    const evil = await post('/api/v1/workspaces', { url: repoUrl }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(eu.started).toHaveLength(0);
  });

  // A stopped clock: the counters' one-minute window must not roll over in the middle of the test.
  const stopped = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000, now: () => 1_800_000_030_000 });
  const atStoppedClock = async (path: string, init: RequestInit) => {
    const ctx = createExecutionContext();
    const response = await stopped.fetch(
      new Request(`${ORIGIN}${path}`, { cf: FRANKFURT, ...init } as RequestInit),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  };
  it.each([
    [
      'POST /api/v1/resolve',
      120,
      (ip: string) =>
        atStoppedClock('/api/v1/resolve', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN, 'cf-connecting-ip': ip },
          body: JSON.stringify({ url: repoUrl }),
        }),
    ],
    [
      'GET /api/v1/status',
      300,
      (ip: string) =>
        atStoppedClock(`/api/v1/status?url=${encodeURIComponent(repoUrl)}`, {
          headers: { 'cf-connecting-ip': ip },
        }),
    ],
  ] as const)('limits %s per client to %i a minute, with Retry-After', async (_what, limit, send) => {
    for (let i = 0; i < limit; i++) expect((await send('198.51.100.7')).status).toBe(200);
    const over = await send('198.51.100.7');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { code: string }).code).toBe('rate-limited');
    expect((await send('198.51.100.8')).status).toBe(200);
  });

  it('lets any page read the public status and anchor table, never with credentials', async () => {
    for (const path of [`/api/v1/status?url=${encodeURIComponent(repoUrl)}`, '/api/v1/extension/anchors']) {
      const response = await call(path, { headers: { origin: 'moz-extension://0b7c1e2a-uuid-per-install' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('refuses an API_ALLOWED_ORIGINS pattern, naming the setting', async () => {
    const response = await call('/', {}, { ...testEnv, API_ALLOWED_ORIGINS: 'chrome-extension://*' });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('API_ALLOWED_ORIGINS lists exact origins');
  });

  it('refuses oversized bodies, bad JSON and bad keys with problem+json', async () => {
    const big = await post('/api/v1/resolve', { url: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    const bad = await call('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { title: string }).title).toBe('Body is not JSON');
    const key = await post('/api/v1/workspaces', { url: repoUrl }, { 'idempotency-key': 'a b' });
    expect(key.status).toBe(400);
  });

  it.each([
    ['a url', '{"url": "https://github.com/launchpod-samples/node-app/tree/\\ud800"}'],
    ['a whole url', '{"url": "\\udc00"}'],
    [
      'an option',
      '{"url": "https://github.com/launchpod-samples/node-app", "options": {"editor": "\\ud800"}}',
    ],
    [
      'an option name',
      '{"url": "https://github.com/launchpod-samples/node-app", "options": {"\\ud800": "x"}}',
    ],
  ])('answers half a UTF-16 pair in %s with a 400 problem, not a 5xx', async (_what, body) => {
    for (const path of ['/api/v1/resolve', '/api/v1/workspaces']) {
      const response = await call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body,
      });
      const problem = (await response.json()) as { status: number };
      expect(response.status).toBe(400);
      expect(problem.status).toBe(400);
    }
    expect(eu.started).toHaveLength(0);
  });

  it('answers an unexpected failure with 500 and a problem body that says 500, without its details', async () => {
    const broken = {
      ...testEnv,
      DB: {
        prepare: () => {
          throw new Error('D1_ERROR: disk I/O error at /secret/path');
        },
        batch: () => Promise.reject(new Error('D1_ERROR: disk I/O error at /secret/path')),
      } as unknown as D1Database,
    };
    const response = await call(
      '/api/v1/workspaces',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ url: repoUrl }),
      },
      broken,
    );
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal' });
    expect(text).not.toContain('/secret/path');
    const page = await call(`/${repoUrl}`, {}, broken);
    expect(page.status).toBe(500);
    expect(await page.text()).toContain('Something went wrong on our side');
  });

  it('accepts signed cluster events, forward only, and refuses bad or stale signatures', async () => {
    const started = (await (await post('/api/v1/workspaces', { url: repoUrl })).json()) as { id: string };
    const event = (phase: string, sequence = 1) =>
      JSON.stringify({
        cluster: 'eu-1',
        sequence,
        workspace: {
          id: started.id,
          phase,
          url: `https://${started.id}.eu.cluster.test/`,
          updatedAt: '',
        },
      });
    const send = (body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) =>
      call('/api/v1/cluster-events', {
        method: 'POST',
        headers: {
          [EVENT_HEADERS.cluster]: 'eu-1',
          [EVENT_HEADERS.timestamp]: String(timestamp),
          [EVENT_HEADERS.signature]: signEvent(secret, timestamp, body),
        },
        body,
      });
    expect((await send(event('running'), 'wrong-secret-0123456789')).status).toBe(401);
    expect(
      (await send(event('running'), 'eu-secret-0123456789', Math.floor(Date.now() / 1000) - 3600)).status,
    ).toBe(401);
    expect((await send(event('running'), 'eu-secret-0123456789')).status).toBe(200);
    expect((await send(event('initializing', 2), 'eu-secret-0123456789')).status).toBe(200);
    expect(
      await env.DB.prepare('SELECT phase FROM workspaces WHERE id = ?').bind(started.id).first('phase'),
    ).toBe('running');
  });

  it('applies each signed workspace event once: a replay or an older sequence is refused', async () => {
    const started = (await (await post('/api/v1/workspaces', { url: repoUrl })).json()) as { id: string };
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = (sequence: number, phase: string, failure?: string) => {
      const body = JSON.stringify({
        cluster: 'eu-1',
        sequence,
        workspace: {
          id: started.id,
          phase,
          url: `https://${started.id}.eu.cluster.test/`,
          updatedAt: '',
          ...(failure !== undefined && { failure }),
        },
      });
      // Captured as sent: the same headers and body can be posted again within the signature's tolerance.
      const init = {
        method: 'POST',
        headers: {
          [EVENT_HEADERS.cluster]: 'eu-1',
          [EVENT_HEADERS.timestamp]: String(timestamp),
          [EVENT_HEADERS.signature]: signEvent('eu-secret-0123456789', timestamp, body),
        },
        body,
      };
      return () => call('/api/v1/cluster-events', init);
    };
    const failing = signed(3, 'failed', 'out of disk');
    const phase = async () =>
      env.DB.prepare('SELECT phase, failure FROM workspaces WHERE id = ?').bind(started.id).first();
    expect((await signed(2, 'running')()).status).toBe(200);
    expect((await failing()).status).toBe(200);
    expect(await phase()).toEqual({ phase: 'failed', failure: 'out of disk' });
    // The same event again, and an older one: refused, nothing changes.
    expect((await failing()).status).toBe(409);
    expect((await signed(1, 'failed', 'something else')()).status).toBe(409);
    expect(await phase()).toEqual({ phase: 'failed', failure: 'out of disk' });
    const unsequenced = JSON.stringify({
      cluster: 'eu-1',
      workspace: { id: started.id, phase: 'failed', url: '', updatedAt: '' },
    });
    const response = await call('/api/v1/cluster-events', {
      method: 'POST',
      headers: {
        [EVENT_HEADERS.cluster]: 'eu-1',
        [EVENT_HEADERS.timestamp]: String(timestamp),
        [EVENT_HEADERS.signature]: signEvent('eu-secret-0123456789', timestamp, unsequenced),
      },
      body: unsequenced,
    });
    expect(response.status).toBe(409);
  });
});

describe('config the cluster would refuse', () => {
  // `MY-VAR` is fine YAML and fine for the Gitpod schema, but no shell can set it: the cluster refuses the start.
  const config = `tasks:
  - init: echo ready
    env:
      MY-VAR: x
`;
  beforeEach(() => {
    fakes.restore();
    fakes = installFakeHosts({
      'https://api.github.com': fakeGitHub({
        ...samples.github,
        repos: [...samples.github.repos, sampleRepo('launchpod-samples', 'dashed-env', { id: 90, config })],
      }),
      'https://eu.cluster.test': eu.handler,
      'https://us.cluster.test': us.handler,
    });
  });
  const url = 'https://github.com/launchpod-samples/dashed-env';

  it('shows the config error page with the line, before anything starts', async () => {
    const page = await call(`/${url}`);
    const html = await page.text();
    expect(page.status).toBe(422);
    expect(html).toContain('.gitpod.yml has a mistake at line 4');
    expect(html).toContain("'MY-VAR' cannot be an environment variable name");
    const started = await post('/api/v1/workspaces', { url });
    expect(started.status).toBe(422);
    expect(((await started.json()) as { code: string }).code).toBe('invalid-config');
    expect(eu.started.length + us.started.length).toBe(0);
  });

  it('refuses a link whose env name the cluster would refuse, listing it, and starts without it', async () => {
    const response = await post('/api/v1/workspaces', { url: `MY-VAR=x,OK=1/${repoUrl}` });
    expect(response.status).toBe(201);
    expect(eu.started[0]?.env).toEqual([{ name: 'OK', value: '1' }]);
  });
});

describe('paths that fold into another repository', () => {
  // The server token may read private repositories. A public repository's path that climbs out of it
  // (`../../private-app/…`) must not let an anonymous visitor learn whether a private file exists.
  const withServerToken = () => ({
    ...testEnv,
    HOST_TOKENS: JSON.stringify({ 'bitbucket.launchpod.test': 'user-token-alice' }),
  });
  const climb = (file: string) =>
    `https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse/..%2F..%2F..%2Fprivate-app%2Fbrowse%2F${file}?at=main`;

  it.each([
    ['a file the private repository has', climb('.gitpod.yml')],
    ['a file it does not have', climb('no-such-file.txt')],
  ])('refuses %s with the same 400, asking the host nothing', async (_what, url) => {
    const response = await call(
      '/api/v1/resolve',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ url }),
      },
      withServerToken(),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain("'..'");
    expect(fakes.requests.filter((r) => r.url.includes('bitbucket.launchpod.test'))).toEqual([]);
  });
});

describe('long links', () => {
  // Real links run long: deep file paths, descriptive branch names, many environment variables. Each part of the
  // launcher that keys a cache on the context must take them (KV keys stop at 512 bytes).
  const longPath = `src/${'generated/'.repeat(50)}index.ts`;
  const longBranch = `feature/${'a-very-descriptive-branch-name-'.repeat(17)}end`;

  beforeEach(() => {
    fakes.restore();
    const [first, ...rest] = samples.github.repos;
    if (first === undefined) throw new Error('no sample repository');
    const head = first.commits[first.branches.main ?? ''];
    if (head === undefined) throw new Error('no main commit');
    const repo = {
      ...first,
      branches: { ...first.branches, [longBranch]: head.sha },
      commits: { ...first.commits, [head.sha]: { ...head, files: { ...head.files, [longPath]: 'x\n' } } },
    };
    fakes = installFakeHosts({
      'https://api.github.com': fakeGitHub({ ...samples.github, repos: [repo, ...rest] }),
      'https://eu.cluster.test': eu.handler,
      'https://us.cluster.test': us.handler,
    });
  });

  it.each([
    ['a 570-character file link', `${repoUrl}/blob/main/${longPath}`],
    ['a branch of 538 characters', `${repoUrl}/tree/${longBranch}`],
    [
      'forty environment variables',
      `${Array.from({ length: 40 }, (_, i) => `VARIABLE_NUMBER_${i}=value-${i}`).join(',')}/${repoUrl}`,
    ],
  ])('opens %s: page, resolve and start, twice (the second from cache)', async (_what, url) => {
    for (let round = 0; round < 2; round++) {
      const page = await call(`/start?url=${encodeURIComponent(url)}&autostart=false`);
      expect(page.status, await page.clone().text()).toBe(200);
      const resolved = await post('/api/v1/resolve', { url });
      expect(resolved.status).toBe(200);
    }
    const started = await post('/api/v1/workspaces', { url });
    expect(started.status).toBe(201);
  });
});

describe('resolution cost', () => {
  it('answers a warm launch with no upstream request before the cluster call', async () => {
    await post('/api/v1/resolve', { url: `${repoUrl}/tree/feature/x/y` });
    fakes.reset();
    await post('/api/v1/resolve', { url: `${repoUrl}/tree/feature/x/y` });
    expect(fakes.requests.filter((r) => !r.url.includes('cluster.test'))).toEqual([]);
  });
});
