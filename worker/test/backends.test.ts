// Backends as configuration: the same GitHub pull request through each kind lands on the right link or API call with
// the right branch/PR/commit; routing rules and the user's choice; what a backend cannot express is said before
// anything starts; API starts against fakes that speak Coder's /api/v2, Ona's Connect API and Codespaces' REST API,
// reusing a running workspace; errors with a way out; never a redirect off a registered origin.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCluster } from '../../dev/fakes/cluster.ts';
import { type FakeCoder, fakeCoder } from '../../dev/fakes/coder.ts';
import { type FakeCodespaces, fakeCodespaces } from '../../dev/fakes/codespaces.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { fakeGitLab } from '../../dev/fakes/gitlab.ts';
import { type FakeOna, fakeOna } from '../../dev/fakes/ona.ts';
import { samples } from '../../dev/fakes/sample-data.ts';
import { createApp } from '../src/app.ts';
import type { BackendConfig } from '../src/backends/backend.ts';
import { coderWorkspaceName } from '../src/backends/coder.ts';
import { codespacesBackend } from '../src/backends/codespaces.ts';
import { readConfig } from '../src/config.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });
const OWNER = 'lp_owner=anon-00000000-0000-4000-8000-000000000001';
const repo = 'https://github.com/launchpod-samples/node-app';
const sampleRepo = samples.github.repos[0];
const pr1 = sampleRepo?.pulls.find((p) => p.number === 1);
const commit = sampleRepo?.branches.main ?? '';

let fakes: FakeHosts;
let coder: FakeCoder;
let ona: FakeOna;
let codespaces: FakeCodespaces;
let testEnv: Env;

const BACKENDS = [
  { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
  { name: 'ona', kind: 'ona', apiUrl: 'https://ona-api.test/api', machine: 'standard' },
  { name: 'gitpod-corp', kind: 'gitpod', url: 'https://gitpod.corp.test', displayName: 'Gitpod (corp)' },
  { name: 'codespaces', kind: 'codespaces' },
  {
    name: 'coder',
    kind: 'coder',
    url: 'https://coder.corp.test',
    template: 'docker-dev',
    parameters: { repo_url: '{repo_url}', branch: '{branch}' },
  },
  { name: 'devpod', kind: 'devpod' },
];

function envWith(rules: unknown[] = [], clusters: unknown[] = BACKENDS): Env {
  return {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    CLUSTERS: JSON.stringify(clusters),
    BACKEND_RULES: JSON.stringify(rules),
    CLUSTER_SECRETS: JSON.stringify({
      'eu-1': 'eu-secret-0123456789',
      coder: 'coder-session-token',
      ona: 'ona-api-key',
    }),
  };
}

beforeEach(async () => {
  const eu = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: 'eu-secret-0123456789',
    origin: 'https://eu.cluster.test',
  });
  coder = fakeCoder({
    token: 'coder-session-token',
    user: 'launchpod-bot',
    templates: [{ name: 'docker-dev', parameters: ['repo_url', 'branch'] }],
  });
  ona = fakeOna({ apiKey: 'ona-api-key', machineClasses: ['standard'] });
  codespaces = fakeCodespaces(samples.github, fakeGitHub(samples.github), {
    allowedTokens: ['user-token-alice'],
  });
  fakes = installFakeHosts({
    'https://api.github.com': codespaces.handler,
    'https://gitlab.com': fakeGitLab(samples.gitlab),
    'https://eu.cluster.test': eu.handler,
    'https://coder.corp.test': coder.handler,
    'https://ona-api.test': ona.handler,
  });
  testEnv = envWith();
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  await env.DB.exec('DELETE FROM rate_limits');
});

afterEach(() => fakes.restore());

async function call(path: string, init: RequestInit = {}, environment = testEnv) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), environment, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const post = (path: string, body: unknown, environment = testEnv) =>
  call(
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: OWNER, origin: ORIGIN },
      body: JSON.stringify(body),
    },
    environment,
  );

interface PlanJson {
  backend: {
    name: string;
    kind: string;
    handoffUrl?: string;
    cannot: string[];
    opens: string;
    apiStart: boolean;
    why: string;
  };
  alternatives: { backend: string; cannot: string[] }[];
}

