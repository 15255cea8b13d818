// The launcher is down: the built extension, its launcher address a loopback port nothing listens on, in Chromium on
// a GitHub repository page. The button is still there and links to the launcher; its prebuild indicator stays
// quiet (no ready, building or none, no error), and neither the content script nor the background logs an error.

import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/stack.ts';
import { type ExtensionInChromium, launchExtensionInChromium } from './chromium-extension.ts';

const REPO = 'https://github.com/launchpod-samples/node-app';
let launcherUrl: string;
let extension: ExtensionInChromium;
let context: BrowserContext;
/** Errors and warnings the extension's own code logged or threw (content script and background). */
const extensionProblems: string[] = [];

beforeAll(async () => {
  // A port the OS just handed out and took back: connections to it are refused, as to a launcher that is down.
  launcherUrl = `http://127.0.0.1:${await freePort()}`;
  extension = await launchExtensionInChromium({
    launcherUrl,
    pages: new Map([[REPO, 'github/hand-repo-react.html']]),
    // The launcher's origin is let through to the network, where nothing answers: the requests really fail.
    passThrough: [new URL(launcherUrl).origin],
  });
  ({ context } = extension);
  extension.worker.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      extensionProblems.push(`background ${message.type()}: ${message.text()}`);
  });
}, 120_000);

afterAll(async () => {
  await extension?.close();
});

describe('launcher down', () => {
  it('keeps the button on a GitHub page, linked to the launcher, with a quiet indicator and no errors', async () => {
    const page = await context.newPage();
    // Every value the indicator ever takes, recorded from the start of the page (the DOM is shared with the
    // content script's isolated world).
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { indicatorStates: string[] }).indicatorStates = seen;
      new MutationObserver((records) => {
        for (const record of records) {
          const target = record.target as Element;
          if (record.attributeName === 'data-prebuild' && target.hasAttribute('data-launchpod-button'))
            seen.push(`data-prebuild=${target.getAttribute('data-prebuild')}`);
          if (
            record.attributeName === 'hidden' &&
            target.classList.contains('lp-dot') &&
            !target.hasAttribute('hidden')
          )
            seen.push('dot shown');
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-prebuild', 'hidden'] });
    });
    page.on('console', (message) => {
      if (
        (message.type() === 'error' || message.type() === 'warning') &&
        message.location().url.startsWith('chrome-extension://')
      )
        extensionProblems.push(`content script ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      if (String(error.stack).includes('chrome-extension://'))
        extensionProblems.push(`content script threw: ${error.stack}`);
    });
    // The background asks the launcher for this page's prebuild state; that request fails.
    const statusFailed = context.waitForEvent('requestfailed', {
      predicate: (request) => request.url().startsWith(`${launcherUrl}/api/v1/status?`),
      timeout: 30_000,
    });

    await page.goto(REPO, { waitUntil: 'domcontentloaded' });
    const button = page.locator('[data-launchpod-button]');
    await expect.poll(() => button.count(), { timeout: 15_000 }).toBe(1);
    const link = button.locator('a.lp-main');
    expect(await link.getAttribute('href')).toBe(`${launcherUrl}/#${REPO}`);
    expect(await link.getAttribute('title')).toMatch(/^Open in a workspace/);
    expect((await statusFailed).failure()?.errorText).toMatch(/ERR_CONNECTION_REFUSED|ERR_FAILED/);

    // The background's answer to the page (asked again through the same message the content script sends, from
    // the extension's own page): no state at all.
    const extensionPage = await extension.openOptions();
    const answer = await extensionPage.evaluate(
      (pageUrl) =>
        (
          globalThis as unknown as {
            chrome: { runtime: { sendMessage(message: object): Promise<{ state?: string }> } };
          }
        ).chrome.runtime.sendMessage({ type: 'prebuild-status', pageUrl }),
      REPO,
    );
    expect(answer).toEqual({});
    await extensionPage.close();

    // Quiet: the indicator was never set, its dot never shown, no error text or alert on or beside the button.
    expect(await button.getAttribute('data-prebuild')).toBeNull();
    expect(await button.locator('.lp-dot').isHidden()).toBe(true);
    expect(
      await page.evaluate(() => (window as unknown as { indicatorStates: string[] }).indicatorStates),
    ).toEqual([]);
    expect(await link.textContent()).toBe('Workspace');
    expect(await button.textContent()).not.toMatch(/prebuild|error|unreachable|fail|down/i);
    expect(
      await page.locator('[data-launchpod-button] [role=alert], [data-launchpod-button] .error').count(),
    ).toBe(0);
    expect(await button.count()).toBe(1);
    expect(extensionProblems).toEqual([]);
    await page.close();
  }, 90_000);
});
