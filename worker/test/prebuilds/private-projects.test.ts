// Private projects: the status API, both badges and a prebuild's state answer for a private project exactly as for a
// repository that is no project — whole responses, caching headers and ETags included — except a prebuild's state
// to a signed-in user whose own token reads the repository. Visibility comes from the host's API at registration
// (GitHub REST and GraphQL, GitLab), from signed webhooks after, and is private for rows older than the column.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBitbucketCloud } from '../../../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../../../dev/fakes/bitbucket-server.ts';
import { fakeGitHub } from '../../../dev/fakes/github.ts';
import { fakeGitLab } from '../../../dev/fakes/gitlab.ts';
import type { FakeHostData, FakeRepo } from '../../../dev/fakes/model.ts';
import { fakeOAuth } from '../../../dev/fakes/oauth.ts';
import { samples } from '../../../dev/fakes/sample-data.ts';
import type { WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { createApp } from '../../src/app.ts';
import { launcherConfig } from '../../src/config.ts';
import { resolvers } from '../../src/hosts/resolvers.ts';
import { getPrebuild } from '../../src/prebuilds/prebuild-records.ts';
import { runTrigger } from '../../src/prebuilds/prebuild-trigger.ts';
import { getProject, setProjectVisibility } from '../../src/prebuilds/projects.ts';
import { webhookVisibility } from '../../src/prebuilds/webhook-families.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';
import { ADMIN_TOKEN, clusterEvent, type Harness, hmacHex, ORIGIN, setUp } from './harness.ts';

const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });
const GITHUB = 'https://github.com/launchpod-samples';
const GITLAB = 'https://gitlab.com/launchpod-samples/platform/backend';
const privateUrl = `${GITHUB}/private-app`;
const publicUrl = `${GITHUB}/node-app`;
/** A repository that is no project: what a stranger must not be able to tell a private project from. */
const unknownUrl = `${GITHUB}/no-config`;
const privateRepo = samples.github.repos.find((r) => r.name === 'private-app') as FakeRepo;
const main = privateRepo.branches.main ?? '';
const UNKNOWN_PREBUILD = 'pb-00000000-0000-4000-8000-000000000000';
// A fixed anonymous owner, so no response sets a fresh random cookie and whole responses compare.
const ANON = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;

/** Each host's data with a server token that can read `private-app` (a launcher's HOST_TOKENS), and a user who cannot. */
function withServerToken(data: FakeHostData, owner: string): FakeHostData {
  return {
    ...data,
    tokens: {
      ...data.tokens,
      'server-token': { login: 'launchpod-bot', id: 1002, canRead: [`${owner}/private-app`] },
      'user-token-bob': { login: 'bob', id: 1003, canRead: [] },
    },
  };
}

let h: Harness;
let fakes: FakeHosts;

/** The prebuild harness, plus sign-in (fake GitHub OAuth) and `hostTokens` for the launcher's own host requests. */
async function setUpPrivate(hostTokens: Record<string, string>, login = 'alice') {
  fakes?.restore();
  const base = await setUp();
  base.fakes.restore();
  const github = withServerToken(samples.github, 'launchpod-samples');
  const gitlab = withServerToken(samples.gitlab, 'launchpod-samples/platform/backend');
  const oauth = fakeOAuth({
    family: 'github',
    data: github,
    clientId: 'gh-id',
    clientSecret: 'gh-secret',
    login,
  });
  fakes = installFakeHosts({
    'https://github.com': oauth.handler,
    'https://api.github.com': fakeGitHub(github),
    'https://gitlab.com': fakeGitLab(gitlab),
    'https://api.bitbucket.org': fakeBitbucketCloud(samples.bitbucketCloud),
    'https://bitbucket.launchpod.test': fakeBitbucketServer(samples.bitbucketServer),
    'https://eu.cluster.test': base.eu.handler,
  });
  await env.DB.exec('DELETE FROM sessions');
  await env.DB.exec('DELETE FROM session_tokens');
  h = {
    ...base,
    fakes,
    env: {
      ...base.env,
      HOST_TOKENS: JSON.stringify(hostTokens),
      OAUTH_CLIENTS: JSON.stringify({
        'github.com': { clientId: 'gh-id', clientSecret: 'gh-secret', userUrl: 'https://github.com/user' },
      }),
      TOKEN_KEYS: JSON.stringify({ k1: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) }),
      TOKEN_KEY_CURRENT: 'k1',
      SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
    },
  };
}
afterEach(() => fakes?.restore());

async function send(path: string, init: RequestInit = {}, cookie = ANON): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { cookie, ...(init.headers as Record<string, string>) },
    }),
    h.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** Everything an outsider can observe of a response. */
