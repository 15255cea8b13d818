// Self-hosted instances in Chromium: once the user has granted an origin (here granted up front in the manifest,
// because a headless browser cannot click the permission prompt) and listed it with its family, the background
// registers that family's content script for the origin, and the instance's pages get the button — and an origin
// that is listed but not granted gets nothing.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.ts';
import { CHROMIUM, CHROMIUM_ARGS, serveFixtures } from '../../extension/test/browser.ts';
import { type LauncherStub, startLauncherStub } from './launcher-stub.ts';

const GITLAB = 'https://git.corp.example';
const BITBUCKET = 'https://bitbucket.corp.example';
const NOT_GRANTED = 'https://code.elsewhere.example';

let work: string;
let launcher: LauncherStub;
let context: BrowserContext;
let worker: Worker;
let page: Page;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'launchpod-ext-self-hosted-'));
  launcher = await startLauncherStub();
  const built = await buildExtension({ launcherUrl: launcher.origin, outDir: join(work, 'dist') });
  const dir = join(work, 'granted');
  cpSync(built.dirs.chrome, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    host_permissions: string[];
  };
  // Stands in for the user's "Allow" on the optional-permission prompt for these two origins.
  manifest.host_permissions = [...manifest.host_permissions, `${GITLAB}/*`, `${BITBUCKET}/*`];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  await serveFixtures(
    context,
    new Map([
      // A real saved GitLab project page, as a self-managed instance serves it.
      [`${GITLAB}/jandugar/m02-bd`, 'gitlab/repo-1.html'],
      [`${BITBUCKET}/projects/PLAT/repos/api/browse`, 'bitbucket-server/repo-1.html'],
      [`${NOT_GRANTED}/team/app/-/merge_requests/1`, 'gitlab/hand-mr.html'],
    ]),
    [launcher.origin],
  );
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await launcher?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('self-hosted instances', () => {
  it('registers a content script per granted, listed origin, and none for one not granted', async () => {
    const ids = await worker.evaluate(
      async ([gitlab, bitbucket, other]) => {
        const chromeApi = (
          globalThis as unknown as {
            chrome: {
              storage: {
                sync: { get(k: string): Promise<{ settings?: object }>; set(v: object): Promise<void> };
              };
              scripting: {
                getRegisteredContentScripts(): Promise<{ id: string; matches: string[]; js: string[] }[]>;
              };
            };
          }
        ).chrome;
        const { settings } = await chromeApi.storage.sync.get('settings');
        await chromeApi.storage.sync.set({
          settings: {
            ...(settings ?? {}),
            selfHosted: [
              { origin: gitlab, family: 'gitlab' },
              { origin: bitbucket, family: 'bitbucket-server' },
              { origin: other, family: 'gitlab' },
            ],
          },
        });
        const background = (
          globalThis as unknown as { launchpodBackground: { syncSelfHostedScripts(): Promise<string[]> } }
        ).launchpodBackground;
        await background.syncSelfHostedScripts();
        const registered = await chromeApi.scripting.getRegisteredContentScripts();
        return registered.map(
          (s: { id: string; matches: string[]; js: string[] }) =>
            `${s.id} ${s.matches.join(',')} ${s.js.join(',')}`,
        );
      },
      [GITLAB, BITBUCKET, NOT_GRANTED],
    );
    expect([...ids].sort()).toEqual([
      `self-hosted:${BITBUCKET} ${BITBUCKET}/* content/bitbucket-server.js`,
      `self-hosted:${GITLAB} ${GITLAB}/* content/gitlab.js`,
    ]);
  });

  it.each([[`${GITLAB}/jandugar/m02-bd`], [`${BITBUCKET}/projects/PLAT/repos/api/browse`]])(
    'puts the button on %s, linking to the launcher with that context',
    async (url) => {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      const link = page.locator('[data-launchpod-button] a.lp-main');
      await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
      expect(await link.getAttribute('href')).toBe(`${launcher.origin}/#${url}`);
    },
  );

  it('leaves a listed but ungranted origin alone', async () => {
    await page.goto(`${NOT_GRANTED}/team/app/-/merge_requests/1`, { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(500);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(0);
  });
});
