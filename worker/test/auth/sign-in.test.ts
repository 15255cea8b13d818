// Sign-in end to end inside workerd, against fake OAuth servers and fake host APIs: a private repository's launch
// offers "sign in with <host>", the OAuth dance (PKCE checked by the fake) lands back on the same launch, the user's
// token resolves and starts the workspace with a one-time clone credential (a public repository gets none); sign-out
// revokes at the hosts that allow it, so the host itself refuses the token afterwards. Plus the hostile cases.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeAzureDevops } from '../../../dev/fakes/azure-devops.ts';
import { fakeBitbucketCloud } from '../../../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../../../dev/fakes/bitbucket-server.ts';
import { type FakeCluster, fakeCluster } from '../../../dev/fakes/cluster.ts';
import { fakeGitea } from '../../../dev/fakes/gitea.ts';
import { fakeGitHub } from '../../../dev/fakes/github.ts';
import { fakeGitLab } from '../../../dev/fakes/gitlab.ts';
import type { FakeHostData } from '../../../dev/fakes/model.ts';
import { AZURE_DEVOPS_CODE_SCOPE, type FakeOAuth, fakeOAuth } from '../../../dev/fakes/oauth.ts';
import { samples } from '../../../dev/fakes/sample-data.ts';
import { credentialRedemptionBody, EVENT_HEADERS, signEvent } from '../../../shared/cluster-contract.ts';
import { createApp } from '../../src/app.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const GHE = 'ghe.launchpod.test';
const SECRET = 'eu-secret-0123456789';
const KEY = btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)));
let clock = 1_800_000_000_000;
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000, now: () => clock });

const copy = (d: FakeHostData): FakeHostData => ({ ...d, tokens: { ...d.tokens } });
let data: {
  github: FakeHostData;
  ghe: FakeHostData;
  gitlab: FakeHostData;
  bitbucketCloud: FakeHostData;
  bitbucketServer: FakeHostData;
  codeberg: FakeHostData;
  azure: FakeHostData;
};
let oauth: {
  github: FakeOAuth;
  ghe: FakeOAuth;
  gitlab: FakeOAuth;
  bitbucket: FakeOAuth;
  codeberg: FakeOAuth;
  azure: FakeOAuth;
};
/** GitHub's API host does not answer (sign-out must still sign out). */
let githubDown = false;
let cluster: FakeCluster;
let fakes: FakeHosts;
let testEnv: Env;
let logs: string[];

function setUp(overrides: { expiresIn?: number; deny?: boolean } = {}) {
  fakes?.restore();
  githubDown = false;
  data = {
    github: copy(samples.github),
    ghe: { ...copy(samples.github), hostname: GHE },
    gitlab: copy(samples.gitlab),
    bitbucketCloud: copy(samples.bitbucketCloud),
    bitbucketServer: copy(samples.bitbucketServer),
    codeberg: copy(samples.codeberg),
    azure: copy(samples.azure),
  };
  const common = { tokens: 'fresh' as const, ...overrides };
  oauth = {
    github: fakeOAuth({
      family: 'github',
      data: data.github,
      clientId: 'gh-id',
      clientSecret: 'gh-secret',
      ...common,
    }),
    ghe: fakeOAuth({
      family: 'github',
      data: data.ghe,
      clientId: 'ghe-id',
      clientSecret: 'ghe-secret',
      ...common,
    }),
    gitlab: fakeOAuth({
      family: 'gitlab',
      data: data.gitlab,
      clientId: 'gl-id',
      clientSecret: 'gl-secret',
      ...common,
    }),
    bitbucket: fakeOAuth({
      family: 'bitbucket-cloud',
      data: data.bitbucketCloud,
      clientId: 'bb-id',
      clientSecret: 'bb-secret',
      ...common,
    }),
    codeberg: fakeOAuth({
      family: 'gitea',
      data: data.codeberg,
      clientId: 'cb-id',
      clientSecret: 'cb-secret',
      ...common,
    }),
    azure: fakeOAuth({
      family: 'azure-devops',
      data: data.azure,
      clientId: 'az-id',
      clientSecret: 'az-secret',
      ...common,
    }),
  };
  const codebergApi = fakeGitea(data.codeberg);
  const gitlabApi = fakeGitLab(data.gitlab);
  const githubApi = fakeGitHub(data.github);
  cluster = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: SECRET,
    origin: 'https://eu.cluster.test',
  });
  fakes = installFakeHosts({
    'https://github.com': oauth.github.handler,
    // GitHub revokes on its API host (`DELETE /applications/{client_id}/token`); the fake OAuth server answers it.
    'https://api.github.com': (r) => {
      if (!new URL(r.url).pathname.startsWith('/applications/')) return githubApi(r);
      if (githubDown) throw new TypeError('fetch failed: connection refused');
      return oauth.github.handler(r);
    },
    // GitHub Enterprise: OAuth on its site, the API (and so revocation) under /api/v3.
    [`https://${GHE}`]: oauth.ghe.handler,
    // GitLab serves OAuth and its API on one origin.
    'https://gitlab.com': (r) =>
      /^\/(oauth\/|user$)/.test(new URL(r.url).pathname) ? oauth.gitlab.handler(r) : gitlabApi(r),
    'https://bitbucket.org': oauth.bitbucket.handler,
    'https://api.bitbucket.org': fakeBitbucketCloud(data.bitbucketCloud),
    'https://bitbucket.launchpod.test': fakeBitbucketServer(data.bitbucketServer),
    // Codeberg (Forgejo) serves OAuth2 and its API v1 on one origin.
    'https://codeberg.org': (r) =>
      /^\/(login\/oauth\/|user$)/.test(new URL(r.url).pathname) ? oauth.codeberg.handler(r) : codebergApi(r),
    // Azure DevOps Services: Microsoft Entra ID signs in, the profile service names the user, dev.azure.com serves
    // the API — each at its real origin, so the launcher's built-in endpoints are the ones exercised.
    'https://login.microsoftonline.com': oauth.azure.handler,
    'https://app.vssps.visualstudio.com': oauth.azure.handler,
    'https://dev.azure.com': fakeAzureDevops(data.azure),
    'https://eu.cluster.test': cluster.handler,
  });
}

