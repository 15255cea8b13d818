// The built Chromium extension, loaded unpacked into /usr/bin/chromium: fixture pages served at the real host
// URLs, a stand-in launcher on localhost. What a user sees: one button per page, links that reach the launcher
// with the right context, navigation followed, prebuild state shown, options saved.

import type { BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledAnchorTable } from '../../extension/src/hosts/bundled.ts';
import { familyPages } from '../../extension/src/hosts/family-pages.ts';
import { fixtureCases } from '../../extension/test/fixture-cases.ts';
import { type ExtensionInChromium, launchExtensionInChromium } from '../browser/chromium-extension.ts';
import { type LauncherStub, startLauncherStub } from './launcher-stub.ts';

// The pages served at a family's built-in host (self-hosted ones need a grant: e2e/extension/self-hosted.test.ts).
const BUILTIN = fixtureCases.filter((c) => new URL(c.url).host === familyPages[c.family].builtinHost);
let launcher: LauncherStub;
let extension: ExtensionInChromium;
let context: BrowserContext;
let worker: Worker;
let page: Page;

beforeAll(async () => {
  launcher = await startLauncherStub();
  const pages = new Map(BUILTIN.map((c) => [c.url.split('#')[0] ?? '', c.file]));
  // A pull request page no earlier test has visited, so its prebuild status is not cached yet.
  pages.set('https://bitbucket.org/w/r/pull-requests/5', 'bitbucket-cloud/hand-pr.html');
  // The launcher is real (localhost): its requests pass through.
  extension = await launchExtensionInChromium({
    launcherUrl: launcher.origin,
    pages,
    passThrough: [launcher.origin],
  });
  ({ context, worker } = extension);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await extension?.close();
  await launcher?.close();
});

const mainLink = (p: Page) => p.locator('[data-launchpod-button] a.lp-main');

describe('the button on every page kind', () => {
  for (const c of BUILTIN) {
    it(`${c.file} at ${c.url}`, async () => {
      await page.goto(c.url, { waitUntil: 'domcontentloaded' });
      if (c.context === undefined) {
        // Give the content script its chance to (wrongly) add a button.
        await page.waitForFunction(() => document.documentElement.hasAttribute('data-launchpod-owner'));
        expect(await page.locator('[data-launchpod-button]').count()).toBe(0);
        return;
      }
      await mainLink(page).waitFor();
      expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
      expect(await mainLink(page).getAttribute('href')).toBe(`${launcher.origin}/#${c.context}`);
      expect(await page.locator('[data-launchpod-button].lp-floating').count()).toBe(c.floating ? 1 : 0);
    });
  }
});

