// `npm run demo` as a newcomer runs it, its promises kept: it says once where the extension's buttons go, prints an
// admin token and a "what to try" list, delivers a push whose prebuild becomes ready, and every entry of the list
// does what it says — launches open their start page (the sample from its prebuild), the private repository asks to
// sign in through the fake OAuth, the broken .gitpod.yml is named, pages and the admin API answer.

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/stack.ts';
import { DEMO_REPO, formatWhatToTry, whatToTry } from '../../scripts/demo-tour.ts';
import { launchExtensionInChromium } from '../browser/chromium-extension.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}7`;
let demo: ChildProcess;
let output = '';
let dataDir = '';
let launcherUrl = '';
let adminToken = '';
let webSite = '';
let clusterPort = 0;

/** Resolves once the demo's output matches, with the match; fails after `timeoutMs` with what it printed. */
function printed(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    const check = () => {
      const match = pattern.exec(output);
      if (match !== null) {
        clearInterval(timer);
        clearTimeout(limit);
        done(match);
      }
    };
    const timer = setInterval(check, 200);
    const limit = setTimeout(() => {
      clearInterval(timer);
      fail(
        new Error(
          `npm run demo did not print ${pattern} within ${timeoutMs / 1000} s:\n${output.slice(-6000)}`,
        ),
      );
    }, timeoutMs);
    check();
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'launchpod-e2e-demo-'));
  chmodSync(dataDir, 0o711);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAUNCHPOD_DATA: dataDir,
    LAUNCHPOD_EXTENSION_OUT: join(dataDir, 'dist'),
  };
  delete env.LAUNCHER_URL;
  delete env.LAUNCHPOD_VERBOSE;
  clusterPort = await freePort();
  demo = spawn('npm', ['run', 'demo'], {
    cwd: ROOT,
    env: { ...env, LAUNCHER_PORT: String(await freePort()), CLUSTER_PORT: String(clusterPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [demo.stdout, demo.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk));
  launcherUrl = (await printed(/^ {2}Launcher: +(\S+)$/m, 240_000))[1] ?? '';
  await printed(/^Ctrl-C stops everything/m, 60_000);
  adminToken = (/admin token (\S+)/.exec(output) ?? [])[1] ?? '';
  webSite = (/^ {2}Demo Gitea pages: +(\S+)\/ /m.exec(output) ?? [])[1] ?? '';
}, 300_000);

afterAll(async () => {
  if (demo?.pid !== undefined && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    process.kill(-demo.pid, 'SIGINT');
    // The demo's cluster has 60 s to stop its workspaces: its files are removed only after that (a loaded machine
    // once left two workspace containers behind when this waited 20 s).
    await Promise.race([exited, new Promise((r) => setTimeout(r, 90_000))]);
  }
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
}, 100_000);

/** The start page a launch link leads to (the landing page's script turns `/#<context>` into this), without starting. */
function startPageOf(url: string): string {
  const hash = url.indexOf('/#');
  const path =
    hash === -1 ? url.slice(launcherUrl.length) : `/start?url=${encodeURIComponent(url.slice(hash + 2))}`;
  return `${launcherUrl}${path}&autostart=false`;
}

describe('npm run demo', () => {
  it('names one launcher for the extension, prints the admin token, sign-in and the list of things to try', () => {
    expect(output).not.toContain('asked on first run');
    expect(output).toContain(`Extension:         built for ${launcherUrl}: its buttons open it`);
    expect(adminToken).toMatch(/^demo-admin-[0-9a-f]{24}$/);
    expect(output).toContain(
      'Sign-in:           fake OAuth for GitHub, GitLab and Bitbucket (you are alice)',
    );
    expect(output).toContain(formatWhatToTry(whatToTry(launcherUrl, true, webSite), adminToken));
    expect(output).not.toContain('GitHub is not answering');
  });

  it('builds the sample repository’s prebuild from the push it delivered, and says so', async () => {
    await printed(/The prebuild of launchpod-samples\/node-app main is ready/, 240_000);
  }, 250_000);

  it('keeps every promise of its list', async () => {
    for (const item of whatToTry(launcherUrl, true, webSite)) {
      const where = `${item.what}: ${item.url}`;
      if (item.kind === 'page') {
        expect((await fetch(item.url)).status, where).toBe(200);
      } else if (item.kind === 'button') {
        // A Gitea page the extension recognises (its inline config names the sub-path) and has an anchor on…
        const page = await fetch(item.url);
        const html = await page.text();
        expect(page.status, where).toBe(200);
        expect(html, where).toContain("appSubUrl: '\\/git'");
        expect(html, where).toContain('class="repo-button-row"');
        // …which the launcher opens (the browser story is below).
        const start = await fetch(startPageOf(`${launcherUrl}/#${item.url}`));
        expect(start.status, where).toBe(200);
        expect(await start.text(), where).toContain('Check the details, then start the workspace.');
      } else if (item.kind === 'admin-api') {
        const answer = await fetch(item.url, { headers: { authorization: `Bearer ${adminToken}` } });
        expect(answer.status, where).toBe(200);
        expect(JSON.stringify(await answer.json())).toContain('"name":"node-app"');
      } else {
        const response = await fetch(startPageOf(item.url), { redirect: 'manual' });
        const html = await response.text();
        if (item.kind === 'backend') {
          const backend = new URL(item.url).searchParams.get('backend');
          expect(response.status, `${where}\n${html.slice(0, 2000)}`).toBe(200);
          expect(html, where).toContain(`data-backend="${backend}"`);
        } else if (item.kind === 'refused') {
          expect(response.status, where).toBe(422);
          expect(html, where).toMatch(/line \d+/);
        } else if (item.kind === 'sign-in') {
          expect(response.status, where).toBe(404);
          const signIn = /href="(\/auth\/github\.com\/sign-in\?[^"]+)"/
            .exec(html)?.[1]
            ?.replace(/&amp;/g, '&');
          expect(signIn, where).toBeDefined();
          const toHost = await fetch(`${launcherUrl}${signIn}`, { redirect: 'manual' });
          expect(toHost.status, where).toBe(302);
          expect(toHost.headers.get('location'), where).toMatch(/\/login\/oauth\/authorize\?/);
        } else {
          expect(response.status, `${where}\n${html.slice(0, 2000)}`).toBe(200);
          expect(html, where).toContain('Check the details, then start the workspace.');
          if (item.kind === 'launch-from-prebuild') expect(html, where).toContain('Starting from prebuild');
        }
      }
    }
  }, 120_000);

  it('shows the button on the demo Gitea once the extension is enabled there, and a click opens the workspace', async () => {
    expect(webSite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/git$/);
    const site = new URL(webSite).origin;
    const extension = await launchExtensionInChromium({
      launcherUrl,
      pages: new Map(),
      // Nothing is routed: the demo's own launcher, cluster and Gitea answer.
      passThrough: [launcherUrl, `http://workspaces.localhost:${clusterPort}`, site],
      // The "Allow" of the permission prompt, which a headless browser cannot click.
      grantedOrigins: [site],
    });
    try {
      // What the popup's "Enable on this site" sends, with what it read on the page (Gitea under /git).
      const options = await extension.openOptions();
      await options.evaluate(
        (origin) =>
          (
            globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } }
          ).chrome.runtime.sendMessage({
            type: 'add-self-hosted',
            origin,
            family: 'gitea',
            basePath: '/git',
          }),
        site,
      );
      const pageUrl = `${webSite}/platform/node-app/src/branch/feature/x/y/src/feature.js`;
      const page = await extension.context.newPage();
      const link = page.locator('[data-launchpod-button] a.lp-main');
      // The content script is registered when the background sees the site: reload until it draws.
      await expect
        .poll(
          async () => {
            await page.goto(pageUrl, { waitUntil: 'domcontentloaded' });
            return link.count();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(1);
      expect(await link.getAttribute('href')).toBe(`${launcherUrl}/#${pageUrl}`);
      const opened = extension.context.waitForEvent('page', { timeout: 5_000 }).catch(() => undefined);
      await link.click();
      const landed = (await opened) ?? page;
      await landed.waitForURL(/\/start\?/, { timeout: 30_000 });
      await expect
        .poll(() => landed.locator('dl.facts').textContent(), { timeout: 30_000 })
        .toContain('feature/x/y');
      // It starts, and the launcher sends the tab to the workspace's own origin.
      await landed.waitForURL(/^http:\/\/[a-z0-9-]+\.workspaces\.localhost:\d+\//, {
        timeout: 120_000,
        waitUntil: 'commit',
      });
    } finally {
      await extension.close();
    }
  }, 200_000);

  // That it started from the prebuild is what its start page said above (e2e/http/prebuild.test.ts asks the cluster).
  it('starts the sample repository', async () => {
    const started = await fetch(`${launcherUrl}/api/v1/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: launcherUrl, cookie: owner },
      body: JSON.stringify({ url: DEMO_REPO }),
    });
    const body = (await started.json()) as { id: string; phase: string };
    expect(started.status, JSON.stringify(body)).toBe(201);
    let status: Record<string, unknown> = body;
    for (let i = 0; i < 240 && status.phase !== 'running' && status.phase !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await (
        await fetch(`${launcherUrl}/api/v1/workspaces/${body.id}`, { headers: { cookie: owner } })
      ).json()) as Record<string, unknown>;
    }
    expect(status.phase, output.slice(-4000)).toBe('running');
  }, 180_000);
});