beforeEach(async () => {
  setUp();
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: JSON.stringify([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]),
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': SECRET }),
    OAUTH_CLIENTS: JSON.stringify({
      'github.com': { clientId: 'gh-id', clientSecret: 'gh-secret', userUrl: 'https://github.com/user' },
      'gitlab.com': { clientId: 'gl-id', clientSecret: 'gl-secret', userUrl: 'https://gitlab.com/user' },
      'bitbucket.org': {
        clientId: 'bb-id',
        clientSecret: 'bb-secret',
        userUrl: 'https://bitbucket.org/user',
      },
      'codeberg.org': { clientId: 'cb-id', clientSecret: 'cb-secret', userUrl: 'https://codeberg.org/user' },
      'dev.azure.com': { clientId: 'az-id', clientSecret: 'az-secret' },
    }),
    TOKEN_KEYS: JSON.stringify({ k1: KEY }),
    TOKEN_KEY_CURRENT: 'k1',
    SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  for (const table of [
    'workspaces',
    'sessions',
    'session_tokens',
    'oauth_states',
    'clone_credentials',
    'rate_limits',
  ])
    await env.DB.exec(`DELETE FROM ${table}`);
  logs = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
});

afterEach(() => {
  fakes.restore();
  vi.restoreAllMocks();
});

