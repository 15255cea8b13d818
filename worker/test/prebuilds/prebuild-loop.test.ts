import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeHostData, FakeRepo } from '../../../dev/fakes/model.ts';
import { samples } from '../../../dev/fakes/sample-data.ts';
import type { WorkspaceStatus } from '../../../shared/cluster-contract.ts';
import { launcherConfig } from '../../src/config.ts';
import { resolvers } from '../../src/hosts/resolvers.ts';
import { getPrebuild, sweepSilentPrebuilds } from '../../src/prebuilds/prebuild-records.ts';
import { type PrebuildMessage, runTrigger, type TriggerDeps } from '../../src/prebuilds/prebuild-trigger.ts';
import { call, clusterEvent, type Harness, registerProject, setUp } from './harness.ts';

const github = samples.github;
const app = github.repos[0] as FakeRepo;
const main = app.branches.main ?? '';
const deep = app.branches['deep/1/2/3/4'] ?? '';
const feature = app.branches['feature/x/y'] ?? '';
const repoUrl = 'https://github.com/launchpod-samples/node-app';

let h: Harness;
afterEach(() => h.fakes.restore());

function deps(): TriggerDeps {
  const config = launcherConfig(h.env);
  if (!config.ok) throw new Error(config.error);
  return {
    config: config.value,
    db: h.env.DB,
    cache: h.env.CACHE,
    resolvers,
    now: Date.now,
    http: { backoffMs: [0, 0] },
    clusterTimeoutMs: 1000,
  };
}

const push = (projectId: string, sha: string, branch = 'main'): PrebuildMessage => ({
  projectId,
  deliveryId: `d-${sha.slice(0, 6)}-${branch}`,
  trigger: { kind: 'push', branch, sha },
});

const status = (
  id: string,
  phase: WorkspaceStatus['phase'],
  sha: string,
  extra: Partial<WorkspaceStatus> = {},
) => ({
  id,
  phase,
  url: `https://${id}.eu.cluster.test/`,
  updatedAt: new Date().toISOString(),
  ...(phase === 'stopped' && { snapshot: { prebuildId: id, sha } }),
  ...extra,
});

/** A prebuild of `sha` built to `ready` through the queue consumer's work and signed cluster events. */
async function readyPrebuild(projectId: string, sha: string, branch = 'main'): Promise<string> {
  const outcome = await runTrigger(push(projectId, sha, branch), deps());
  if (outcome.kind !== 'started') throw new Error(JSON.stringify(outcome));
  expect((await clusterEvent(h, status(outcome.prebuildId, 'initializing', sha), 1)).status).toBe(200);
  expect((await clusterEvent(h, status(outcome.prebuildId, 'stopped', sha), 2)).status).toBe(200);
  return outcome.prebuildId;
}

async function resolve(url: string) {
  const response = await call(h, '/api/v1/resolve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://launchpod.test' },
    body: JSON.stringify({ url }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { prebuild: Record<string, unknown> }).prebuild;
}

