// The button door on the real stack: the built extension in Chromium, host pages served at their real URLs, the
// launcher under wrangler dev with the reference cluster and the fake hosts. Click the button on a GitHub, GitLab,
// Bitbucket Cloud, Bitbucket Server, Codeberg, sub-path Gitea and Azure DevOps page → the start page shows the right context → the
// workspace page shows the right branch and commit checked out.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { headOf } from '../git-head.ts';
import { type ExtensionInChromium, launchExtensionInChromium } from './chromium-extension.ts';
import { waitForWorkspacePage } from './workspace-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const BITBUCKET_SERVER = 'https://bitbucket.launchpod.test';
// A self-hosted Gitea under a sub-path (ROOT_URL https://gitea.launchpod.test/git/).
const GITEA = 'https://gitea.launchpod.test';
let stack: Stack;
let extension: ExtensionInChromium;
let context: BrowserContext;
let worker: Worker;

const cases = [
  {
    host: 'GitHub',
    url: 'https://github.com/launchpod-samples/node-app/tree/feature/x/y',
    fixture: 'github/hand-repo-react.html',
    remote: 'github.com/launchpod-samples/node-app.git',
    branch: 'feature/x/y',
  },
  {
    host: 'GitLab',
    url: 'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2',
    fixture: 'gitlab/hand-mr.html',
    remote: 'gitlab.com/contributor/node-app.git',
    branch: 'fix/typo',
  },
  {
    host: 'Bitbucket Cloud',
    url: 'https://bitbucket.org/launchpod-samples/node-app/pull-requests/1',
    fixture: 'bitbucket-cloud/hand-pr.html',
    remote: 'bitbucket.org/launchpod-samples/node-app.git',
    branch: 'feature/x/y',
  },
  {
    host: 'Bitbucket Server',
    url: `${BITBUCKET_SERVER}/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Frelease%2F1.0`,
    fixture: 'bitbucket-server/repo-1.html',
    remote: 'bitbucket.launchpod.test/scm/plat/node-app.git',
    branch: 'release/1.0',
  },
  {
    host: 'Codeberg',
    url: 'https://codeberg.org/launchpod-samples/node-app/src/branch/feature/x/y/src/feature.js',
    fixture: 'codeberg/blob-1.html',
    remote: 'codeberg.org/launchpod-samples/node-app.git',
    branch: 'feature/x/y',
  },
  {
    host: 'Gitea under a sub-path',
    url: `${GITEA}/git/platform/node-app/pulls/2`,
    fixture: 'gitea/hand-pr.html',
    remote: 'gitea.launchpod.test/git/contributor/node-app.git',
    branch: 'fix/typo',
  },
  {
    host: 'Azure DevOps',
    url: 'https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature/x/y&path=/src/feature.js',
    fixture: 'azure-devops/hand-files.html',
    remote: 'dev.azure.com/launchpod/samples/_git/node-app',
    branch: 'feature/x/y',
  },
];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // One workspace per case stays running: room for all of them.
  ({ stack } = await startDemoStack('launchpod-button-door-', {
    clusterArgs: ['--max-workspaces', '8'],
    // The start page is read while the workspace starts: the demo's 5 s init keeps it there long enough.
    initSeconds: 5,
  }));
  extension = await launchExtensionInChromium({
    launcherUrl: stack.launcherUrl,
    pages: new Map(cases.map((c) => [c.url, c.fixture])),
    passThrough: [new URL(stack.launcherUrl).origin, ...stack.clusters.map((c) => c.publicOrigin)],
    // The demo's Bitbucket Server is self-hosted: granted up front (a headless browser cannot click the prompt).
    grantedOrigins: [BITBUCKET_SERVER, GITEA],
  });
  ({ context, worker } = extension);
  await worker.evaluate(
    async ([bitbucket, gitea]) => {
      const chromeApi = (
        globalThis as unknown as {
          chrome: {
            storage: {
              sync: { get(k: string): Promise<{ settings?: object }>; set(v: object): Promise<void> };
            };
          };
        }
      ).chrome;
      const { settings } = await chromeApi.storage.sync.get('settings');
      await chromeApi.storage.sync.set({
        settings: {
          ...(settings ?? {}),
          selfHosted: [
            { origin: bitbucket, family: 'bitbucket-server' },
            { origin: gitea, family: 'gitea', basePath: '/git' },
          ],
        },
      });
      await (
        globalThis as unknown as { launchpodBackground: { syncSelfHostedScripts(): Promise<string[]> } }
      ).launchpodBackground.syncSelfHostedScripts();
    },
    [BITBUCKET_SERVER, GITEA] as const,
  );
}, 240_000);

