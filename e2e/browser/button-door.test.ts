// The button door on the real stack: the built extension in Chromium, host pages served at their real URLs, the
// launcher under wrangler dev with the reference cluster and the fake hosts. Click the button on a GitHub, GitLab,
// Bitbucket Cloud and Bitbucket Server page → the start page shows the right context → the workspace page shows the
// right branch and commit checked out.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.ts';
import { CHROMIUM, CHROMIUM_ARGS, serveFixtures } from '../../extension/test/browser.ts';
import { type Stack, startStack, stopAllStacks } from '../stack.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const BITBUCKET_SERVER = 'https://bitbucket.launchpod.test';
let work: string;
let stack: Stack;
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
];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'launchpod-button-door-'));
  stack = await startStack({ demo: true, dataDir: join(work, 'stack') });
  const built = await buildExtension({ launcherUrl: stack.launcherUrl, outDir: join(work, 'dist') });
  // The demo's Bitbucket Server is self-hosted: granted up front (a headless browser cannot click the prompt).
  const dir = join(work, 'extension');
  cpSync(built.dirs.chrome, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    host_permissions: string[];
  };
  manifest.host_permissions = [...manifest.host_permissions, `${BITBUCKET_SERVER}/*`];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  await serveFixtures(context, new Map(cases.map((c) => [c.url, c.fixture])), [
    new URL(stack.launcherUrl).origin,
    new URL(stack.clusterUrl).origin,
  ]);
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(async (origin) => {
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
      settings: { ...(settings ?? {}), selfHosted: [{ origin, family: 'bitbucket-server' }] },
    });
    await (
      globalThis as unknown as { launchpodBackground: { syncSelfHostedScripts(): Promise<string[]> } }
    ).launchpodBackground.syncSelfHostedScripts();
  }, BITBUCKET_SERVER);
}, 240_000);

afterAll(async () => {
  await context?.close();
  await stopAllStacks();
  if (work) rmSync(work, { recursive: true, force: true });
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
      await landed.waitForURL(`${stack.clusterUrl}/workspaces/**`, { timeout: 90_000 });
      const head = execFileSync('git', [
        'ls-remote',
        `${stack.fakes?.gitBase}/${remote}`,
        `refs/heads/${branch}`,
      ])
        .toString()
        .split('\t')[0];
      const text = (await landed.locator('main').textContent()) ?? '';
      expect(text).toContain(branch);
      expect(text).toContain(head ?? 'no such branch');
      await landed.close();
      if (landed !== page) await page.close();
    },
    150_000,
  );
});