async function observed(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

async function register(repoUrl: string) {
  const response = await send('/api/v1/admin/projects', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ repoUrl }),
  });
  const body = (await response.json()) as { id: string; webhookSecret: string; visibility: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

/** A prebuild of `sha` built to `ready` by the queue consumer (with the launcher's server token) and signed events. */
async function readyPrebuild(projectId: string, sha: string): Promise<string> {
  const config = launcherConfig(h.env);
  if (!config.ok) throw new Error(config.error);
  const outcome = await runTrigger(
    { projectId, deliveryId: `d-${sha.slice(0, 8)}`, trigger: { kind: 'push', branch: 'main', sha } },
    {
      config: config.value,
      db: env.DB,
      cache: env.CACHE,
      resolvers,
      now: Date.now,
      http: { backoffMs: [0, 0] },
      clusterTimeoutMs: 1000,
    },
  );
  if (outcome.kind !== 'started') throw new Error(JSON.stringify(outcome));
  const status = (phase: WorkspaceStatus['phase']) => ({
    id: outcome.prebuildId,
    phase,
    url: `https://${outcome.prebuildId}.eu.cluster.test/`,
    updatedAt: new Date().toISOString(),
    ...(phase === 'stopped' && { snapshot: { prebuildId: outcome.prebuildId, sha } }),
  });
  expect((await clusterEvent(h, status('initializing'), 1)).status).toBe(200);
  expect((await clusterEvent(h, status('stopped'), 2)).status).toBe(200);
  expect((await getPrebuild(env.DB, outcome.prebuildId))?.state).toBe('ready');
  return outcome.prebuildId;
}

/** Signs in with GitHub through the fake OAuth server; answers the browser's cookie header. */
async function signIn(): Promise<string> {
  const jar = new Map<string, string>([['lp_owner', ANON.slice('lp_owner='.length)]]);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  const start = keep(await send('/auth/github.com/sign-in?returnTo=%2F', {}, cookie()));
  expect(start.status).toBe(302);
  const approved = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = new URL(approved.headers.get('location') ?? '');
  const landed = keep(await send(callback.pathname + callback.search, {}, cookie()));
  expect(landed.status).toBe(302);
  expect(jar.has('lp_session')).toBe(true);
  return cookie();
}

const statusOf = (url: string) => `/api/v1/status?url=${encodeURIComponent(url)}`;
const badges = (url: string) => [
  `/badge.svg?url=${encodeURIComponent(url)}`,
  `/badge/prebuild.svg?url=${encodeURIComponent(url)}`,
];

describe('a private project looks exactly like no project', () => {
  beforeEach(async () => {
    await setUpPrivate({ 'github.com': 'server-token' });
  });

  it('status API and both badges: the same whole responses as a repository that is no project', async () => {
    const project = await register(privateUrl);
    expect(project.visibility).toBe('private');
    const id = await readyPrebuild(project.id, main);

    for (const [mine, unknown] of [
      [privateUrl, unknownUrl],
      [`${privateUrl}/tree/main`, `${unknownUrl}/tree/main`],
      [`${privateUrl}/commit/${main}`, `${unknownUrl}/commit/${main}`],
      [`${privateUrl}/pull/1`, `${unknownUrl}/pull/1`],
    ]) {
      const hidden = await observed(await send(statusOf(String(mine))));
      expect(hidden).toEqual(await observed(await send(statusOf(String(unknown)))));
      expect(JSON.parse(hidden.body)).toEqual({ launchable: true, prebuild: { state: 'none' } });
      expect(hidden.body).not.toContain(main);
      for (const [badge, unknownBadge] of badges(String(mine)).map(
        (path, i) => [path, badges(String(unknown))[i] ?? ''] as const,
      )) {
        const drawn = await observed(await send(badge));
        expect(drawn).toEqual(await observed(await send(unknownBadge)));
        expect(drawn.body).not.toContain('ready');
        // A cached copy revalidates exactly like the unknown repository's.
        const etag = new Headers(drawn.headers).get('etag') ?? '';
        const revalidated = await observed(await send(badge, { headers: { 'if-none-match': etag } }));
        expect(revalidated.status).toBe(304);
        expect(revalidated).toEqual(
          await observed(await send(unknownBadge, { headers: { 'if-none-match': etag } })),
        );
      }
    }

    // The prebuild is really there: the same project made public shows it on every one of them.
    await setProjectVisibility(env.DB, project.id, 'public');
    expect(await (await send(statusOf(`${privateUrl}/commit/${main}`))).json()).toMatchObject({
      prebuild: { state: 'ready', id, sha: main },
    });
    for (const badge of badges(privateUrl)) expect(await (await send(badge)).text()).toContain('ready');
  });

  it("a prebuild's state and log URL: unknown to strangers and to users who cannot read it, shown to one who can", async () => {
    const project = await register(privateUrl);
    const id = await readyPrebuild(project.id, main);
    const unknown = await observed(await send(`/api/v1/prebuilds/${UNKNOWN_PREBUILD}`));
    expect(unknown.status).toBe(404);
    const anonymous = await observed(await send(`/api/v1/prebuilds/${id}`));
    expect(anonymous).toEqual(unknown);
    expect(anonymous.body).not.toContain('eu.cluster.test');

    // Alice's own GitHub token reads private-app: her start page can follow the prebuild she is waiting for.
    const alice = await signIn();
    fakes.reset();
    const shown = await send(`/api/v1/prebuilds/${id}`, {}, alice);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({
      id,
      state: 'ready',
      sha: main,
      logUrl: `https://${id}.eu.cluster.test/`,
    });
    const asked = fakes.requests.filter((r) => r.url.startsWith('https://api.github.com/'));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.headers.get('authorization')?.includes('user-token-alice'))).toBe(true);
    // Polled again (every 2 s while waiting): answered from the cache, no host request.
    fakes.reset();
    expect((await send(`/api/v1/prebuilds/${id}`, {}, alice)).status).toBe(200);
    expect(fakes.requests).toHaveLength(0);
    // The status API and badges stay anonymous and cacheable: "none" even for her.
    const status = await observed(await send(statusOf(privateUrl), {}, alice));
    expect(JSON.parse(status.body)).toEqual({ launchable: true, prebuild: { state: 'none' } });
    // A forged session cookie is no session.
    const forged = alice.replace(/lp_session=[^;]+/, 'lp_session=forged.sig');
    expect(await observed(await send(`/api/v1/prebuilds/${id}`, {}, forged))).toEqual(
      await observed(await send(`/api/v1/prebuilds/${UNKNOWN_PREBUILD}`, {}, forged)),
    );
  });

  it('a signed-in user whose token cannot read the repository sees an unknown prebuild', async () => {
    await setUpPrivate({ 'github.com': 'server-token' }, 'bob');
    const project = await register(privateUrl);
    const id = await readyPrebuild(project.id, main);
    const bob = await signIn();
    expect(await observed(await send(`/api/v1/prebuilds/${id}`, {}, bob))).toEqual(
      await observed(await send(`/api/v1/prebuilds/${UNKNOWN_PREBUILD}`, {}, bob)),
    );
  });

  it("a public project's status, badges and prebuild are unchanged", async () => {
    const project = await register(publicUrl);
    expect(project.visibility).toBe('public');
    const sha = (samples.github.repos[0] as FakeRepo).branches.main ?? '';
    const id = await readyPrebuild(project.id, sha);
    expect(await (await send(statusOf(`${publicUrl}/tree/main`))).json()).toMatchObject({
      launchable: true,
      prebuild: { state: 'ready', id, sha },
    });
    for (const badge of badges(publicUrl)) {
      const drawn = await send(badge);
      expect(drawn.headers.get('cache-control')).toBe('public, max-age=60');
      expect(await drawn.text()).toContain('ready');
    }
    const prebuild = await send(`/api/v1/prebuilds/${id}`);
    expect(prebuild.status).toBe(200);
    expect(await prebuild.json()).toMatchObject({ id, logUrl: `https://${id}.eu.cluster.test/` });
  });
});

