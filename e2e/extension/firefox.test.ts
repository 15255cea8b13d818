// The core button test on the Firefox build: firefox-esr driven by puppeteer-core over WebDriver BiDi, the
// extension installed as a temporary add-on, a fixture page answered at its real github.com URL.

import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionInFirefox, launchExtensionInFirefox, serveFixturePages } from '../browser/firefox.ts';

const LAUNCHER = 'https://launchpod.test';
let extension: ExtensionInFirefox;
let browser: Browser;

beforeAll(async () => {
  extension = await launchExtensionInFirefox({ launcherUrl: LAUNCHER });
  ({ browser } = extension);
}, 120_000);

afterAll(async () => {
  await extension?.close();
});

it('puts one working button on a GitHub tree page and follows pushState to a pull request', async () => {
  const page = await browser.newPage();
  await serveFixturePages(
    page,
    new Map([['https://github.com/o/r/tree/dev/src', 'github/hand-repo-react.html']]),
  );
  await page.goto('https://github.com/o/r/tree/dev/src', { waitUntil: 'domcontentloaded' });
  const link = await page.waitForSelector('[data-launchpod-button] a.lp-main', { timeout: 20_000 });
  expect(await link?.evaluate((a) => a.getAttribute('href'))).toBe(
    `${LAUNCHER}/#https://github.com/o/r/tree/dev/src`,
  );
  expect(await page.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(1);
  await page.evaluate(() => history.pushState({}, '', '/o/r/pull/7'));
  await page.waitForFunction(
    () => document.querySelector('[data-launchpod-button]')?.getAttribute('data-kind') === 'pull',
    { timeout: 10_000 },
  );
  expect(await page.$eval('[data-launchpod-button] a.lp-main', (a) => a.getAttribute('href'))).toBe(
    `${LAUNCHER}/#https://github.com/o/r/pull/7`,
  );
});