describe('a push becomes a ready prebuild, and launches start from it', () => {
  beforeEach(async () => {
    h = await setUp();
  });

  it('starts a prebuild on the cluster through the contract and records it', async () => {
    const project = await registerProject(h, repoUrl);
    const outcome = await runTrigger(push(project.id, main), deps());
    expect(outcome).toMatchObject({ kind: 'started', cluster: 'eu-1' });
    const [request] = h.eu.started;
    expect(request).toMatchObject({
      type: 'prebuild',
      initializer: { kind: 'git' },
      context: { sha: main, repo: { owner: 'launchpod-samples', name: 'node-app' } },
      eventsUrl: 'https://launchpod.test/api/v1/cluster-events',
    });
    expect(request?.prebuildId).toBe(request?.id);
    const record = await getPrebuild(env.DB, request?.id ?? '');
    expect(record).toMatchObject({ state: 'queued', cluster: 'eu-1', sha: main, ref: 'main' });
    expect(record?.logUrl).toBe(`https://${request?.id}.eu.cluster.test/`);
  });

  it('moves state forward only, and rejects replayed and stale events', async () => {
    const project = await registerProject(h, repoUrl);
    const id = await readyPrebuild(project.id, main);
    expect((await getPrebuild(env.DB, id))?.state).toBe('ready');
    // A replay of the last event, and a late "building" with a newer sequence: both refused.
    expect((await clusterEvent(h, status(id, 'stopped', main), 2)).status).toBe(409);
    expect((await clusterEvent(h, status(id, 'running', main), 3)).status).toBe(409);
    expect(
      (await clusterEvent(h, status('pb-00000000-0000-4000-8000-000000000000', 'running', main), 1)).status,
    ).toBe(404);
    const record = await getPrebuild(env.DB, id);
    expect(record).toMatchObject({ state: 'ready', sequence: 2 });
    expect(record?.durationMs).toBeGreaterThanOrEqual(0);
    const api = await call(h, `/api/v1/prebuilds/${id}`);
    expect(await api.json()).toMatchObject({ id, state: 'ready', sha: main, cluster: 'eu-1' });
  });

  it('starts exactly one prebuild for two identical pushes at once', async () => {
    const project = await registerProject(h, repoUrl);
    const outcomes = await Promise.all([
      runTrigger(push(project.id, main), deps()),
      runTrigger(push(project.id, main), deps()),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['reused', 'started']);
    expect(h.eu.started).toHaveLength(1);
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM prebuilds').first('n');
    expect(count).toBe(1);
  });

  it('uses the exact commit, then the nearest ancestor incrementally, on the cluster holding the snapshot', async () => {
    const project = await registerProject(h, repoUrl);
    const id = await readyPrebuild(project.id, main);
    h.fakes.reset();
    expect(await resolve(`${repoUrl}/commit/${main}`)).toEqual({
      kind: 'use',
      prebuildId: id,
      sha: main,
      commitsBehind: 0,
      cluster: 'eu-1',
    });
    // One history request per launch, no matter how many candidates.
    expect(h.fakes.requests.filter((r) => /\/commits\?/.test(r.url))).toHaveLength(1);
    expect(await resolve(`${repoUrl}/tree/deep/1/2/3/4`)).toMatchObject({
      kind: 'use',
      prebuildId: id,
      sha: main,
      commitsBehind: 1,
    });

    const started = await call(h, '/api/v1/workspaces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://launchpod.test' },
      body: JSON.stringify({ url: `${repoUrl}/tree/deep/1/2/3/4` }),
    });
    expect(started.status).toBe(201);
    const request = h.eu.started.at(-1);
    expect(request).toMatchObject({
      type: 'regular',
      context: { sha: deep },
      initializer: { kind: 'prebuild-snapshot-with-git-fallback', prebuildId: id, snapshotSha: main },
    });

    // The start page says so.
    const page = await (
      await call(h, `/start?url=${encodeURIComponent(`${repoUrl}/tree/deep/1/2/3/4`)}&autostart=false`)
    ).text();
    expect(page).toContain('1 commit behind');
    expect(page).toContain('eu-1');
  });

  it('never uses a failed prebuild, and says why', async () => {
    const project = await registerProject(h, repoUrl);
    const outcome = await runTrigger(push(project.id, main), deps());
    if (outcome.kind !== 'started') throw new Error('not started');
    const failed = status(outcome.prebuildId, 'failed', main, {
      failure: 'init failed at task dependencies',
    });
    expect((await clusterEvent(h, failed, 1)).status).toBe(200);
    const choice = await resolve(`${repoUrl}/commit/${main}`);
    expect(choice.kind).toBe('none');
    expect(String(choice.reason)).toContain('init failed at task dependencies');
    // A new push of the same commit may try again (a failed prebuild does not block the claim).
    expect(await runTrigger(push(project.id, main), deps())).toMatchObject({ kind: 'started' });
  });

  it('ignores a prebuild made with other before/init tasks', async () => {
    const project = await registerProject(h, repoUrl);
    await readyPrebuild(project.id, main);
    await env.DB.prepare("UPDATE prebuilds SET fingerprint = 'other'").run();
    const choice = await resolve(`${repoUrl}/tree/deep/1/2/3/4`);
    expect(choice).toMatchObject({ kind: 'none' });
    expect(String(choice.reason)).toContain('changed since the last prebuild');
  });

  it('offers to wait for a building prebuild or to use the last ready one', async () => {
    const project = await registerProject(h, repoUrl);
    const ancestor = await readyPrebuild(project.id, main);
    const outcome = await runTrigger(push(project.id, deep, 'deep/1/2/3/4'), { ...deps() });
    expect(outcome).toMatchObject({ kind: 'skipped' });
    // The project builds the default branch only; build the child through an all-branches project's rules.
    await env.DB.prepare("UPDATE projects SET branch_strategy = 'all-branches'").run();
    const building = await runTrigger(push(project.id, deep, 'deep/1/2/3/4'), deps());
    if (building.kind !== 'started') throw new Error('not started');
    expect((await clusterEvent(h, status(building.prebuildId, 'initializing', deep), 1)).status).toBe(200);
    const choice = await resolve(`${repoUrl}/tree/deep/1/2/3/4`);
    expect(choice).toMatchObject({
      kind: 'none',
      building: { prebuildId: building.prebuildId, state: 'building', waitLimitMs: expect.any(Number) },
      lastReady: { kind: 'use', prebuildId: ancestor, commitsBehind: 1 },
    });
    const page = await (
      await call(h, `/start?url=${encodeURIComponent(`${repoUrl}/tree/deep/1/2/3/4`)}`)
    ).text();
    expect(page).toContain('Start now without it');
    expect(page).toContain('Use the last ready prebuild (1 commit behind)');
  });

  it('skips, with the reason recorded, what it must not build', async () => {
    const project = await registerProject(h, repoUrl);
    expect(await runTrigger(push(project.id, feature, 'feature/x/y'), deps())).toEqual({
      kind: 'skipped',
      reason: 'branch feature/x/y is not the default branch (main)',
    });
    const noConfig = await registerProject(h, 'https://github.com/launchpod-samples/no-config');
    const sha = github.repos.find((r) => r.name === 'no-config')?.branches.main ?? '';
    expect(await runTrigger(push(noConfig.id, sha), deps())).toMatchObject({ kind: 'skipped' });
    const skips = await env.DB.prepare('SELECT reason FROM prebuild_skips ORDER BY created_at').all<{
      reason: string;
    }>();
    expect(skips.results.map((s) => s.reason)).toEqual([
      'branch feature/x/y is not the default branch (main)',
      'there is no .gitpod.yml or devcontainer.json at this commit',
    ]);
    const globs = await registerProject(h, 'https://github.com/launchpod-samples/invalid-config', {
      branchStrategy: 'matched-branches',
      branchGlobs: ['feature/*'],
    });
    expect(globs.id).toMatch(/^prj-/);
  });

  it('reports the state to the status API and the badge, with ETag and short caching', async () => {
    const project = await registerProject(h, repoUrl);
    const none = await call(h, `/api/v1/status?url=${encodeURIComponent(repoUrl)}`);
    expect(await none.json()).toMatchObject({ launchable: true, prebuild: { state: 'none' } });
    const id = await readyPrebuild(project.id, main);
    const ready = await call(h, `/api/v1/status?url=${encodeURIComponent(`${repoUrl}/tree/main`)}`);
    expect(await ready.json()).toMatchObject({ prebuild: { state: 'ready', id, sha: main } });
    const badge = await call(h, `/badge/prebuild.svg?url=${encodeURIComponent(repoUrl)}`);
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    expect(badge.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await badge.text()).toContain('ready');
    const etag = badge.headers.get('etag') ?? '';
    const again = await call(h, `/badge/prebuild.svg?url=${encodeURIComponent(repoUrl)}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const hostile = await call(
      h,
      `/badge/prebuild.svg?url=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    expect(await hostile.text()).not.toContain('<script>');
  });

  it('times out prebuilds that stopped reporting', async () => {
    const project = await registerProject(h, repoUrl);
    const outcome = await runTrigger(push(project.id, main), deps());
    if (outcome.kind !== 'started') throw new Error('not started');
    expect(await sweepSilentPrebuilds(env.DB, Date.now() + 2 * 3600_000, 3600_000)).toBe(1);
    expect((await getPrebuild(env.DB, outcome.prebuildId))?.state).toBe('timeout');
  });
});