describe('the same pull request through each backend kind', () => {
  it('lands on each backend’s own link with the right branch, PR or commit', async () => {
    const pr = `${repo}/pull/1`;
    const name = 'lp-node-app-';
    const expected: Record<string, string> = {
      ona: `https://app.ona.com/#${pr}`,
      'gitpod-corp': `https://gitpod.corp.test/#${pr}`,
      codespaces: 'https://codespaces.new/launchpod-samples/node-app/pull/1',
      coder: `https://coder.corp.test/templates/docker-dev/workspace?mode=auto&name=${name}`,
      devpod: `https://devpod.sh/open#https://github.com/launchpod-samples/node-app.git@pull/1/head`,
    };
    for (const [backend, link] of Object.entries(expected)) {
      const response = await post('/api/v1/resolve', { url: pr, options: { backend } });
      const body = (await response.json()) as PlanJson;
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body.backend.name).toBe(backend);
      expect(body.backend.handoffUrl?.startsWith(link), `${backend}: ${body.backend.handoffUrl}`).toBe(true);
      expect(body.backend.cannot).toEqual([]);
    }
    const coderPlan = (await (
      await post('/api/v1/resolve', { url: pr, options: { backend: 'coder' } })
    ).json()) as PlanJson;
    expect(coderPlan.backend.handoffUrl).toContain(
      `&param.repo_url=${encodeURIComponent('https://github.com/launchpod-samples/node-app.git')}&param.branch=${encodeURIComponent(pr1?.headRef ?? '')}`,
    );
  });

  it('keeps Launchpod’s own clusters for a repository no rule and no choice sends elsewhere', async () => {
    const body = (await (await post('/api/v1/resolve', { url: repo })).json()) as Record<string, unknown>;
    expect(body.backend).toBeUndefined();
    expect(body.clusters).toEqual([expect.objectContaining({ name: 'eu-1' })]);
  });
});

describe('routing and what a backend cannot express', () => {
  it('explains a commit link routed to Codespaces instead of silently widening it, and offers what can open it', async () => {
    const rules = [{ match: 'github.com/launchpod-samples/**', backend: 'codespaces' }];
    const response = await call(`/${repo}/commit/${commit}`, { headers: { cookie: OWNER } }, envWith(rules));
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('Open launchpod-samples/node-app on Codespaces');
    expect(html).toContain("the operator's rule github.com/launchpod-samples/** sends");
    expect(html).toContain(
      `Codespaces cannot open the commit ${commit.slice(0, 12)} on its own: it opens the head of main instead`,
    );
    // Nothing moves on by itself when something is lost; the ways that open it whole are offered.
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('href="/start?backend=launchpod&amp;url=');
    expect(html).toContain('data-backend="gitpod-corp"');
  });

  it('continues to a link that loses nothing by itself, and lets the user’s choice win over the rule', async () => {
    const rules = [{ match: 'github.com/**', backend: 'codespaces' }];
    const html = await (await call(`/${repo}/tree/feature/x/y`, {}, envWith(rules))).text();
    expect(html).toContain(
      'content="1;url=https://codespaces.new/launchpod-samples/node-app/tree/feature/x/y"',
    );
    const chosen = await (await call(`/${repo}?backend=launchpod`, {}, envWith(rules))).text();
    expect(chosen).toContain('eu-1 (europe)');
    // The start page offers the other backends, for the user to pick one.
    expect(chosen).toContain(
      `href="/start?backend=coder&amp;url=${encodeURIComponent(repo)}" data-backend="coder"`,
    );
  });

  it('says Codespaces opens GitHub repositories only, with no link', async () => {
    const body = (await (
      await post('/api/v1/resolve', {
        url: 'https://gitlab.com/launchpod-samples/platform/backend/node-app',
        options: { backend: 'codespaces' },
      })
    ).json()) as PlanJson;
    expect(body.backend.handoffUrl).toBeUndefined();
    expect(body.backend.cannot[0]).toContain('GitHub repositories only');
  });

  it('names the setting when a backend or rule is misconfigured', () => {
    const base = { LAUNCHER_ORIGIN: ORIGIN, CLUSTER_SECRETS: '{}' } as Env;
    const bad = readConfig({ ...base, CLUSTERS: JSON.stringify([{ name: 'x', kind: 'vscode' }]) });
    expect(bad.ok ? '' : bad.error).toContain('CLUSTERS[0].kind must be one of launchpod, ona, gitpod');
    const coderWithoutUrl = readConfig({ ...base, CLUSTERS: JSON.stringify([{ name: 'c', kind: 'coder' }]) });
    expect(coderWithoutUrl.ok ? '' : coderWithoutUrl.error).toContain(
      'CLUSTERS[0].url must be the Coder address',
    );
    const rule = readConfig({
      ...base,
      CLUSTERS: '[]',
      BACKEND_RULES: JSON.stringify([{ match: '**', backend: 'nope' }]),
    });
    expect(rule.ok ? '' : rule.error).toContain('BACKEND_RULES[0].backend must name an entry of CLUSTERS');
  });
});

