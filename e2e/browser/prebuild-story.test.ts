// The prebuild story in a real browser, on the real stack with the built extension: a signed GitHub push → the
// prebuild becomes ready → the live badge turns from "none" to "ready" and the button's indicator on the repository
// page says ready → a click starts the workspace from the prebuild with init skipped → a child commit pushed without
// a webhook launches from that same prebuild incrementally, at the child commit. Also the extension's options page
// (screenshot), showing the launcher address the extension was built with.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewCommit } from '../../dev/fakes/git-repos.ts';
import {
  deliverGithubPush,
  prebuildStatus,
  registerProject,
  waitForPrebuild,
} from '../../dev/prebuild-hooks.ts';
import type { Stack } from '../../dev/stack.ts';
import { quietTail, startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';
import { type ExtensionInChromium, launchExtensionInChromium } from './chromium-extension.ts';
import { waitForWorkspacePage, workspaceIdOf } from './workspace-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const ADMIN_TOKEN = 'e2e-admin-token-prebuild-story';
const REPO = 'https://github.com/launchpod-samples/node-app';
// The same saved repository page at two addresses: the repository and its main branch.
const PAGES = new Map([
  [REPO, 'github/hand-repo-react.html'],
  [`${REPO}/tree/main`, 'github/hand-repo-react.html'],
]);

let stack: Stack;
let extension: ExtensionInChromium;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ stack } = await startDemoStack('launchpod-prebuild-story-', { launcherVars: { ADMIN_TOKEN } }));
  extension = await launchExtensionInChromium({
    launcherUrl: stack.launcherUrl,
    pages: PAGES,
    passThrough: [new URL(stack.launcherUrl).origin, ...stack.clusters.map((c) => c.publicOrigin)],
  });
  ({ context } = extension);
}, 240_000);

afterAll(async () => {
  await extension?.close();
  await stopDemoStacks();
});

const tail = () => quietTail(stack);

/** The head of `ref` of the sample repository as the fake host's git server serves it (what a clone sees). */
const headOfNodeApp = (ref: string) =>
  headOf(stack.fakes?.gitBase, 'github.com/launchpod-samples/node-app.git', ref);

/** A push to the fake GitHub: its git server and its API both have the commit at once. */
async function push(commit: NewCommit): Promise<string> {
  const response = await fetch(`${stack.fakes?.gitBase}/_push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ host: 'github', commit }),
  });
  const body = (await response.json()) as { sha?: string; error?: string };
  if (response.status !== 201 || body.sha === undefined) throw new Error(`push: ${JSON.stringify(body)}`);
  return body.sha;
}

const statusOf = (url: string) => prebuildStatus(stack.launcherUrl, url);

const svgText = (page: Page) => page.evaluate(() => document.documentElement.textContent ?? '');

/**
 * A user on a GitHub page clicks the button: answers the start page's HTML and the workspace page. The start page
 * hands over to the workspace page by itself as soon as the workspace runs (at once when init is skipped), so its
 * facts are read from the HTML the launcher sent, taken as it passes to the browser.
 */
async function launchFrom(pageUrl: string): Promise<{ startHtml: string; workspace: Page }> {
  const page = await context.newPage();
  await page.goto(pageUrl, { waitUntil: 'domcontentloaded' });
  const link = page.locator('[data-launchpod-button] a.lp-main');
  await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
  expect(await link.getAttribute('href')).toBe(`${stack.launcherUrl}/#${pageUrl}`);
  let startHtml = '';
  const isStart = (url: URL) => url.href.startsWith(`${stack.launcherUrl}/start?`);
  const capture = async (route: Route) => {
    const response = await route.fetch();
    startHtml = await response.text();
    await route.fulfill({ response, body: startHtml });
  };
  await context.route(isStart, capture);
  try {
    const opened = context.waitForEvent('page', { timeout: 5_000 }).catch(() => undefined);
    await link.click();
    const workspace = (await opened) ?? page;
    await waitForWorkspacePage(workspace, stack);
    if (workspace !== page) await page.close();
    return { startHtml, workspace };
  } finally {
    await context.unroute(isStart, capture);
  }
}

/** The start page's "Prebuild" fact: `use` and "Starting from prebuild X (…)", or `none` and why. */
function prebuildFact(startHtml: string): { kind: string; text: string } {
  const match = /<dd data-prebuild="([^"]*)">([^<]*)<\/dd>/.exec(startHtml);
  return { kind: match?.[1] ?? 'missing', text: match?.[2] ?? startHtml.slice(0, 2000) };
}