/** A browser: a cookie jar and manual redirects. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly ip = '203.0.113.7') {}
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string, headers: Record<string, string> = {}) {
    return this.send(path, { headers });
  }
  async send(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(path.startsWith('http') ? path : `${ORIGIN}${path}`, {
        ...init,
        redirect: 'manual',
        headers: {
          cookie: this.header(),
          'cf-connecting-ip': this.ip,
          ...(init.headers as Record<string, string>),
        },
      }),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
    return response;
  }
  /** Follows the launcher's sign-in redirect through the fake host's authorize page; answers the callback URL. */
  async authorize(signInPath: string): Promise<string> {
    const start = await this.get(signInPath);
    expect(start.status).toBe(302);
    const authorize = start.headers.get('location') ?? '';
    const answer = await fetch(authorize, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    return answer.headers.get('location') ?? '';
  }
  async signIn(host: string, returnTo: string) {
    const callback = await this.authorize(`/auth/${host}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    expect(callback.startsWith(`${ORIGIN}/auth/${host}/callback?`)).toBe(true);
    return this.get(callback);
  }
  /** Signs out with the sign-in page's form; answers the page the launcher lands on, as text. */
  async signOut(): Promise<string> {
    const csrf =
      /name="csrf" value="([^"]+)"/.exec(await (await this.get('/auth/sign-in')).text())?.[1] ?? '';
    const out = await this.send('/auth/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(out.status).toBe(303);
    const landed = out.headers.get('location') ?? '';
    expect(landed.startsWith('/auth/sign-in?signedOut=1')).toBe(true);
    return (await this.get(landed)).text();
  }
  /** `POST /api/v1/workspaces` for a context URL; answers the start request the cluster received. */
  async launch(url: string) {
    const before = cluster.started.length;
    const response = await this.send('/api/v1/workspaces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ url }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(cluster.started).toHaveLength(before + 1);
    return cluster.started[before];
  }
}

/** The cluster redeeming a credential URL, signed with its own secret (or another), as the reference cluster does. */
function redeem(url: string, clusterName = 'eu-1', secret = SECRET, body = credentialRedemptionBody(url)) {
  const ts = Math.floor(clock / 1000);
  return new Browser('10.0.0.1').send(url, {
    method: 'POST',
    body,
    headers: {
      [EVENT_HEADERS.cluster]: clusterName,
      [EVENT_HEADERS.timestamp]: String(ts),
      [EVENT_HEADERS.signature]: signEvent(secret, ts, body),
    },
  });
}

/** Whether the host's own API accepts a token (the fake GitHub API answers 401 "Bad credentials" when not). */
async function githubAccepts(token: string): Promise<number> {
  const response = await fetch('https://api.github.com/repos/launchpod-samples/private-app', {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  await response.body?.cancel();
  return response.status;
}

const countRows = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n;

const privateLaunch = '/https://github.com/launchpod-samples/private-app';
const issuedTokens = () => Object.keys(data.github.tokens).filter((t) => t.startsWith('github-at-'));

describe('GitHub sign-in for a private repository', () => {
  it('offers sign-in on the private repo, lands back on the same launch, opens it with a one-time clone credential', async () => {
    const browser = new Browser();
    const refused = await browser.get(privateLaunch);
    expect(refused.status).toBe(404);
    const page = await refused.text();
    expect(page).toContain('Sign in with GitHub to open this private repository');
    const link = `/auth/github.com/sign-in?returnTo=${encodeURIComponent(privateLaunch)}`;
    expect(page).toContain(`href="${link.replace(/&/g, '&amp;')}"`);

    const start = await browser.get(link);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('repo');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/auth/github.com/callback`);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('lp_session='));
    expect(cookie).toMatch(/lp_session=[^;]+; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax/);

    const back = await fetch(authorize.href, { redirect: 'manual' });
    const landed = await browser.get(back.headers.get('location') ?? '');
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe(privateLaunch);

    const opened = await browser.get(`${privateLaunch}?autostart=false`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('private-app');

    const started = await browser.send('/api/v1/workspaces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ url: 'https://github.com/launchpod-samples/private-app' }),
    });
    expect(started.status).toBe(201);
    const request = cluster.started[0];
    expect(request?.owner.id).toBe('user:github.com:1001');
    expect(request?.credentialUrl).toMatch(new RegExp(`^${ORIGIN}/auth/clone-credentials/[\\w-]{43}$`));
    const [token] = issuedTokens();
    expect(token).toBeDefined();
    expect(JSON.stringify(request)).not.toContain(String(token));

    // The token is stored sealed, with its key id, never in plain text; and never logged.
    const stored = await env.DB.prepare('SELECT access_token, refresh_token FROM session_tokens').all<{
      access_token: string;
      refresh_token: string;
    }>();
    expect(stored.results[0]?.access_token).toMatch(/^v1\.k1\./);
    expect(JSON.stringify(stored.results)).not.toContain(String(token));
    expect(logs.join('\n')).not.toContain(String(token));

    // The cluster redeems the URL once, signed with its own secret.
    const url = String(request?.credentialUrl);
    const unsigned = await browser.send(url, { method: 'POST' });
    expect(unsigned.status).toBe(401);
    const forged = await redeem(url, 'eu-1', 'not-the-secret-0000');
    expect(forged.status).toBe(401);
    const first = await redeem(url);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ username: 'x-access-token', password: token });
    const second = await redeem(url);
    expect(second.status).toBe(410);
  });

  it('refuses a credential URL redeemed by another cluster, or after it expired', async () => {
    testEnv = {
      ...testEnv,
      CLUSTERS: JSON.stringify([
        {
          name: 'eu-1',
          baseUrl: 'https://eu.cluster.test',
          region: 'europe',
          latitude: 50.1,
          longitude: 8.7,
        },
        { name: 'us-1', baseUrl: 'https://us.cluster.test', region: 'us', latitude: 39, longitude: -77 },
      ]),
      CLUSTER_SECRETS: JSON.stringify({ 'eu-1': SECRET, 'us-1': 'us-secret-0123456789' }),
    };
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    const launch = async () => {
      const response = await browser.send('/api/v1/workspaces', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, cf: '' },
        body: JSON.stringify({
          url: 'https://github.com/launchpod-samples/private-app',
          options: { region: 'europe' },
        }),
      });
      expect(response.status).toBe(201);
      return String(cluster.started.at(-1)?.credentialUrl);
    };
    const url = await launch();
    const other = await redeem(url, 'us-1', 'us-secret-0123456789');
    expect(other.status).toBe(404);
    // Still good for the cluster it was minted for: the other cluster's attempt did not burn it.
    clock += 6 * 60_000;
    const late = await redeem(url);
    expect(late.status).toBe(410);
  });

  it('refuses a redemption signed for another credential, and one whose signature names no credential', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    await browser.launch('https://github.com/launchpod-samples/private-app');
    await browser.launch('https://github.com/launchpod-samples/private-app');
    const [first, second] = cluster.started.map((r) => String(r.credentialUrl));
    // A signed request captured on its way to the first credential, replayed at the second within the tolerance.
    const captured = credentialRedemptionBody(String(first));
    expect((await redeem(String(second), 'eu-1', SECRET, captured)).status).toBe(401);
    expect((await redeem(String(second), 'eu-1', SECRET, '')).status).toBe(401);
    const right = await redeem(String(second));
    expect(right.status).toBe(200);
  });
});

describe('GitHub sign-in with a Codespaces backend', () => {
  it("asks for GitHub's codespace permission beside repo, only when a Codespaces backend is configured", async () => {
    const scopeOf = async () => {
      const start = await new Browser().get('/auth/github.com/sign-in?returnTo=%2F');
      expect(start.status).toBe(302);
      return new URL(start.headers.get('location') ?? '').searchParams.get('scope');
    };
    expect(await scopeOf()).toBe('repo');
    const clusters = JSON.parse(testEnv.CLUSTERS) as unknown[];
    testEnv = {
      ...testEnv,
      CLUSTERS: JSON.stringify([...clusters, { name: 'codespaces', kind: 'codespaces' }]),
    };
    expect(await scopeOf()).toBe('repo codespace');
  });
});

describe('the API on a private repository', () => {
  it('answers a problem with the sign-in path, back to the start page', async () => {
    const response = await new Browser().send('/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ url: 'https://github.com/launchpod-samples/private-app' }),
    });
    expect(response.status).toBe(404);
    const problem = (await response.json()) as Record<string, unknown>;
    const back = `/start?url=${encodeURIComponent('https://github.com/launchpod-samples/private-app')}`;
    expect(problem).toMatchObject({
      code: 'repo-not-found',
      maybePrivate: true,
      signIn: `/auth/github.com/sign-in?returnTo=${encodeURIComponent(back)}`,
    });
  });
});