describe('starts through a backend’s API', () => {
  it('Coder: creates from the rule’s template with the PR’s repository and branch, then reuses it, starting it when stopped', async () => {
    const first = await post('/api/v1/backend-starts', {
      url: `${repo}/pull/1`,
      options: { backend: 'coder' },
    });
    const started = (await first.json()) as { url: string; reused: boolean };
    expect(first.status).toBe(201);
    const name = coder.workspaces[0]?.name ?? '';
    expect(name).toMatch(/^lp-node-app-[0-9a-f]{8}$/);
    expect(started).toMatchObject({ url: `https://coder.corp.test/@launchpod-bot/${name}`, reused: false });
    expect(coder.workspaces[0]?.rich_parameter_values).toEqual([
      { name: 'repo_url', value: 'https://github.com/launchpod-samples/node-app.git' },
      { name: 'branch', value: pr1?.headRef },
    ]);

    const again = await post('/api/v1/backend-starts', {
      url: `${repo}/pull/1`,
      options: { backend: 'coder' },
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ url: started.url, reused: true });
    expect(coder.workspaces).toHaveLength(1);

    const workspace = coder.workspaces[0];
    if (workspace !== undefined) workspace.latest_build = { transition: 'stop', status: 'stopped' };
    await post('/api/v1/backend-starts', { url: `${repo}/pull/1`, options: { backend: 'coder' } });
    expect(coder.calls).toContain(`POST /api/v2/workspaces/${workspace?.id}/builds`);
    expect(workspace?.latest_build.transition).toBe('start');
  });

  it('Coder: an unknown template in a rule is an error with a way out, not a 5xx', async () => {
    const rules = [{ match: 'github.com/**', backend: 'coder', template: 'no-such-template' }];
    const response = await post('/api/v1/backend-starts', { url: repo }, envWith(rules));
    const problem = (await response.json()) as { detail: string; wayOut: { href: string } };
    expect(response.status).toBe(422);
    expect(problem.detail).toContain('Coder has no template no-such-template');
    expect(problem.wayOut.href).toBe('https://coder.corp.test/templates');
  });

  it('Coder: the start page’s form answers 303 to the workspace; a form from another site is refused', async () => {
    const form = new URLSearchParams({ url: `${repo}/tree/feature/x/y`, backend: 'coder' });
    const response = await call('/backends/start', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie: OWNER },
      body: form.toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/coder\.corp\.test\/@launchpod-bot\/lp-node-app-/,
    );
    expect(response.headers.get('content-security-policy')).toContain('https://coder.corp.test');
    const foreign = await call('/backends/start', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.test' },
      body: form.toString(),
    });
    expect(foreign.status).toBe(403);
  });

  it('Ona: creates an environment with a git initializer at the branch, reuses it, and says when Ona is full', async () => {
    const first = await post('/api/v1/backend-starts', {
      url: `${repo}/tree/feature/x/y`,
      options: { backend: 'ona' },
    });
    const started = (await first.json()) as { url: string; id: string };
    expect(first.status).toBe(201);
    expect(started.url).toBe(`https://app.ona.com/details/${started.id}`);
    expect(ona.environments[0]?.spec).toEqual({
      machine: { class: 'standard' },
      content: {
        initializer: {
          specs: [
            {
              git: {
                remoteUri: 'https://github.com/launchpod-samples/node-app.git',
                cloneTarget: 'feature/x/y',
                targetMode: 'CLONE_TARGET_MODE_REMOTE_BRANCH',
              },
            },
          ],
        },
      },
    });
    const again = await post('/api/v1/backend-starts', {
      url: `${repo}/tree/feature/x/y`,
      options: { backend: 'ona' },
    });
    expect(await again.json()).toMatchObject({ id: started.id, reused: true });

    ona.capacity = 1;
    const full = await post('/api/v1/backend-starts', {
      url: `${repo}/commit/${commit}`,
      options: { backend: 'ona' },
    });
    const problem = (await full.json()) as { detail: string; wayOut: { href: string } };
    expect(full.status).toBe(503);
    expect(problem.detail).toContain('environment limit');
    expect(problem.wayOut.href).toBe(`https://app.ona.com/#${repo}/commit/${commit}`);
  });

  it('refuses a cluster start for a repository a rule sends elsewhere, pointing to the start page', async () => {
    const rules = [{ match: 'github.com/**', backend: 'coder' }];
    const response = await post('/api/v1/workspaces', { url: repo }, envWith(rules));
    const problem = (await response.json()) as { title: string; wayOut: { href: string } };
    expect(response.status).toBe(409);
    expect(problem.title).toBe('This opens on Coder');
    expect(problem.wayOut.href).toBe(`/start?url=${encodeURIComponent(repo)}`);
  });

  it('Codespaces: needs the user’s GitHub sign-in, and says so with the link as the way out', async () => {
    const response = await post('/api/v1/backend-starts', {
      url: `${repo}/pull/1`,
      options: { backend: 'codespaces' },
    });
    const problem = (await response.json()) as { detail: string; wayOut: { href: string } };
    expect(response.status).toBe(401);
    expect(problem.detail).toContain('needs your GitHub sign-in');
    expect(problem.wayOut.href).toBe('https://codespaces.new/launchpod-samples/node-app/pull/1');
  });
});

