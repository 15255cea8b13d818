// The launcher's own pages as a browser draws them, the launcher alone under wrangler dev (no git host, cluster or
// D1 is needed for the landing and badge pages). What a newcomer would see wrong at a glance: a label meant for
// screen readers drawn beside the box, badge snippets cut off.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/stack.ts';
import { launchChromium } from './chromium.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
let origin = '';
let launcher: ChildProcess | undefined;
let state = '';
let browser: Browser;

beforeAll(async () => {
  // The launcher alone under wrangler dev: no cluster, no git host, no migrated D1 — these pages need none.
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  state = mkdtempSync(join(tmpdir(), 'launchpod-page-layout-'));
  launcher = spawn(
    join(ROOT, 'node_modules', '.bin', 'wrangler'),
    ['dev', '--config', 'worker/wrangler.jsonc', '--ip', '127.0.0.1', '--port', String(port)]
      .concat(['--inspector-port', String(await freePort()), '--persist-to', state])
      .concat(['--show-interactive-dev-session=false', '--var', `LAUNCHER_ORIGIN:${origin}`]),
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      stdio: 'ignore',
      detached: true,
    },
  );
  browser = await launchChromium();
  for (let tries = 0; ; tries++) {
    const up = await fetch(`${origin}/robots.txt`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 300 || launcher.exitCode !== null) throw new Error('wrangler dev did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (launcher?.pid !== undefined && launcher.exitCode === null) process.kill(-launcher.pid, 'SIGKILL');
  if (state !== '') rmSync(state, { recursive: true, force: true });
});

async function open(path: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  // The live prebuild badge reads D1, not migrated here: its picture does not matter to these checks.
  await page.route('**/badge.svg?**', (route) =>
    route.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"/>',
    }),
  );
  await page.goto(`${origin}${path}`);
  return page;
}

describe.each([1280, 390])('at %i px wide', (width) => {
  it('keeps the landing page’s label for screen readers only, the box still named by it', async () => {
    const page = await open('/', width);
    const label = await page.locator('label[for=url]').boundingBox();
    expect(label?.width ?? 0).toBeLessThanOrEqual(1);
    expect(label?.height ?? 0).toBeLessThanOrEqual(1);
    await expect.poll(() => page.getByRole('textbox', { name: 'Repository URL' }).count()).toBe(1);
    await page.close();
  });

  it('shows every badge snippet whole, without scrolling inside its box', async () => {
    const repo = 'https://github.com/launchpod-samples/a-repository-with-a-long-name/tree/feature/x';
    const page = await open(`/badge?url=${encodeURIComponent(repo)}`, width);
    const areas = await page
      .locator('textarea')
      .evaluateAll((all: HTMLTextAreaElement[]) =>
        all.map((a) => ({ id: a.id, scroll: a.scrollHeight, client: a.clientHeight, width: a.clientWidth })),
      );
    expect(areas).toHaveLength(8);
    for (const area of areas) {
      expect(area.scroll, `${area.id} at ${width} px`).toBeLessThanOrEqual(area.client);
      expect(area.width).toBeGreaterThan(100);
    }
    await page.close();
  });
});
