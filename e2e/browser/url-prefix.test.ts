// The URL-prefix door in a real browser: `<launcher>/#<repo URL>` typed in the address bar → the landing page hands
// the fragment to the start page → the start page starts the workspace and follows it → the cluster's workspace
// page, with the right commit. Screenshots of the pages are kept as test artifacts.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../stack.ts';
import { launchChromium } from './chromium.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
let stack: Stack;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'launchpod-browser-'));
  [stack, browser] = await Promise.all([startStack({ demo: true, dataDir }), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('URL-prefix door', () => {
  it('goes from <launcher>/#<file URL with a line range> to the workspace page at that commit', async () => {
    const page = await browser.newPage();
    const target = 'https://github.com/launchpod-samples/node-app/blob/release/1.0/src/index.js#L1';
    await page.goto(`${stack.launcherUrl}/#${target}`);
    await page.waitForURL(/\/start\?/, { timeout: 30_000 });
    await expect.poll(() => page.locator('h1').textContent()).toContain('launchpod-samples/node-app');
    // With autostart the Start button stays hidden: the page starts by itself.
    expect(await page.getByRole('button', { name: 'Start workspace' }).isVisible()).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'start-page.png'), fullPage: true });
    await page.waitForURL(`${stack.clusterUrl}/workspaces/**`, { timeout: 90_000 });
    const text = await page.locator('main').innerText();
    const head = execFileSync('git', [
      'ls-remote',
      `${stack.fakes?.gitBase}/github.com/launchpod-samples/node-app.git`,
      'refs/heads/release/1.0',
    ])
      .toString()
      .split('\t')[0];
    expect(text).toContain('release/1.0');
    expect(text).toContain(head ?? 'missing');
    expect(text).toContain('src/index.js');
    await page.screenshot({ path: join(ARTIFACTS, 'workspace-page.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('path form with autostart=false waits for the Start button', async () => {
    const page = await browser.newPage();
    await page.goto(
      `${stack.launcherUrl}/https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2?autostart=false`,
    );
    const start = page.getByRole('button', { name: 'Start workspace' });
    await expect.poll(() => start.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'confirm-page.png'), fullPage: true });
    await start.click();
    await page.waitForURL(`${stack.clusterUrl}/workspaces/**`, { timeout: 90_000 });
    expect(await page.locator('main').innerText()).toContain('fix/typo');
    await page.close();
  }, 120_000);

  it('shows the landing page and a clear error page', async () => {
    const page = await browser.newPage();
    await page.goto(stack.launcherUrl);
    await page.screenshot({ path: join(ARTIFACTS, 'landing-page.png'), fullPage: true });
    await page
      .getByRole('textbox', { name: 'Repository URL' })
      .fill('https://github.com/launchpod-samples/does-not-exist');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('launchpod-samples/does-not-exist');
    await page.screenshot({ path: join(ARTIFACTS, 'error-page.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