describe('the Codespaces adapter against the fake REST API', () => {
  const config = (): BackendConfig => {
    const read = readConfig({ ...envWith(), CLUSTER_SECRETS: '{"eu-1":"eu-secret-0123456789"}' } as Env);
    if (!read.ok) throw new Error(read.error);
    const found = read.value.backends.find((b) => b.kind === 'codespaces');
    if (found === undefined) throw new Error('no codespaces backend');
    return found;
  };
  const resolvedPr = () => ({
    repo: { host: 'github.com', family: 'github' as const, owner: 'launchpod-samples', name: 'node-app' },
    cloneUrl: 'https://github.com/launchpod-samples/node-app.git',
    webUrl: `${repo}/pull/1`,
    defaultBranch: 'main',
    sha: pr1?.headSha ?? '',
    pullRequest: {
      number: 1,
      title: 'Feature x/y',
      state: 'open' as const,
      headRepo: {
        host: 'github.com',
        family: 'github' as const,
        owner: 'launchpod-samples',
        name: 'node-app',
      },
      headRef: pr1?.headRef ?? '',
      headSha: pr1?.headSha ?? '',
      baseRepo: {
        host: 'github.com',
        family: 'github' as const,
        owner: 'launchpod-samples',
        name: 'node-app',
      },
      baseRef: 'main',
      fromFork: false,
    },
  });

  it('creates the PR’s codespace with the user’s token, then reuses it (started again when shut down)', async () => {
    const start = codespacesBackend.start;
    if (start === undefined) throw new Error('no start');
    const first = await start(config(), { resolved: resolvedPr() }, { userToken: 'user-token-alice' });
    expect(first.ok && first.value).toMatchObject({
      reused: false,
      url: expect.stringMatching(/^https:\/\/alice-node-app-\d+\.github\.dev\/$/),
    });
    expect(codespaces.codespaces[0]?.git_status.ref).toBe(pr1?.headRef);
    const codespace = codespaces.codespaces[0];
    if (codespace !== undefined) codespace.state = 'Shutdown';
    const again = await start(config(), { resolved: resolvedPr() }, { userToken: 'user-token-alice' });
    expect(again.ok && again.value.reused).toBe(true);
    expect(codespaces.codespaces).toHaveLength(1);
    expect(codespaces.codespaces[0]?.state).toBe('Starting');
  });

  it('refuses an answer off its registered origins, and explains GitHub’s 403', async () => {
    const start = codespacesBackend.start;
    if (start === undefined) throw new Error('no start');
    codespaces.foreignOrigin = 'https://evil.test';
    const foreign = await start(config(), { resolved: resolvedPr() }, { userToken: 'user-token-alice' });
    expect(foreign.ok ? '' : foreign.error.detail).toContain('outside the origins registered');
    const refused = await start(config(), { resolved: resolvedPr() }, { userToken: 'server-token' });
    expect(refused.ok ? 0 : refused.error.status).toBe(403);
    expect(refused.ok ? '' : refused.error.detail).toContain('codespace permission');
  });

  it('names Coder workspaces by repository and ref, within Coder’s rules', () => {
    const name = coderWorkspaceName({
      ...resolvedPr(),
      repo: { ...resolvedPr().repo, name: 'A.Very_Long Repository Name!!' },
    });
    expect(name).toMatch(/^lp-a-very-long-reposi-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(32);
  });
});
