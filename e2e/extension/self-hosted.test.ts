// Self-hosted instances in Chromium: once the user has granted an origin (here granted up front in the manifest,
// because a headless browser cannot click the permission prompt) and listed it with its family, the background
// registers that family's content script for the origin, and the instance's pages get the button — and an origin
// that is listed but not granted gets nothing. Instances under a path (GitLab at https://corp.example/gitlab and a
// Bitbucket Data Center at /bitbucket on the same origin), added on the options page, get their own scripts, read
// their pages under that path, and leave the rest of the origin alone.

import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionInChromium, launchExtensionInChromium } from '../browser/chromium-extension.ts';
import { type LauncherStub, startLauncherStub } from './launcher-stub.ts';

const GITLAB = 'https://git.corp.example';
const BITBUCKET = 'https://bitbucket.corp.example';
const NOT_GRANTED = 'https://code.elsewhere.example';
/** One origin, two instances under paths. */
const CORP = 'https://corp.example';
const CORP_GITLAB = `${CORP}/gitlab`;
const CORP_BITBUCKET = `${CORP}/bitbucket`;
const SUBPATH_MR = `${CORP_GITLAB}/group/project/-/merge_requests/3`;
const SUBPATH_BROWSE = `${CORP_BITBUCKET}/projects/PLAT/repos/api/browse`;
/** The same GitLab page on the same origin, but outside `/gitlab`: the root, and a path that only starts alike. */
const OUTSIDE = [
  `${CORP}/group/project/-/merge_requests/3`,
  `${CORP}/gitlabx/group/project/-/merge_requests/3`,
];

let launcher: LauncherStub;
let extension: ExtensionInChromium;
let context: BrowserContext;
let worker: Worker;
let page: Page;

type Background = {
  launchUrlFor(input: string): Promise<{ ok: boolean; url?: string; message?: string }>;
};

/** The registered self-hosted content scripts as `id matches js`, sorted. */
const registeredScripts = () =>
  worker.evaluate(async () => {
    const scripts = await (
      globalThis as unknown as {
        chrome: {
          scripting: {
            getRegisteredContentScripts(): Promise<{ id: string; matches: string[]; js: string[] }[]>;
          };
        };
      }
    ).chrome.scripting.getRegisteredContentScripts();
    return scripts.map((s) => `${s.id} ${s.matches.join(',')} ${s.js.join(',')}`).sort();
  });

beforeAll(async () => {
  launcher = await startLauncherStub();
  extension = await launchExtensionInChromium({
    launcherUrl: launcher.origin,
    pages: new Map([
      // A real saved GitLab project page, as a self-managed instance serves it.
      [`${GITLAB}/jandugar/m02-bd`, 'gitlab/repo-1.html'],
      [`${BITBUCKET}/projects/PLAT/repos/api/browse`, 'bitbucket-server/repo-1.html'],
      // A GitLab page (it says so in og:site_name) on an origin listed but never granted.
      [`${NOT_GRANTED}/jandugar/m02-bd`, 'gitlab/repo-1.html'],
      [SUBPATH_MR, 'gitlab/hand-mr-subpath.html'],
      [SUBPATH_BROWSE, 'bitbucket-server/repo-1.html'],
      ...OUTSIDE.map((url) => [url, 'gitlab/hand-mr-subpath.html'] as const),
    ]),
    passThrough: [launcher.origin],
    // Stands in for the user's "Allow" on the optional-permission prompt for these three origins.
    grantedOrigins: [GITLAB, BITBUCKET, CORP],
  });
  ({ context, worker } = extension);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await extension?.close();
  await launcher?.close();
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
    await page.goto(`${NOT_GRANTED}/jandugar/m02-bd`, { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(0);
  });
});

describe('self-hosted instances under a path', () => {
  it('the options page takes an address with a path, keeps the path and registers a script for it alone', async () => {
    const options = await extension.openOptions();
    const add = async (typed: string, family: string, address: string) => {
      await options.fill('input[aria-label="Instance address"]', typed);
      await options.selectOption('select[aria-label="Instance kind"]', family);
      await options.click('text=Enable on this instance');
      await expect
        .poll(() => options.textContent('#message'), { timeout: 15_000 })
        .toBe(`Enabled on ${address}.`);
    };
    // Typed without a scheme and with a trailing slash, as people paste it.
    await add('corp.example/gitlab/', 'gitlab', CORP_GITLAB);
    await add(CORP_BITBUCKET, 'bitbucket-server', CORP_BITBUCKET);
    const list = await options.locator('#self-hosted li').allTextContents();
    expect(list.filter((item) => item.startsWith(CORP))).toEqual([
      `${CORP_GITLAB} (GitLab) Remove`,
      `${CORP_BITBUCKET} (Bitbucket Server / Data Center) Remove`,
    ]);
    // Two sites on one origin: one script each, matching its own path; the root sites listed earlier keep theirs.
    await expect
      .poll(registeredScripts, { timeout: 15_000 })
      .toEqual([
        `self-hosted:${BITBUCKET} ${BITBUCKET}/* content/bitbucket-server.js`,
        `self-hosted:${CORP_BITBUCKET} ${CORP_BITBUCKET}/* content/bitbucket-server.js`,
        `self-hosted:${CORP_GITLAB} ${CORP_GITLAB}/* content/gitlab.js`,
        `self-hosted:${GITLAB} ${GITLAB}/* content/gitlab.js`,
      ]);
    await options.close();
  });

  it('puts one button on a merge request under /gitlab, in the merge request header, linking to that page', async () => {
    await page.goto(SUBPATH_MR, { waitUntil: 'domcontentloaded' });
    const link = page.locator('[data-launchpod-button] a.lp-main');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    expect(await link.getAttribute('href')).toBe(`${launcher.origin}/#${SUBPATH_MR}`);
    // Placed by the merge-request anchor (the page was read as a merge request), not floating or in the top bar.
    expect(await page.locator('.js-issuable-actions [data-launchpod-button]').count()).toBe(1);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
  });

  it('puts one button on a Bitbucket Data Center page under /bitbucket of the same origin', async () => {
    await page.goto(SUBPATH_BROWSE, { waitUntil: 'domcontentloaded' });
    const link = page.locator('[data-launchpod-button] a.lp-main');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    // Read from the origin's root, `bitbucket/projects/…` is no repository: this link needs the base path.
    expect(await link.getAttribute('href')).toBe(`${launcher.origin}/#${SUBPATH_BROWSE}`);
  });

  it.each(OUTSIDE)('leaves %s, outside the base path, without a button', async (url) => {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(0);
  });

  it('the shortcut, omnibox and context menu read the same pages under the base path', async () => {
    const launchUrlFor = (input: string) =>
      worker.evaluate(
        (i) =>
          (globalThis as unknown as { launchpodBackground: Background }).launchpodBackground.launchUrlFor(i),
        input,
      );
    expect(await launchUrlFor(SUBPATH_MR)).toEqual({ ok: true, url: `${launcher.origin}/#${SUBPATH_MR}` });
    expect(await launchUrlFor(SUBPATH_BROWSE)).toEqual({
      ok: true,
      url: `${launcher.origin}/#${SUBPATH_BROWSE}`,
    });
    for (const url of OUTSIDE) {
      const refused = await launchUrlFor(url);
      expect(refused.ok).toBe(false);
      expect(refused.message).toContain('corp.example is not a git host');
    }
  });
});
