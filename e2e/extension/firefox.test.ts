// The core button test on the Firefox build: firefox-esr driven by puppeteer-core over WebDriver BiDi, the
// extension installed as a temporary add-on, a fixture page answered at its real github.com URL.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.ts';
import { fixtureHtml } from '../../extension/test/browser.ts';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const LAUNCHER = 'https://launchpod.test';
let work: string;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'launchpod-ff-'));
  const built = await buildExtension({ launcherUrl: LAUNCHER, outDir: join(work, 'dist') });
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: {
      // Offline machine: no update, telemetry or remote settings traffic.
      'network.proxy.type': 0,
      'extensions.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  await browser.installExtension(built.dirs.firefox);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('puts one working button on a GitHub tree page and follows pushState to a pull request', async () => {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().split('#')[0] === 'https://github.com/o/r/tree/dev/src')
      void request.respond({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: fixtureHtml('github/hand-repo-react.html'),
      });
    else void request.abort();
  });
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
