// First run of an extension built without a launcher address (`npm run build` with no LAUNCHER_URL): installing it
// opens the options page asking for the address; until then the button is there but asks for the address instead
// of linking anywhere; its connection test says whether a launcher answers at an address; once saved, buttons link
// to the launcher.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionInChromium, launchExtensionInChromium } from '../browser/chromium-extension.ts';
import { type LauncherStub, startLauncherStub } from './launcher-stub.ts';

let launcher: LauncherStub;
let extension: ExtensionInChromium;
let context: BrowserContext;

beforeAll(async () => {
  launcher = await startLauncherStub();
  extension = await launchExtensionInChromium({
    launcherUrl: '',
    pages: new Map([['https://github.com/o/r', 'github/hand-repo-react.html']]),
    passThrough: [launcher.origin],
  });
  expect(extension.build.launcherUrl).toBe('');
  ({ context } = extension);
}, 120_000);

afterAll(async () => {
  await extension?.close();
  await launcher?.close();
});

it('asks for the launcher address on install, and links the buttons to it once saved', async () => {
  // The install opened the first-run page by itself.
  let welcome: Page | undefined;
  await expect
    .poll(
      () => {
        welcome = context.pages().find((p) => p.url().endsWith('/options.html#first-run'));
        return welcome !== undefined;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const options = welcome as Page;
  await expect
    .poll(() => options.locator('.notice[role=status]').textContent())
    .toContain('Welcome. Enter the address of your Launchpod launcher');

  // Before an address is set, the button is there but asks for the address instead of linking anywhere.
  const repo = await context.newPage();
  await repo.goto('https://github.com/o/r', { waitUntil: 'domcontentloaded' });
  const main = repo.locator('[data-launchpod-button] a.lp-main');
  await main.waitFor({ timeout: 15_000 });
  expect(await main.getAttribute('title')).toContain('Set the launcher address in Launchpod’s options');
  expect(await main.getAttribute('href')).toBeNull();

  // A wrong address: the connection test says nothing answered there.
  await options.fill('#launcher', 'http://localhost:9');
  await options.click('#test-connection');
  await expect
    .poll(() => options.textContent('#connection'), { timeout: 10_000 })
    .toContain('http://localhost:9 did not answer');

  await options.fill('#launcher', launcher.origin);
  await options.click('button[type="submit"]');
  await expect
    .poll(() => options.textContent('#message'))
    .toContain(`Saved: buttons now open ${launcher.origin}`);
  // Saving tests the connection: the launcher's public status API answered.
  await expect
    .poll(() => options.textContent('#connection'))
    .toBe(`Connected: the Launchpod launcher at ${launcher.origin} answered.`);
  expect(launcher.statusRequests).toContain('');
  // The welcome is for a missing address only.
  await options.reload();
  expect(await options.locator('.notice[role=status]').count()).toBe(0);

  await repo.reload({ waitUntil: 'domcontentloaded' });
  await expect
    .poll(() => repo.locator('[data-launchpod-button] a.lp-main').getAttribute('href'), { timeout: 15_000 })
    .toBe(`${launcher.origin}/#https://github.com/o/r`);
});