describe("the launcher's server token never opens a private repository to a visitor", () => {
  it('a visitor who has not signed in meets a private repository as not found, may be private', async () => {
    await setUpPrivate({
      'github.com': 'server-token',
      'gitlab.com': 'server-token',
    });
    for (const [repo, label] of [
      ['https://github.com/launchpod-samples/private-app', 'GitHub'],
      ['https://gitlab.com/launchpod-samples/platform/backend/private-app', 'GitLab'],
    ] as const) {
      // The server token can read it (the host answers it) …
      const resolved = await send('/api/v1/resolve', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ url: repo }),
      });
      const problem = (await resolved.json()) as { title?: string; detail?: string };
      // … yet the visitor gets what an anonymous visitor gets.
      expect(resolved.status, JSON.stringify(problem)).toBe(404);
      expect(problem.detail).toContain(`It may be private: sign in with ${label}`);
      const page = await send(`/${repo}`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain(`Sign in with ${label}`);
    }
    // Public repositories still resolve with the server token.
    const open = await send('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ url: 'https://github.com/launchpod-samples/node-app' }),
    });
    expect(open.status).toBe(200);
  });
});

describe('visibility is learned from the host at registration', () => {
  it.each([
    ['GitHub anonymously (REST `private`)', {}, `${GITHUB}/node-app`, 'public'],
    ['GitHub anonymously: a repository it will not show', {}, `${GITHUB}/private-app`, 'private'],
    [
      'GitHub with a server token (GraphQL `isPrivate`)',
      { 'github.com': 'server-token' },
      publicUrl,
      'public',
    ],
    [
      'GitHub with a server token that reads the private repository',
      { 'github.com': 'server-token' },
      privateUrl,
      'private',
    ],
    ['GitLab anonymously (`visibility`)', {}, `${GITLAB}/node-app`, 'public'],
    ['GitLab anonymously: a project it will not show', {}, `${GITLAB}/private-app`, 'private'],
    [
      'GitLab with a server token that reads the private project',
      { 'gitlab.com': 'server-token' },
      `${GITLAB}/private-app`,
      'private',
    ],
  ] as const)('%s: %s → %s', async (_, tokens, repoUrl, visibility) => {
    await setUpPrivate(tokens);
    const created = await register(repoUrl);
    expect(created.visibility).toBe(visibility);
    expect((await getProject(env.DB, created.id))?.visibility).toBe(visibility);
    const list = await send('/api/v1/admin/projects', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await list.json()).toMatchObject({ projects: [{ id: created.id, visibility }] });
  });

  it.each([
    ['github.com', privateUrl, 'https://api.github.com/repos/launchpod-samples/private-app'],
    [
      'gitlab.com',
      `${GITLAB}/private-app`,
      `https://gitlab.com/api/v4/projects/${encodeURIComponent('launchpod-samples/platform/backend/private-app')}`,
    ],
  ])(
    'reads the field, not whether the host answered: %s shows the private repository to the token',
    async (host, url, api) => {
      await setUpPrivate({ [host]: 'server-token' });
      // The host itself shows the repository to the server token.
      const shown = await fetch(api, { headers: { authorization: 'Bearer server-token' } });
      expect(shown.status).toBe(200);
      expect((await register(url)).visibility).toBe('private');
    },
  );

  it('refuses to guess when the host is down: 503, nothing registered', async () => {
    await setUpPrivate({});
    fakes.restore();
    fakes = installFakeHosts({ 'https://api.github.com': () => new Response('down', { status: 503 }) });
    const response = await send('/api/v1/admin/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ repoUrl: publicUrl }),
    });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('whether the repository is public');
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM projects').first('n')).toBe(0);
  });
});