describe('forks', () => {
  it("lets a fork's pull request use the base repository's prebuild of an ancestor of its head", async () => {
    // A fork that shares the base's history (as real forks do) plus one commit of its own.
    const base = app;
    const forkTip = 'f'.repeat(40);
    const baseMain = base.commits[main];
    if (baseMain === undefined) throw new Error('no main');
    const fork: FakeRepo = {
      ...base,
      owner: 'contributor',
      id: 20,
      forkOf: 'launchpod-samples/node-app',
      pulls: [],
      branches: { main, 'fix/typo': forkTip },
      commits: {
        ...base.commits,
        [forkTip]: { ...baseMain, sha: forkTip, parents: [main], message: 'Fork fix' },
      },
    };
    const withFork: FakeHostData = {
      ...github,
      repos: [
        {
          ...base,
          pulls: [
            {
              number: 9,
              title: 'From a fork',
              state: 'open',
              author: 'contributor',
              headRepo: 'contributor/node-app',
              headRef: 'fix/typo',
              headSha: forkTip,
              baseRef: 'main',
            },
          ],
        },
        fork,
      ],
    };
    h = await setUp(withFork);
    const project = await registerProject(h, repoUrl);
    const id = await readyPrebuild(project.id, main);
    expect(await resolve(`${repoUrl}/pull/9`)).toMatchObject({
      kind: 'use',
      prebuildId: id,
      commitsBehind: 1,
    });
  });
});
