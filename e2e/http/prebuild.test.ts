// The prebuild loop on the local stack, over HTTP: a project registered through the admin API, a signed GitHub push
// webhook (and a Codeberg, a sub-path Gitea and an Azure DevOps one, each authenticated its host's way) → the queue → the reference cluster builds the prebuild → its signed events make the record `ready` → a
// launch of that commit starts from the snapshot with init skipped, and a launch of a child commit starts from it
// incrementally (both read from the cluster's own workspace status).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeFamilies } from '../../dev/fakes/families.ts';
import { deliverGithubPush, registerProject, waitForPrebuild } from '../../dev/prebuild-hooks.ts';
import type { Stack } from '../../dev/stack.ts';
import { quietTail, startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { callApi, launchAndWait } from './launcher-api.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}2`;
const repoUrl = 'https://github.com/launchpod-samples/node-app';

let stack: Stack;

beforeAll(async () => {
  // Each family's prebuild and launch keep running: room for all of them.
  ({ stack } = await startDemoStack('launchpod-e2e-prebuild-', {
    launcherVars: { ADMIN_TOKEN },
    clusterArgs: ['--max-workspaces', '12'],
  }));
}, 180_000);

afterAll(stopDemoStacks);

const tail = () => quietTail(stack);

const api = (path: string, init?: RequestInit) => callApi(stack, owner, path, init);

/** Launches through the API, waits for `running`, answers the cluster's own status of the workspace. */
async function launch(url: string) {
  const { id } = await launchAndWait(stack, owner, url);
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

    const created = await registerProject(stack.launcherUrl, ADMIN_TOKEN, repoUrl);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const project = created.body as { id: string; webhookSecret: string };

    const deliver = () =>
      deliverGithubPush(
        stack.launcherUrl,
        project,
        { fullName: 'launchpod-samples/node-app', branch: 'main', sha: main, defaultBranch: 'main' },
        'e2e-delivery-1',
      );
    expect((await deliver()).status).toBe(202);
    expect(await (await deliver()).json()).toMatchObject({ duplicate: true });

    const prebuild = await waitForPrebuild(stack.launcherUrl, `${repoUrl}/commit/${main}`);
    expect(prebuild, tail()).toMatchObject({ state: 'ready', sha: main });
    const prebuildId = String(prebuild.id);

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

  // The same loop from each other family's webhook, signed (or authenticated) the way that host does it.
  it.each([
    { family: 'gitea', repo: 'https://codeberg.org/launchpod-samples/node-app', owner: 'launchpod-samples' },
    { family: 'gitea', repo: 'https://gitea.launchpod.test/git/platform/node-app', owner: 'platform' },
    {
      family: 'azure-devops',
      repo: 'https://dev.azure.com/launchpod/samples/_git/node-app',
      owner: 'launchpod/samples',
    },
  ] as const)(
    'builds a prebuild from a $family push to $repo and launches from it',
    async ({ family, repo, owner }) => {
      const resolved = await api('/api/v1/resolve', { method: 'POST', body: JSON.stringify({ url: repo }) });
      const main = String((resolved.body.context as { sha: string }).sha);
      expect(main, JSON.stringify(resolved.body)).toMatch(/^[0-9a-f]{40}$/);
      const created = await registerProject(stack.launcherUrl, ADMIN_TOKEN, repo);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const project = created.body as { id: string; webhookSecret: string };
      const delivery = await fakeFamilies[family].pushDelivery(project.webhookSecret, {
        owner,
        name: 'node-app',
        branch: 'main',
        sha: main,
        defaultBranch: 'main',
        private: false,
        delivery: `e2e-${family}-1`,
      });
      const sent = await fetch(`${stack.launcherUrl}/webhooks/${family}/${project.id}`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(sent.status, await sent.clone().text()).toBe(202);
      const prebuild = await waitForPrebuild(stack.launcherUrl, `${repo}/commit/${main}`);
      expect(prebuild, tail()).toMatchObject({ state: 'ready', sha: main });
      expect(await launch(repo), tail()).toMatchObject({ phase: 'running', startedFrom: 'prebuild' });
    },
    240_000,
  );
});