/** What the workspace page says: commit, branch, how it started, and where the checkout is on this machine. */
async function workspaceFacts(page: Page) {
  const text = (selector: string) => page.locator(selector).first().textContent();
  return {
    main: (await text('main')) ?? '',
    startedFrom: (await text('#started-from')) ?? '',
    initTime: (await text('#init-time')) ?? '',
    // The page names the checkout as the workspace sees it (`/workspace/node-app`); on this machine it is under the
    // cluster's data folder.
    path: checkoutIn(
      stack.clusters[0]?.dataDir ?? '',
      workspaceIdOf(page),
      ((await text('#workspace-path')) ?? '').split('/').pop(),
    ),
  };
}

describe('prebuild story', () => {
  it('push → prebuild ready → badge and button say ready → workspaces start from it, then incrementally', async () => {
    const main = headOfNodeApp('refs/heads/main');
    expect(main).toMatch(/^[0-9a-f]{40}$/);

    // Before any push: the badge says "none", and so does the button's indicator on the main branch's page.
    const badge = await context.newPage();
    await badge.goto(`${stack.launcherUrl}/badge.svg?url=${encodeURIComponent(REPO)}`);
    expect(await svgText(badge)).toContain('prebuild none');
    const before = await context.newPage();
    await before.goto(`${REPO}/tree/main`, { waitUntil: 'domcontentloaded' });
    await expect
      .poll(() => before.locator('[data-launchpod-button]').getAttribute('data-prebuild'), {
        timeout: 20_000,
      })
      .toBe('none');
    expect(await before.locator('[data-launchpod-button] .lp-dot').getAttribute('title')).toBe(
      'No prebuild yet',
    );
    await before.close();

    // The maintainer sets up prebuilds for the repository; GitHub delivers a signed push of main.
    const created = await registerProject(stack.launcherUrl, ADMIN_TOKEN, REPO);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const project = created.body as { id: string; webhookSecret: string };
    const delivered = await deliverGithubPush(
      stack.launcherUrl,
      project,
      { fullName: 'launchpod-samples/node-app', branch: 'main', sha: main, defaultBranch: 'main' },
      'e2e-prebuild-story-1',
    );
    expect(delivered.status, await delivered.text()).toBe(202);

    const status = await waitForPrebuild(stack.launcherUrl, REPO);
    expect(status, tail()).toMatchObject({ state: 'ready', sha: main });
    const prebuildId = String(status.id);

    // The badge, reloaded as a person would (the reload revalidates its ETag), now says ready.
    await badge.reload();
    expect(await svgText(badge)).toContain('prebuild ready');
    await badge.screenshot({ path: join(ARTIFACTS, 'prebuild-badge-ready.png') });
    await badge.close();

    // The repository page, opened now (the background keeps a status 60 s per page address; this one was never
    // asked), shows the ready indicator on the button.
    const repoPage = await context.newPage();
    await repoPage.goto(REPO, { waitUntil: 'domcontentloaded' });
    const button = repoPage.locator('[data-launchpod-button]');
    await expect.poll(() => button.getAttribute('data-prebuild'), { timeout: 20_000 }).toBe('ready');
    expect(await button.locator('.lp-dot').getAttribute('title')).toBe('Prebuild ready');
    expect(await button.locator('.lp-dot').isVisible()).toBe(true);
    await repoPage.screenshot({ path: join(ARTIFACTS, 'host-page-prebuild-ready.png') });
    await repoPage.close();

    // Click → the start page picks the prebuild of this very commit → the workspace starts from it, init skipped.
    const first = await launchFrom(REPO);
    expect(prebuildFact(first.startHtml)).toEqual({
      kind: 'use',
      text: `Starting from prebuild ${prebuildId} (this commit, on cluster local)`,
    });
    const exact = await workspaceFacts(first.workspace);
    expect(exact.startedFrom, tail()).toMatch(new RegExp(`^From prebuild ${prebuildId}\\b`));
    expect(exact.initTime).toContain('init skipped');
    expect(exact.startedFrom).not.toContain('incrementally');
    expect(exact.main).toContain(main);
    expect(exact.main).toContain('main');
    // What init made in the prebuild is there, though init did not run in this workspace.
    expect(existsSync(join(exact.path, '.deps-ready'))).toBe(true);
    await first.workspace.screenshot({
      path: join(ARTIFACTS, 'workspace-from-prebuild.png'),
      fullPage: true,
    });
    await first.workspace.close();

    // A child commit lands on main; no webhook is sent, so it has no prebuild of its own.
    const child = await push({
      owner: 'launchpod-samples',
      name: 'node-app',
      branch: 'main',
      message: 'Add a changelog',
      files: { 'CHANGELOG.md': '# Changelog\n\n- a child of the prebuilt commit\n' },
    });
    expect(headOfNodeApp('refs/heads/main')).toBe(child);
    expect((await statusOf(`${REPO}/commit/${child}`)).state).toBe('none');

    // Launched from the main branch's page (the repository page's resolution is cached for 60 s and would still
    // name the parent — README, "Resolutions are cached 60 s"): the same prebuild, one commit behind, at the child.
    const second = await launchFrom(`${REPO}/tree/main`);
    expect(prebuildFact(second.startHtml)).toEqual({
      kind: 'use',
      text: `Starting from prebuild ${prebuildId} (1 commit behind, on cluster local)`,
    });
    const incremental = await workspaceFacts(second.workspace);
    expect(incremental.startedFrom, tail()).toMatch(new RegExp(`^From prebuild ${prebuildId}\\b`));
    expect(incremental.startedFrom).toContain(
      `incrementally: snapshot at ${main.slice(0, 12)} brought up to this commit`,
    );
    expect(incremental.initTime).toContain('init skipped');
    expect(incremental.main).toContain(child);
    expect(incremental.main).not.toContain(main);
    expect(incremental.path).not.toBe(exact.path);
    // The checkout moved to the child on top of the snapshot: the child's file and init's output are both there.
    expect(readFileSync(join(incremental.path, 'CHANGELOG.md'), 'utf8')).toContain(
      'a child of the prebuilt commit',
    );
    expect(existsSync(join(incremental.path, '.deps-ready'))).toBe(true);
    expect(gitIn(incremental.path, 'rev-parse', 'HEAD', 'HEAD~1').split('\n')).toEqual([child, main]);
    await second.workspace.screenshot({
      path: join(ARTIFACTS, 'workspace-from-prebuild-incremental.png'),
      fullPage: true,
    });
    await second.workspace.close();
  }, 240_000);
});

describe('options page', () => {
  it('shows the launcher address the extension was built with', async () => {
    const manifest = JSON.parse(readFileSync(join(extension.extensionDir, 'manifest.json'), 'utf8')) as {
      options_ui: { page: string };
    };
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/${manifest.options_ui.page}`);
    await expect
      .poll(() => page.locator('#launcher').inputValue(), { timeout: 15_000 })
      .toBe(stack.launcherUrl);
    expect(await page.locator('h1').textContent()).toBe('Launchpod');
    await page.screenshot({ path: join(ARTIFACTS, 'options-page.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