afterAll(async () => {
  await extension?.close();
  await stopDemoStacks();
});

/** The page the click lands on: a new tab (the default) or this one. */
async function clickThrough(page: Page): Promise<Page> {
  const link = page.locator('[data-launchpod-button] a.lp-main');
  await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
  const opened = context.waitForEvent('page', { timeout: 5_000 }).catch(() => undefined);
  await link.click();
  return (await opened) ?? page;
}

describe('button door', () => {
  it.each(cases)(
    '$host: click → start page → workspace at $branch',
    async ({ url, remote, branch, host }) => {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      const href = await page
        .locator('[data-launchpod-button] a.lp-main')
        .first()
        .getAttribute('href', { timeout: 15_000 });
      // The link carries the canonical page URL (Bitbucket Server's `at=` is written with plain slashes).
      expect(href).toBe(`${stack.launcherUrl}/#${url.replaceAll('%2F', '/')}`);
      if (host === 'GitHub') await page.screenshot({ path: join(ARTIFACTS, 'host-page-with-button.png') });
      const landed = await clickThrough(page);
      await landed.waitForURL(/\/start\?/, { timeout: 30_000 });
      await expect
        .poll(() => landed.locator('dl.facts').textContent(), { timeout: 30_000 })
        .toContain(branch);
      await waitForWorkspacePage(landed, stack);
      const head = headOf(stack.fakes?.gitBase, remote, `refs/heads/${branch}`);
      const text = (await landed.locator('main').textContent()) ?? '';
      expect(text).toContain(branch);
      expect(text).toContain(head);
      await landed.close();
      if (landed !== page) await page.close();
    },
    150_000,
  );
});

describe('toolbar popup', () => {
  it("shows the page's context and prebuild state, lists the workspaces the clicks started, opens, stops, restarts and deletes one", async () => {
    const [github] = cases;
    if (github === undefined) throw new Error('no GitHub case');
    const popup = await context.newPage();
    await popup.goto(
      `chrome-extension://${extension.extensionId}/popup.html#${encodeURIComponent(github.url)}`,
    );
    await expect
      .poll(() => popup.locator('#context').textContent(), { timeout: 15_000 })
      .toContain('launchpod-samples/node-app');
    expect(await popup.locator('#context').textContent()).toContain('feature/x/y');
    // The launcher's public status: no prebuilds are set up in this stack.
    expect(await popup.locator('#prebuild').getAttribute('data-state')).toBe('none');
    expect(await popup.locator('a.open').getAttribute('href')).toBe(`${stack.launcherUrl}/#${github.url}`);

    // The four workspaces the clicks above started, asked with the launcher's cookie.
    const items = popup.locator('#workspaces li[data-workspace]');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(cases.length);
    const item = items.filter({ hasText: 'launchpod-samples/node-app · branch feature/x/y' }).first();
    expect(await item.getAttribute('data-phase')).toBe('running');
    const id = (await item.getAttribute('data-workspace')) ?? '';
    expect(await item.locator('a').getAttribute('href')).toBe(`${stack.launcherUrl}/workspaces/${id}/open`);

    // Open goes through the launcher to the workspace's own origin.
    const [opened] = await Promise.all([context.waitForEvent('page'), item.locator('a').click()]);
    await opened.waitForURL((url) => url.hostname.endsWith('.workspaces.localhost'), { timeout: 30_000 });
    await opened.close();

    await item.getByRole('button', { name: 'Stop' }).click();
    expect(await popup.locator('#action-note').count()).toBe(0);
    const phase = () => popup.locator(`#workspaces li[data-workspace="${id}"]`).getAttribute('data-phase');
    const phaseBecomes = async (expected: string | null) =>
      expect
        .poll(
          async () => {
            await popup.reload();
            return (await popup.locator(`#workspaces li[data-workspace="${id}"]`).count()) === 0
              ? null
              : phase();
          },
          { timeout: 60_000, interval: 1000 },
        )
        .toBe(expected);
    await phaseBecomes('stopped');
    // Restart brings it back with its files; Delete asks twice, then it is gone from the list.
    await popup
      .locator(`#workspaces li[data-workspace="${id}"]`)
      .getByRole('button', { name: 'Restart' })
      .click();
    await phaseBecomes('running');
    const row = popup.locator(`#workspaces li[data-workspace="${id}"]`);
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByRole('button', { name: 'Delete its files for good' }).click();
    await phaseBecomes(null);
    await popup.close();
  }, 120_000);
});
