import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack, StackCluster } from '../../dev/stack.ts';
import { clusterPaths } from '../../shared/cluster-contract.ts';
import { startDemoStackAndChromium, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';
import { waitForWorkspacePage } from './workspace-page.ts';

const REPO = 'https://github.com/launchpod-samples/node-app';
let stack: Stack;
let browser: Browser;
let near: StackCluster;
let far: StackCluster;

beforeAll(async () => {
  ({ stack, browser } = await startDemoStackAndChromium('launchpod-failover-', {
    clusters: [
      { name: 'paris', region: 'europe', latitude: 48.86, longitude: 2.35 },
      { name: 'tokyo', region: 'asia', latitude: 35.68, longitude: 139.69 },
    ],
    userLocation: { latitude: 50.11, longitude: 8.68 },
  }));
  [near, far] = stack.clusters as [StackCluster, StackCluster];
}, 180_000);

afterAll(stopDemoStacks);

/** What `POST /api/v1/resolve` says about clusters: the usable ones best first, and why the others cannot serve. */
async function clusterChoice(): Promise<{ order: string[]; unavailable: string[] }> {
  const response = await fetch(`${stack.launcherUrl}/api/v1/resolve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: stack.launcherUrl },
    body: JSON.stringify({ url: REPO }),
  });
  const body = (await response.json()) as { clusters?: { name: string }[]; unavailable?: string[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { order: (body.clusters ?? []).map((c) => c.name), unavailable: body.unavailable ?? [] };
}

const defaultBranchHead = () =>
  headOf(stack.fakes?.gitBase, 'github.com/launchpod-samples/node-app.git', 'HEAD');

/**
 * A person types `<launcher>/#<repo>` and waits. Answers the page on the cluster's workspace page, the cluster the
 * start page named, and the workspace id from the URL.
 */
async function launchThroughUrlPrefix(
  expected: StackCluster,
): Promise<{ page: Page; named: string; id: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.launcherUrl}/#${REPO}`);
  await page.waitForURL(/\/start\?/, { timeout: 30_000 });
  const clusterFact = page.locator('dt:text-is("Cluster") + dd');
  const named = (await clusterFact.textContent({ timeout: 30_000 })) ?? '';
  const id = await waitForWorkspacePage(page, stack, { publicOrigin: expected.publicOrigin });
  return { page, named, id };
}

describe('cluster failover through the URL-prefix door', () => {
  it('with both clusters up, the nearer first cluster serves the launch', async () => {
    const choice = await clusterChoice();
    expect(choice).toEqual({ order: ['paris', 'tokyo'], unavailable: [] });

    const { page, named, id } = await launchThroughUrlPrefix(near);
    expect(named).toBe('paris (europe)');
    await expect.poll(() => page.locator('#phase').textContent()).toBe('running');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('workspace on paris');
    expect(text).toContain(defaultBranchHead());
    // The launcher's own record agrees (the browser's owner cookie lets it read it).
    const record = await page.request.get(`${stack.launcherUrl}/api/v1/workspaces/${id}`);
    expect(await record.json()).toMatchObject({ id, cluster: 'paris', phase: 'running' });
    await page.context().close();
  }, 150_000);

  it('with the first cluster down, the same launch fails over to the second at the right commit', async () => {
    // Health is described now, with both up: the launcher goes on believing in Paris until a start to it fails.
    expect((await clusterChoice()).order).toEqual(['paris', 'tokyo']);
    await near.stop();
    const down = await fetch(`${near.url}${clusterPaths.describe}`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(down).toBe('refused');

    const { page, named, id } = await launchThroughUrlPrefix(far);
    // The start page still named Paris: the start request to it failed in transport and the launcher moved on.
    expect(named).toBe('paris (europe)');
    await expect.poll(() => page.locator('#phase').textContent()).toBe('running');
    const head = defaultBranchHead();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('workspace on tokyo');
    expect(text).toContain('launchpod-samples/node-app');
    expect(text).toContain(head);
    // The checkout on Tokyo's disk is at that commit.
    const repo = checkoutIn(far.dataDir, id);
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    const record = await page.request.get(`${stack.launcherUrl}/api/v1/workspaces/${id}`);
    expect(await record.json()).toMatchObject({ id, cluster: 'tokyo', phase: 'running' });
    await page.context().close();

    // The failed start marked Paris down: the next launch goes to Tokyo first and says why Paris cannot serve.
    expect(await clusterChoice()).toEqual({
      order: ['tokyo'],
      unavailable: ['paris: cluster paris unreachable'],
    });
  }, 150_000);
});