describe('signed webhooks keep visibility current', () => {
  beforeEach(async () => {
    await setUpPrivate({ 'github.com': 'server-token' });
  });

  async function deliver(projectId: string, secret: string, event: string, payload: unknown, id: string) {
    const body = JSON.stringify(payload);
    return send(`/webhooks/github/${projectId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}`,
      },
      body,
    });
  }

  it('privatized hides at once; publicized shows again only when the host agrees', async () => {
    const project = await register(publicUrl);
    const sha = (samples.github.repos[0] as FakeRepo).branches.main ?? '';
    await readyPrebuild(project.id, sha);
    const repository = { full_name: 'launchpod-samples/node-app' };
    const privatized = await deliver(
      project.id,
      project.webhookSecret,
      'repository',
      { action: 'privatized', repository: { ...repository, private: true } },
      'r-1',
    );
    expect(privatized.status).toBe(202);
    expect((await getProject(env.DB, project.id))?.visibility).toBe('private');
    expect(await (await send(statusOf(publicUrl))).json()).toMatchObject({ prebuild: { state: 'none' } });
    // The host still calls node-app public, so "publicized" (or any push saying so) is believed after asking it.
    await deliver(
      project.id,
      project.webhookSecret,
      'repository',
      { action: 'publicized', repository: { ...repository, private: false } },
      'r-2',
    );
    expect((await getProject(env.DB, project.id))?.visibility).toBe('public');
    expect(await (await send(statusOf(publicUrl))).json()).toMatchObject({ prebuild: { state: 'ready' } });
  });

  it('a delivery that calls a private repository public (replayed, out of order) changes nothing', async () => {
    const project = await register(privateUrl);
    const push = await deliver(
      project.id,
      project.webhookSecret,
      'push',
      {
        ref: 'refs/heads/main',
        after: main,
        deleted: false,
        repository: { full_name: 'launchpod-samples/private-app', private: false },
      },
      'p-1',
    );
    expect(push.status).toBe(202);
    expect((await getProject(env.DB, project.id))?.visibility).toBe('private');
  });

  it('reads each family’s payload field', () => {
    expect(webhookVisibility('github', { repository: { private: true } })).toBe('private');
    expect(webhookVisibility('github', { repository: { private: false } })).toBe('public');
    expect(webhookVisibility('github', { zen: 'ping' })).toBeUndefined();
    expect(webhookVisibility('gitlab', { project: { visibility_level: 20 } })).toBe('public');
    expect(webhookVisibility('gitlab', { project: { visibility_level: 10 } })).toBe('private');
    expect(webhookVisibility('gitlab', { project: { visibility_level: 0 } })).toBe('private');
    expect(webhookVisibility('bitbucket-cloud', { repository: { is_private: false } })).toBe('public');
    expect(webhookVisibility('bitbucket-cloud', { repository: { is_private: true } })).toBe('private');
    expect(webhookVisibility('bitbucket-server', { repository: { public: true } })).toBe('public');
    expect(
      webhookVisibility('bitbucket-server', { pullRequest: { toRef: { repository: { public: false } } } }),
    ).toBe('private');
    expect(webhookVisibility('bitbucket-server', { test: true })).toBeUndefined();
  });
});

