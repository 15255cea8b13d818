// The button and URL-prefix doors in Firefox on the real stack: firefox-esr driven by puppeteer-core over WebDriver
// BiDi, the Firefox build of the extension installed as a temporary add-on, the launcher under wrangler dev with
// the reference cluster and the fake hosts. Button: a GitHub page served at its real URL → click → start page with
// the branch → the cluster's workspace page at that branch and commit. Prefix: `<launcher>/#<url>` and
// `<launcher>/<url>` typed in the address bar → workspace page at the right commit.

import type { Browser, Page, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { headOf as headOnFakeHost } from '../git-head.ts';
import { type ExtensionInFirefox, launchExtensionInFirefox, serveFixturePages } from './firefox.ts';
import { workspaceOriginPattern } from './workspace-page.ts';

let stack: Stack;
let extension: ExtensionInFirefox;
let browser: Browser;

beforeAll(async () => {
  ({ stack } = await startDemoStack('launchpod-ff-doors-'));
  extension = await launchExtensionInFirefox({ launcherUrl: stack.launcherUrl });
  ({ browser } = extension);
}, 240_000);

afterAll(async () => {
  await extension?.close();
  await stopDemoStacks();
});

/** The commit a branch of a fake host's repository points at (`remote`: `github.com/owner/repo.git`). */
const headOf = (remote: string, branch: string) =>
  headOnFakeHost(stack.fakes?.gitBase, remote, `refs/heads/${branch}`);

/** Text of a selector on a page that may be between documents ('' meanwhile). */
const textOf = (page: Page, selector: string) => () =>
  page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');

/** Waits for the page to reach the cluster's workspace page and answers its text once it names `expected`. */
async function workspaceText(page: Page, expected: readonly string[]): Promise<string> {
  await expect
    .poll(() => page.url(), { timeout: 120_000, interval: 500 })
    .toMatch(workspaceOriginPattern(stack.clusters[0]?.publicOrigin ?? ''));
  const main = textOf(page, 'main');
  for (const text of expected) await expect.poll(main, { timeout: 30_000 }).toContain(text);
  return main();
}

describe('button door in Firefox', () => {
  it('GitHub branch page: click → start page with the branch → workspace at that branch and commit', async () => {
    const url = 'https://github.com/launchpod-samples/node-app/tree/feature/x/y';
    const branch = 'feature/x/y';
    const passThrough = [new URL(stack.launcherUrl).origin, ...stack.clusters.map((c) => c.publicOrigin)];
    const page = await browser.newPage();
    await serveFixturePages(page, new Map([[url, 'github/hand-repo-react.html']]), passThrough);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const link = await page.waitForSelector('[data-launchpod-button] a.lp-main', { timeout: 30_000 });
    expect(await page.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(1);
    expect(await link?.evaluate((a) => a.getAttribute('href'))).toBe(`${stack.launcherUrl}/#${url}`);

    // The click lands in this tab (the default) or a new one (the "new tab" setting): whichever happens first.
    let onTarget: ((target: Target) => void) | undefined;
    const newTab = new Promise<Page | null>((done) => {
      onTarget = (target) => {
        if (target.type() === 'page') void target.page().then(done);
      };
      browser.on('targetcreated', onTarget);
    });
    const sameTab = page
      .waitForNavigation({ waitUntil: 'domcontentloaded', timeout: 30_000 })
      .then(() => page);
    await link?.click();
    const landed = (await Promise.race([newTab, sameTab])) ?? page;
    if (onTarget) browser.off('targetcreated', onTarget);
    sameTab.catch(() => undefined);

    await expect
      .poll(() => landed.url(), { timeout: 30_000 })
      .toMatch(new RegExp(`^${stack.launcherUrl}/start\\?`));
    await expect.poll(textOf(landed, 'dl.facts'), { timeout: 30_000 }).toContain(branch);
    const text = await workspaceText(landed, [branch]);
    expect(text).toContain(headOf('github.com/launchpod-samples/node-app.git', branch));
    if (landed !== page) await landed.close();
    await page.close();
  }, 200_000);
});

describe('URL-prefix door in Firefox', () => {
  it('hash form with a file and line range → workspace at that commit', async () => {
    const page = await browser.newPage();
    const target = 'https://github.com/launchpod-samples/node-app/blob/release/1.0/src/index.js#L1';
    await page.goto(`${stack.launcherUrl}/#${target}`, { waitUntil: 'domcontentloaded' });
    const text = await workspaceText(page, ['release/1.0', 'src/index.js']);
    expect(text).toContain(headOf('github.com/launchpod-samples/node-app.git', 'release/1.0'));
    await page.close();
  }, 200_000);

  it('path form with a GitLab subgroup branch → workspace at that commit', async () => {
    const page = await browser.newPage();
    const repo = 'gitlab.com/launchpod-samples/platform/backend/node-app';
    await page.goto(`${stack.launcherUrl}/https://${repo}/-/tree/deep/1/2/3/4`, {
      waitUntil: 'domcontentloaded',
    });
    const text = await workspaceText(page, ['deep/1/2/3/4']);
    expect(text).toContain(headOf(`${repo}.git`, 'deep/1/2/3/4'));
    await page.close();
  }, 200_000);
});