describe('reaching the launcher', () => {
  it('a click opens the launcher with the page context', async () => {
    await page.goto('https://github.com/o/r/tree/dev/src');
    await mainLink(page).click();
    await page.waitForURL(`${launcher.origin}/**`);
    expect(page.url()).toBe(`${launcher.origin}/#https://github.com/o/r/tree/dev/src`);
  });

  it('a middle-click opens it in a new tab', async () => {
    await page.goto('https://gitlab.com/g/p/-/merge_requests/3');
    const [opened] = await Promise.all([
      context.waitForEvent('page'),
      mainLink(page).click({ button: 'middle' }),
    ]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe(`${launcher.origin}/#https://gitlab.com/g/p/-/merge_requests/3`);
    await opened.close();
  });
});

describe('in-page navigation', () => {
  it('pushState, replaceState, popstate and Turbo events keep exactly one correct button', async () => {
    await page.goto('https://github.com/o/r/tree/dev/src');
    await mainLink(page).waitFor();
    const kindIs = (kind: string) =>
      page.waitForFunction(
        (k) => document.querySelector('[data-launchpod-button]')?.getAttribute('data-kind') === k,
        kind,
      );
    await page.evaluate(() => {
      history.pushState({}, '', '/o/r/issues/12');
      document.dispatchEvent(new Event('turbo:render'));
    });
    await kindIs('issue');
    expect(await mainLink(page).getAttribute('href')).toBe(
      `${launcher.origin}/#https://github.com/o/r/issues/12`,
    );
    await page.evaluate(() => history.replaceState({}, '', '/o/r/blob/main/a.ts#L5'));
    await kindIs('blob');
    expect(await mainLink(page).getAttribute('href')).toBe(
      `${launcher.origin}/#https://github.com/o/r/blob/main/a.ts#L5`,
    );
    await page.evaluate(() => history.pushState({}, '', '/settings/profile'));
    await page.waitForFunction(() => document.querySelector('[data-launchpod-button]') === null);
    await page.goBack();
    await kindIs('blob');
    await page.goBack(); // replaceState took the place in history: back is the tree page
    await kindIs('tree');
    expect(await mainLink(page).getAttribute('href')).toBe(
      `${launcher.origin}/#https://github.com/o/r/tree/dev/src`,
    );
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
  });
});

describe('prebuild indicator', () => {
  it('shows the launcher status through the background script, after the button', async () => {
    launcher.prebuilds.set('https://bitbucket.org/w/r/pull-requests/5', 'ready');
    await page.goto('https://bitbucket.org/w/r/pull-requests/5');
    await mainLink(page).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-prebuild') === 'ready',
    );
    expect(launcher.statusRequests).toContain('https://bitbucket.org/w/r/pull-requests/5');
  });

  it('fetched the remote anchor table and recorded it for diagnostics', async () => {
    const local = await worker.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
        }
      ).chrome.storage.local.get('remoteTable'),
    );
    expect(local.remoteTable).toMatchObject({ outcome: 'applied', revision: bundledAnchorTable.revision });
  });
});

describe('remote anchor table', () => {
  it('ignores a malformed table from the launcher, says so in diagnostics, and keeps the buttons working', async () => {
    launcher.anchors = {
      version: 1,
      revision: 99,
      families: {
        github: [{ kinds: ['repo'], candidates: [{ selector: 'body{}', position: 'append' }], evidence: [] }],
      },
    };
    const options = await extension.openOptions();
    await options.click('#remote-table button');
    await expect.poll(() => options.textContent('#remote-table')).toContain('malformed');
    const stored = await worker.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
        }
      ).chrome.storage.local.get('anchorTable'),
    );
    // Never applied: whatever was in use before (the bundled table, or the last valid remote one) stays.
    expect((stored.anchorTable as { revision?: number } | undefined)?.revision).not.toBe(99);
    await options.close();
    await page.goto('https://github.com/o/r/tree/dev/src');
    await mainLink(page).waitFor();
    expect(await page.locator('[data-launchpod-button].lp-floating').count()).toBe(0);
  });
});