describe('workspace owner', () => {
  it("is the signed-in user: quickstart finds the user's workspace from another session, never another browser's", async () => {
    const launch = (browser: Browser, quickstart: boolean) =>
      browser.send('/api/v1/workspaces', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          url: 'https://github.com/launchpod-samples/node-app',
          options: { quickstart },
        }),
      });
    const laptop = new Browser();
    await laptop.signIn('github.com', '/');
    const first = (await (await launch(laptop, false)).json()) as { id: string };

    const phone = new Browser('203.0.113.8');
    await phone.signIn('github.com', '/');
    const resumed = await launch(phone, true);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { id: string }).id).toBe(first.id);
    expect((await phone.get(`/api/v1/workspaces/${first.id}`)).status).toBe(200);

    const stranger = new Browser('203.0.113.9');
    expect((await launch(stranger, true)).status).toBe(201);
    expect((await stranger.get(`/api/v1/workspaces/${first.id}`)).status).toBe(404);
    expect(cluster.started.map((r) => r.owner.id)).toEqual([
      'user:github.com:1001',
      expect.stringMatching(/^anon-/),
    ]);
  });
});

describe('hostile sign-ins', () => {
  it('identifies a Bitbucket Server user by asking the server who the token is, never a form field', async () => {
    /** Signs in with a pasted token and a hidden `username` field the page never asked for. */
    const pasteToken = async (browser: Browser, token: string, username: string) => {
      const html = await (await browser.get('/auth/bitbucket.launchpod.test/sign-in?returnTo=/')).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const posted = await browser.send('/auth/bitbucket.launchpod.test/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ csrf, token, returnTo: '/', username }).toString(),
      });
      expect(posted.status).toBe(303);
    };
    const launch = (browser: Browser, quickstart: boolean) =>
      browser.send('/api/v1/workspaces', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          url: 'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse',
          options: { quickstart },
        }),
      });
    const alice = new Browser('203.0.113.20');
    await pasteToken(alice, 'user-token-alice', 'bob');
    expect(await (await alice.get('/auth/sign-in')).text()).toContain('alice');
    const hers = (await (await launch(alice, false)).json()) as { id: string };

    // Any valid token with `username=alice` used to sign in as alice, and so see her workspaces.
    const bot = new Browser('203.0.113.21');
    await pasteToken(bot, 'server-token', 'alice');
    const page = await (await bot.get('/auth/sign-in')).text();
    expect(page).toContain('launchpod-bot');
    expect(page).not.toContain('alice');
    expect((await bot.get(`/api/v1/workspaces/${hers.id}`)).status).toBe(404);
    expect((await launch(bot, true)).status).toBe(201);
    expect(cluster.started.map((r) => r.owner.id)).toEqual([
      'user:bitbucket.launchpod.test:1001',
      'user:bitbucket.launchpod.test:1002',
    ]);
  });

  it('refuses a wrong, missing or foreign state, and a replayed callback or code', async () => {
    const browser = new Browser();
    const callback = new URL(await browser.authorize('/auth/github.com/sign-in?returnTo=/'));
    const code = callback.searchParams.get('code') ?? '';

    const wrong = await browser.get(`/auth/github.com/callback?code=${code}&state=not-the-state`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('could not be finished');
    const missing = await browser.get(`/auth/github.com/callback?code=${code}`);
    expect(missing.status).toBe(401);

    // Another browser (its own session) cannot finish this browser's sign-in.
    const attacker = new Browser('198.51.100.9');
    await attacker.authorize('/auth/github.com/sign-in?returnTo=/');
    const foreign = await attacker.get(callback.pathname + callback.search);
    expect(foreign.status).toBe(401);
    // The foreign attempt consumed the state: the real one now fails too rather than being fixable by replay.
    const replayed = await browser.get(callback.pathname + callback.search);
    expect(replayed.status).toBe(401);

    // A code replayed with a fresh state is refused by the host (and the launcher shows it, no stack trace).
    const fresh = new URL(await browser.authorize('/auth/github.com/sign-in?returnTo=/'));
    const ok = await browser.get(fresh.pathname + fresh.search);
    expect(ok.status).toBe(302);
    const again = new URL(await browser.authorize('/auth/github.com/sign-in?returnTo=/'));
    const reused = await browser.get(
      `/auth/github.com/callback?code=${fresh.searchParams.get('code')}&state=${again.searchParams.get('state')}`,
    );
    expect(reused.status).toBe(401);
    expect(await reused.text()).toContain('GitHub refused the sign-in');
    expect(oauth.github.log.map((l) => l.outcome)).toContain('replayed');
  });

  it('lands only on launcher paths, whatever returnTo says', async () => {
    for (const returnTo of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      // Each passes a check of the raw text and normalises to `//evil.example/`.
      '/.//evil.example/',
      '/..//evil.example/',
      '/%2e//evil.example/',
      '/a/..//evil.example/',
    ]) {
      const browser = new Browser();
      const landed = await browser.signIn('github.com', returnTo);
      expect(landed.status).toBe(302);
      expect(landed.headers.get('location')).toBe('/');
    }
  });

  it('lands the Bitbucket Server token form only on launcher paths, whatever returnTo says', async () => {
    for (const returnTo of ['/.//evil.example/', '/%2E%2E//evil.example/x', '//evil.example']) {
      const browser = new Browser();
      const html = await (await browser.get('/auth/bitbucket.launchpod.test/sign-in?returnTo=/')).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const posted = await browser.send('/auth/bitbucket.launchpod.test/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ csrf, token: 'user-token-alice', returnTo }).toString(),
      });
      expect(posted.status).toBe(303);
      expect(posted.headers.get('location')).toBe('/');
    }
  });

  it('gives the session a new id at sign-in, so a planted pre-sign-in cookie gains nothing', async () => {
    const victim = new Browser();
    const callback = await victim.authorize('/auth/github.com/sign-in?returnTo=/');
    const planted = victim.cookies.get('lp_session') ?? '';
    await victim.get(callback);
    expect(victim.cookies.get('lp_session')).not.toBe(planted);
    expect((await victim.get(`${privateLaunch}?autostart=false`)).status).toBe(200);
    const attacker = new Browser('198.51.100.10');
    attacker.cookies.set('lp_session', planted);
    const refused = await attacker.get(privateLaunch);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain('Sign in with GitHub to open this private repository');
  });

  it('treats a tampered session cookie as no session', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    const value = browser.cookies.get('lp_session') ?? '';
    const [id = '', signature = ''] = decodeURIComponent(value).split('.');
    browser.cookies.set(
      'lp_session',
      encodeURIComponent(`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${signature}`),
    );
    const refused = await browser.get(privateLaunch);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain('Sign in with GitHub to open this private repository');
  });

  it('refuses a cross-site sign-out and one without the form token; a real one deletes every token', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    const form = (csrf: string) => new URLSearchParams({ csrf }).toString();
    const headers = (origin: string) => ({ 'content-type': 'application/x-www-form-urlencoded', origin });
    const crossSite = await browser.send('/auth/sign-out', {
      method: 'POST',
      headers: headers('https://evil.example'),
      body: form('x'),
    });
    expect(crossSite.status).toBe(403);
    const noToken = await browser.send('/auth/sign-out', {
      method: 'POST',
      headers: headers(ORIGIN),
      body: form('x'),
    });
    expect(noToken.status).toBe(400);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM session_tokens').first<{ n: number }>())?.n).toBe(
      1,
    );

    const page = await (await browser.get('/auth/sign-in')).text();
    expect(page).toContain('Signed in with GitHub as');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const out = await browser.send('/auth/sign-out', {
      method: 'POST',
      headers: headers(ORIGIN),
      body: form(csrf),
    });
    expect(out.status).toBe(303);
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM session_tokens').first<{ n: number }>())?.n).toBe(
      0,
    );
    expect((await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions').first<{ n: number }>())?.n).toBe(0);
    expect((await browser.get(privateLaunch)).status).toBe(404);
  });

  it('says so when the user declines on the host', async () => {
    setUp({ deny: true });
    const browser = new Browser();
    const landed = await browser.signIn('github.com', privateLaunch);
    expect(landed.status).toBe(401);
    expect(await landed.text()).toContain('You declined access on GitHub');
  });

  it("shows a page, not a stack trace, when the host refuses the launcher's client", async () => {
    const clients = JSON.parse(testEnv.OAUTH_CLIENTS ?? '{}') as Record<string, Record<string, string>>;
    testEnv = {
      ...testEnv,
      OAUTH_CLIENTS: JSON.stringify({
        ...clients,
        'gitlab.com': { ...clients['gitlab.com'], clientSecret: 'wrong' },
      }),
    };
    const landed = await new Browser().signIn('gitlab.com', '/');
    expect(landed.status).toBe(401);
    expect(await landed.text()).toContain('GitLab did not accept this sign-in (invalid_client)');
  });

  it('rate-limits sign-in per client IP with a 429 page and Retry-After', async () => {
    const browser = new Browser('192.0.2.50');
    let last: Response | undefined;
    for (let i = 0; i < 21; i++) last = await browser.get('/auth/github.com/sign-in?returnTo=/');
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last?.text()).toContain('Too many requests');
    // Another network is not affected.
    expect((await new Browser('192.0.2.51').get('/auth/github.com/sign-in?returnTo=/')).status).toBe(302);
  });
});