describe('migration 0004', () => {
  it('makes every project registered before it private', async () => {
    await setUpPrivate({});
    const migrations = env.TEST_MIGRATIONS ?? [];
    const before = migrations.find((m) => m.name.startsWith('0002_'));
    const visibility = migrations.find((m) => m.name.startsWith('0004_'));
    const createProjects = before?.queries.find((q) => q.includes('CREATE TABLE projects ('));
    expect(createProjects).toBeDefined();
    expect(visibility?.queries.length).toBeGreaterThan(0);
    // The schema as 0002 left it, with a row in it, then 0004 applied to that table.
    const table = 'projects_before_0004';
    await env.DB.exec(`DROP TABLE IF EXISTS ${table}`);
    await env.DB.prepare(
      String(createProjects).replace('CREATE TABLE projects (', `CREATE TABLE ${table} (`),
    ).run();
    await env.DB.prepare(
      `INSERT INTO ${table} (id, repo_key, host, family, owner, name, webhook_secret, branch_strategy, branch_globs,
         pull_requests, pull_requests_from_forks, commit_interval, created_at)
       VALUES ('prj-old', 'github.com/launchpod-samples/node-app', 'github.com', 'github', 'launchpod-samples',
         'node-app', 'secret-0123456789', 'default-branch', '[]', 1, 0, 0, 0)`,
    ).run();
    for (const query of visibility?.queries ?? [])
      await env.DB.prepare(query.replace(/ALTER TABLE projects\b/, `ALTER TABLE ${table}`)).run();
    expect(
      await env.DB.prepare(`SELECT visibility FROM ${table} WHERE id = 'prj-old'`).first('visibility'),
    ).toBe('private');
    await env.DB.exec(`DROP TABLE ${table}`);

    // And such a row, holding a ready prebuild of a public repository, shows nothing until the host is asked again.
    await env.DB.prepare(
      `INSERT INTO projects (id, repo_key, host, family, owner, name, webhook_secret, branch_strategy, branch_globs,
         pull_requests, pull_requests_from_forks, commit_interval, created_at)
       VALUES ('prj-old', 'github.com/launchpod-samples/node-app', 'github.com', 'github', 'launchpod-samples',
         'node-app', 'secret-0123456789', 'default-branch', '[]', 1, 0, 0, 0)`,
    ).run();
    expect((await getProject(env.DB, 'prj-old'))?.visibility).toBe('private');
    const sha = (samples.github.repos[0] as FakeRepo).branches.main ?? '';
    await readyPrebuild('prj-old', sha);
    expect(await observed(await send(statusOf(publicUrl)))).toEqual(
      await observed(await send(statusOf(unknownUrl))),
    );

    // The admin asks the host again: public, and its ready prebuild shows.
    const refresh = (id: string, token = ADMIN_TOKEN) =>
      send(`/api/v1/admin/projects/${id}/visibility`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await refresh('prj-old', 'wrong-token')).status).toBe(401);
    expect((await refresh('prj-none')).status).toBe(404);
    const refreshed = await refresh('prj-old');
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ id: 'prj-old', visibility: 'public' });
    expect((await getProject(env.DB, 'prj-old'))?.visibility).toBe('public');
    expect(await (await send(statusOf(publicUrl))).json()).toMatchObject({
      prebuild: { state: 'ready', sha },
    });
  });
});