describe('context menu, shortcut and omnibox', () => {
  type Background = {
    launchUrlFor(input: string): Promise<{ ok: boolean; url?: string; message?: string }>;
    openLaunch(input: string, tab: undefined, forceNewTab: boolean): Promise<void>;
  };
  const launchUrlFor = (input: string) =>
    worker.evaluate(
      (i) =>
        (globalThis as unknown as { launchpodBackground: Background }).launchpodBackground.launchUrlFor(i),
      input,
    );
  const openLinkInNewTab = (link: string) =>
    worker.evaluate(
      (l) =>
        (globalThis as unknown as { launchpodBackground: Background }).launchpodBackground.openLaunch(
          l,
          undefined,
          true,
        ),
      link,
    );

  it('omnibox `ws owner/repo` and `ws <URL>` give the launch link; a foreign URL says why not', async () => {
    expect(await launchUrlFor('o/r')).toEqual({
      ok: true,
      url: `${launcher.origin}/#https://github.com/o/r`,
    });
    expect(await launchUrlFor('https://gitlab.com/g/p/-/issues/5')).toEqual({
      ok: true,
      url: `${launcher.origin}/#https://gitlab.com/g/p/-/issues/5`,
    });
    const refused = await launchUrlFor('https://example.com/x/y');
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain('example.com');
  });

  it('"Open link in workspace" opens the link’s context in a new tab', async () => {
    const [opened] = await Promise.all([
      context.waitForEvent('page'),
      openLinkInNewTab('https://bitbucket.org/w/r/pull-requests/4'),
    ]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe(`${launcher.origin}/#https://bitbucket.org/w/r/pull-requests/4`);
    await opened.close();
  });
});

describe('options page', () => {
  it('validates and saves the launcher address', async () => {
    const options = await extension.openOptions();
    await options.fill('#launcher', 'http://launcher.example');
    await options.click('button[type="submit"]');
    await expect.poll(() => options.textContent('#message')).toContain('must start with https://');
    await options.fill('#launcher', 'https://launchpod.example/some/path');
    await options.click('button[type="submit"]');
    await expect
      .poll(() => options.textContent('#message'))
      .toContain('Saved: buttons now open https://launchpod.example');
    await options.reload();
    await expect.poll(() => options.inputValue('#launcher')).toBe('https://launchpod.example');
    // Put the test launcher back for any later test.
    await options.fill('#launcher', launcher.origin);
    await options.click('button[type="submit"]');
    await expect.poll(() => options.textContent('#message')).toContain('Saved');
    await options.close();
  });
});

describe('diagnostics', () => {
  it('list the page where the floating button stood in for a missing anchor', async () => {
    // The page-kind tests above visited a GitHub repository page with an unknown layout.
    const options = await extension.openOptions();
    await expect
      .poll(() => options.locator('#misses li').allTextContents())
      .toContainEqual(expect.stringMatching(/ — GitHub repo: https:\/\/github\.com\/o\/r$/));
    expect(await options.locator('#no-misses').count()).toBe(0);
    await options.close();
  });
});

describe('the host’s theme', () => {
  it('draws the button dark on a dark GitHub page and light on a light one', async () => {
    const background = async (url: string) => {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      await mainLink(page).waitFor();
      return mainLink(page).evaluate((a) => getComputedStyle(a).backgroundColor);
    };
    // hand-repo-react.html is `data-color-mode="dark"`; the saved real page is `auto`, and the browser is light.
    expect(await background('https://github.com/o/r/tree/dev/src')).toBe('rgb(33, 38, 45)');
    expect(await background('https://github.com/golemfactory/yapapi')).toBe('rgb(246, 248, 250)');
  });
});

describe('options take effect on the pages', () => {
  it('default editor, new tab and a host switched off', async () => {
    const options = await extension.openOptions();
    // Only editors a workspace really opens in.
    expect(await options.locator('#editor option').allTextContents()).toStrictEqual([
      'The launcher’s default',
      'VS Code in the browser',
    ]);
    await options.selectOption('#editor', 'code');
    await options.check('#new-tab');
    await options.getByRole('checkbox', { name: 'GitLab', exact: true }).uncheck();
    await expect.poll(() => options.textContent('#message')).toContain('Saved');

    await page.goto('https://github.com/o/r/tree/dev/src', { waitUntil: 'domcontentloaded' });
    await expect
      .poll(() => mainLink(page).getAttribute('href'))
      .toBe(`${launcher.origin}/?editor=code#https://github.com/o/r/tree/dev/src`);
    const [opened] = await Promise.all([context.waitForEvent('page'), mainLink(page).click()]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe(`${launcher.origin}/?editor=code#https://github.com/o/r/tree/dev/src`);
    expect(page.url()).toBe('https://github.com/o/r/tree/dev/src');
    await opened.close();

    await page.goto('https://gitlab.com/g/p/-/merge_requests/3', { waitUntil: 'domcontentloaded' });
    // Switched off, the script stops before drawing anything: give it the time it takes when on.
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(0);

    // Back to the defaults for any later test.
    await options.selectOption('#editor', '');
    await options.uncheck('#new-tab');
    await options.getByRole('checkbox', { name: 'GitLab', exact: true }).check();
    await expect.poll(() => options.textContent('#message')).toContain('Saved');
    await options.close();
  });
});