describe('expiry, refresh and revocation', () => {
  it('refreshes an expired access token, and asks to sign in again once the grant is revoked', async () => {
    setUp({ expiresIn: 600 });
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    clock += 20 * 60_000;
    expect((await browser.get(`${privateLaunch}?autostart=false`)).status).toBe(200);
    expect(oauth.github.log.map((l) => l.outcome)).toContain('refreshed');

    oauth.github.revokeUser('alice');
    clock += 20 * 60_000;
    const revoked = await browser.get(privateLaunch);
    expect(revoked.status).toBe(401);
    const html = await revoked.text();
    expect(html).toContain('Sign in with GitHub again');
    expect(html).toContain(`returnTo=${encodeURIComponent(privateLaunch)}`);
  });

  it('asks to sign in again when the host rejects a stored token', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    for (const t of issuedTokens()) delete (data.github.tokens as Record<string, unknown>)[t];
    const rejected = await browser.get(privateLaunch);
    expect([401, 403]).toContain(rejected.status);
    expect(await rejected.text()).toContain('Sign in with GitHub again');
  });
});

describe('sign-out revokes the token at the host', () => {
  it('GitHub: deletes the app token on api.github.com, so GitHub itself refuses it afterwards', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', '/');
    const [token = ''] = issuedTokens();
    expect(await githubAccepts(token)).toBe(200);
    fakes.reset();

    const page = await browser.signOut();
    // GitHub's shape: DELETE on the API host, HTTP Basic with the OAuth app's id and secret, the token in a JSON body
    // (the fake answers 404 to other credentials and 422 to another body, so "revoked" proves all three).
    const revoke = fakes.requests.find((r) => r.url.startsWith('https://api.github.com/applications/'));
    expect(revoke).toMatchObject({
      method: 'DELETE',
      url: 'https://api.github.com/applications/gh-id/token',
    });
    expect(revoke?.headers.get('authorization')).toBe(`Basic ${btoa('gh-id:gh-secret')}`);
    expect(oauth.github.log).toContainEqual({ grant: 'revoke', outcome: 'revoked' });
    expect(await githubAccepts(token)).toBe(401);
    expect(await countRows('session_tokens')).toBe(0);
    expect(await countRows('sessions')).toBe(0);
    expect(page).toContain('You are signed out; every token this launcher stored was deleted.');
    expect(page).not.toContain('did not confirm');
    expect(logs.join('\n')).not.toContain(token);
  });

  it('GitHub Enterprise: revokes on its API base, /api/v3', async () => {
    const clients = JSON.parse(testEnv.OAUTH_CLIENTS ?? '{}') as Record<string, unknown>;
    testEnv = {
      ...testEnv,
      HOSTS: JSON.stringify([
        { hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' },
        { hostname: GHE, family: 'github' },
      ]),
      OAUTH_CLIENTS: JSON.stringify({
        ...clients,
        [GHE]: { clientId: 'ghe-id', clientSecret: 'ghe-secret', userUrl: `https://${GHE}/user` },
      }),
    };
    const browser = new Browser();
    const start = await browser.get(`/auth/${GHE}/sign-in?returnTo=/`);
    expect(start.headers.get('location')).toMatch(new RegExp(`^https://${GHE}/login/oauth/authorize\\?`));
    await browser.signIn(GHE, '/');
    const [token = ''] = Object.keys(data.ghe.tokens).filter((t) => t.startsWith('github-at-'));
    const user = async () =>
      (await fetch(`https://${GHE}/user`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await user()).toBe(200);

    await browser.signOut();
    expect(fakes.requests.map((r) => `${r.method} ${r.url}`)).toContain(
      `DELETE https://${GHE}/api/v3/applications/ghe-id/token`,
    );
    expect(oauth.ghe.log).toContainEqual({ grant: 'revoke', outcome: 'revoked' });
    expect(await user()).toBe(401);
  });

  it('signs out even when the host does not answer, and says where to check', async () => {
    const browser = new Browser();
    await browser.signIn('github.com', privateLaunch);
    const [token = ''] = issuedTokens();
    githubDown = true;

    const page = await browser.signOut();
    expect(await countRows('session_tokens')).toBe(0);
    expect(await countRows('sessions')).toBe(0);
    expect(browser.cookies.has('lp_session')).toBe(false);
    expect(page).toContain(
      'GitHub did not confirm that it revoked this launcher’s access: check https://github.com/settings/applications.',
    );
    expect(logs.join('\n')).toContain('sign-out: github.com did not revoke the token (unreachable)');
    expect(logs.join('\n')).not.toContain(token);
    // Our copy is gone: the private repository is closed to this browser again.
    expect((await browser.get(privateLaunch)).status).toBe(404);
  });

  it('Bitbucket Cloud has no revocation endpoint: forgets the token and says where to remove the app', async () => {
    const browser = new Browser();
    await browser.signIn('bitbucket.org', '/');
    fakes.reset();
    const page = await browser.signOut();
    expect(fakes.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await countRows('session_tokens')).toBe(0);
    expect(page).toContain(
      'Bitbucket offers no way for a launcher to revoke its access: remove it yourself at https://bitbucket.org/account/settings/app-authorizations/.',
    );
  });

  it('names only registered hosts on the signed-out page', async () => {
    const page = await (
      await new Browser().get('/auth/sign-in?signedOut=1&unrevoked=evil.example,%3Cscript%3E,github.com')
    ).text();
    expect(page).not.toContain('evil.example');
    expect(page).not.toContain('<script>');
    expect(page).toContain('check https://github.com/settings/applications');
  });
});

describe('clone credentials only where git needs them', () => {
  // Per host: how to sign in, a public and a private repository, and git's username for the token.
  const hosts = [
    {
      host: 'github.com',
      publicUrl: 'https://github.com/launchpod-samples/node-app',
      privateUrl: 'https://github.com/launchpod-samples/private-app',
      username: 'x-access-token',
      token: () => issuedTokens()[0],
    },
    {
      host: 'gitlab.com',
      publicUrl: 'https://gitlab.com/launchpod-samples/platform/backend/node-app',
      privateUrl: 'https://gitlab.com/launchpod-samples/platform/backend/private-app',
      username: 'oauth2',
      token: () => Object.keys(data.gitlab.tokens).find((t) => t.startsWith('gitlab-at-')),
    },
    {
      host: 'bitbucket.org',
      publicUrl: 'https://bitbucket.org/launchpod-samples/node-app',
      privateUrl: 'https://bitbucket.org/launchpod-samples/private-app',
      username: 'x-token-auth',
      token: () => Object.keys(data.bitbucketCloud.tokens).find((t) => t.startsWith('bitbucket-cloud-at-')),
    },
    {
      host: 'bitbucket.launchpod.test',
      publicUrl: 'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse',
      privateUrl: 'https://bitbucket.launchpod.test/projects/PLAT/repos/private-app/browse',
      username: 'alice',
      token: () => 'user-token-alice',
    },
  ] as const;

  async function signInWith(browser: Browser, host: string) {
    if (host !== 'bitbucket.launchpod.test') return browser.signIn(host, '/');
    const form = await (await browser.get(`/auth/${host}/sign-in?returnTo=/`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    return browser.send(`/auth/${host}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: new URLSearchParams({
        csrf,
        token: 'user-token-alice',
        username: 'alice',
        returnTo: '/',
      }).toString(),
    });
  }

  it.each(hosts)('$host: none for a public repository, one redeemable once for a private one', async (h) => {
    const browser = new Browser();
    await signInWith(browser, h.host);
    const token = h.token() ?? '';
    expect(token).not.toBe('');

    fakes.reset();
    const publicStart = await browser.launch(h.publicUrl);
    // The public repository was resolved with the user's own token — and still gets no credential.
    expect(
      // Octokit says `token <t>`, the other clients `Bearer <t>`.
      fakes.requests.some((r) => r.headers.get('authorization')?.split(' ')[1] === token),
      'resolved with the user token',
    ).toBe(true);
    expect(publicStart?.credentialUrl).toBeUndefined();
    expect(publicStart?.context.visibility).toBe('public');
    expect(await countRows('clone_credentials')).toBe(0);

    const privateStart = await browser.launch(h.privateUrl);
    expect(privateStart?.credentialUrl).toMatch(new RegExp(`^${ORIGIN}/auth/clone-credentials/[\\w-]{43}$`));
    expect(JSON.stringify(privateStart)).not.toContain(token);
    const url = String(privateStart?.credentialUrl);
    const first = await redeem(url);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ username: h.username, password: token });
    expect((await redeem(url)).status).toBe(410);
  });

  it('none for a launch resolved without the user’s token (not signed in with that host)', async () => {
    const browser = new Browser();
    await browser.signIn('gitlab.com', '/');
    const start = await browser.launch('https://github.com/launchpod-samples/node-app');
    expect(start?.credentialUrl).toBeUndefined();
    expect(await countRows('clone_credentials')).toBe(0);
  });
});

describe('GitLab, Bitbucket Cloud and Bitbucket Server', () => {
  it('signs in with GitLab (PKCE) and opens its private project; sign-out revokes at GitLab', async () => {
    const browser = new Browser();
    const launch = '/https://gitlab.com/launchpod-samples/platform/backend/private-app';
    expect((await browser.get(launch)).status).toBe(404);
    const landed = await browser.signIn('gitlab.com', launch);
    expect(landed.headers.get('location')).toBe(launch);
    expect((await browser.get(`${launch}?autostart=false`)).status).toBe(200);

    const [token = ''] = Object.keys(data.gitlab.tokens).filter((t) => t.startsWith('gitlab-at-'));
    const gitlabAccepts = async () => {
      const answer = await fetch(
        'https://gitlab.com/api/v4/projects/launchpod-samples%2Fplatform%2Fbackend%2Fprivate-app',
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      await answer.body?.cancel();
      return answer.status;
    };
    expect(await gitlabAccepts()).toBe(200);
    const page = await browser.signOut();
    expect(oauth.gitlab.log).toContainEqual({ grant: 'revoke', outcome: 'revoked' });
    // RFC 7009 at <site>/oauth/revoke, the client authenticated with HTTP Basic, the token only in the body.
    const revoke = fakes.requests.find((r) => r.url === 'https://gitlab.com/oauth/revoke');
    expect(revoke?.method).toBe('POST');
    expect(revoke?.headers.get('authorization')).toBe(`Basic ${btoa('gl-id:gl-secret')}`);
    expect(await gitlabAccepts()).toBe(401);
    expect(page).toContain('You are signed out; every token this launcher stored was deleted.');
    expect(page).not.toContain('gitlab.com/-/user_settings/applications');
  });

  it('signs in with Codeberg (Gitea/Forgejo OAuth2 with PKCE) and opens its private repository', async () => {
    const browser = new Browser();
    const launch = '/https://codeberg.org/launchpod-samples/private-app';
    expect((await browser.get(launch)).status).toBe(404);
    const start = await browser.get(`/auth/codeberg.org/sign-in?returnTo=${encodeURIComponent(launch)}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe('https://codeberg.org/login/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('read:repository read:user');
    const landed = await browser.signIn('codeberg.org', launch);
    expect(landed.headers.get('location')).toBe(launch);
    expect((await browser.get(`${launch}?autostart=false`)).status).toBe(200);
    expect(oauth.codeberg.log).toContainEqual({ grant: 'authorization_code', outcome: 'issued' });
  });

  it('signs in with Azure DevOps through Microsoft Entra ID (PKCE), opens its private repository, refreshes with the scopes again', async () => {
    setUp({ expiresIn: 600 });
    const browser = new Browser();
    const launch = '/https://dev.azure.com/launchpod/samples/_git/private-app';
    // Azure DevOps answers an anonymous read of a private project with its sign-in page (203), not a 404.
    const anonymous = await browser.get(launch);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('Sign in with Azure DevOps');
    const start = await browser.get(`/auth/dev.azure.com/sign-in?returnTo=${encodeURIComponent(launch)}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe(`${AZURE_DEVOPS_CODE_SCOPE} offline_access`);
    const landed = await browser.signIn('dev.azure.com', launch);
    expect(landed.headers.get('location')).toBe(launch);
    expect(oauth.azure.log).toContainEqual({ grant: 'authorization_code', outcome: 'issued' });
    // The user is named by the profile service (a preview API: asked for with its -preview version).
    const profile = fakes.requests.find((r) => r.url.startsWith('https://app.vssps.visualstudio.com/'));
    expect(profile?.url).toBe(
      'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1-preview.3',
    );
    expect(await (await browser.get('/auth/sign-in')).text()).toContain('alice@launchpod.test');
    expect((await browser.get(`${launch}?autostart=false`)).status).toBe(200);

    // Past the token's life, a refresh that names the scopes again (Entra's v2 endpoint refuses one without them).
    clock += 20 * 60_000;
    expect((await browser.get(`${launch}?autostart=false&again=1`)).status).toBe(200);
    expect(oauth.azure.log.map((l) => l.outcome)).toContain('refreshed');
    expect(oauth.azure.log.map((l) => l.outcome)).not.toContain('no_scope');
  });

  it('signs in with Bitbucket Cloud and opens its private repository', async () => {
    const browser = new Browser();
    const launch = '/https://bitbucket.org/launchpod-samples/private-app';
    expect((await browser.get(launch)).status).toBe(404);
    const landed = await browser.signIn('bitbucket.org', launch);
    expect(landed.headers.get('location')).toBe(launch);
    expect((await browser.get(`${launch}?autostart=false`)).status).toBe(200);
  });

  it('takes a Bitbucket Server access token on a page, refusing a wrong one', async () => {
    const browser = new Browser();
    const launch = '/https://bitbucket.launchpod.test/projects/PLAT/repos/private-app/browse';
    const form = await browser.get(
      `/auth/bitbucket.launchpod.test/sign-in?returnTo=${encodeURIComponent(launch)}`,
    );
    expect(form.status).toBe(200);
    const html = await form.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = (token: string) =>
      browser.send('/auth/bitbucket.launchpod.test/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
        body: new URLSearchParams({ csrf, token, returnTo: launch }).toString(),
      });
    const wrong = await post('not-a-real-token');
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('refused this token');
    const right = await post('user-token-alice');
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(launch);
    expect(logs.join('\n')).not.toContain('user-token-alice');
  });
});

describe('git inside a workspace, pushing as its owner', () => {
  /** The cluster asking for git's credentials for a workspace, signed like its events (or not). */
  function ask(workspace: string, host = 'github.com', secret = SECRET, clusterName = 'eu-1') {
    const ts = Math.floor(clock / 1000);
    const body = JSON.stringify({
      workspace,
      protocol: 'https',
      host,
      path: 'launchpod-samples/private-app.git',
    });
    return new Browser('10.0.0.1').send('/api/v1/cluster/git-credentials', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        [EVENT_HEADERS.cluster]: clusterName,
        [EVENT_HEADERS.timestamp]: String(ts),
        [EVENT_HEADERS.signature]: signEvent(secret, ts, body),
      },
    });
  }

  it("gets the owner's token for the workspace's host only once the owner allows it, per request", async () => {
    const alice = new Browser();
    await alice.signIn('github.com', '/');
    const request = await alice.launch('https://github.com/launchpod-samples/private-app');
    expect(request?.gitCredentialsUrl).toBe(`${ORIGIN}/api/v1/cluster/git-credentials`);
    const id = String(request?.id);

    // Not yet allowed: git hears where to allow it.
    const before = await ask(id);
    expect(before.status).toBe(403);
    expect(((await before.json()) as { message: string }).message).toBe(
      `allow git here to push as you first: open ${ORIGIN}/workspaces/${id}/git-access`,
    );
    const page = await (await alice.get(`/workspaces/${id}/git-access`)).text();
    expect(page).toContain('Let git in this workspace push as you?');
    expect(page).toContain('<strong id="git-access">not allowed</strong>');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    // Someone else cannot see or flip it; a form from another site neither.
    expect((await new Browser('198.51.100.9').get(`/workspaces/${id}/git-access`)).status).toBe(404);
    const form = (origin: string, token = csrf) =>
      alice.send(`/workspaces/${id}/git-access`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ csrf: token, allow: '1' }).toString(),
      });
    expect((await form('https://evil.example')).status).toBe(403);
    expect((await form(ORIGIN, 'wrong')).status).toBe(403);
    expect((await form(ORIGIN)).status).toBe(303);
    expect(await (await alice.get(`/workspaces/${id}/git-access`)).text()).toContain(
      '<strong id="git-access">allowed</strong>',
    );

    const granted = await ask(id);
    expect(granted.status).toBe(200);
    expect(granted.headers.get('cache-control')).toBe('no-store');
    const [token] = issuedTokens();
    expect(await granted.json()).toStrictEqual({ username: 'x-access-token', password: token });
    // Each request asks again; none of it is logged.
    expect((await ask(id)).status).toBe(200);
    expect(logs.join('\n')).not.toContain(String(token));

    // Another host, an unsigned or forged request, another cluster: nothing.
    const other = await ask(id, 'gitlab.com');
    expect(other.status).toBe(403);
    expect(((await other.json()) as { message: string }).message).toContain('https://github.com only');
    expect((await ask(id, 'github.com', 'not-the-secret-0000')).status).toBe(401);
    expect((await ask(id, 'github.com', SECRET, 'us-1')).status).toBe(401);
    expect((await ask('ws-unknown')).status).toBe(404);

    // Signing out ends it: the session's tokens are gone.
    await alice.signOut();
    const after = await ask(id);
    expect(after.status).toBe(403);
    expect(((await after.json()) as { message: string }).message).toContain('sign-in has ended');
  });

  it('gives a workspace started without signing in no way to ask', async () => {
    const visitor = new Browser();
    const request = await visitor.launch('https://github.com/launchpod-samples/node-app');
    expect(request?.gitCredentialsUrl).toBeUndefined();
    const refused = await ask(String(request?.id));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain('started without signing in');
  });
});
