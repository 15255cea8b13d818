// The place to code, end to end in Chromium on the local stack with editors on: the button on a GitHub file page
// with a line range → VS Code in the browser with that file open at those lines; a task's terminal takes typing;
// the declared port serves the sample app to its owner; Your workspaces stops, restarts and deletes; a workspace
// nobody uses stops by itself; the same context launched again offers the running workspace.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorEntryUrl } from '../../cluster/src/editor/editor-entry.ts';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { launchAndWait } from '../http/launcher-api.ts';
import { type ExtensionInChromium, launchExtensionInChromium } from './chromium-extension.ts';
import { waitForWorkspacePage, workspaceIdOf } from './workspace-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const FILE_PAGE = 'https://github.com/launchpod-samples/node-app/blob/main/src/index.js';
let stack: Stack;
let extension: ExtensionInChromium;
let context: BrowserContext;
let editor: Page;
let id = '';

const publicOrigin = () => stack.clusters[0]?.publicOrigin ?? '';
const workspaceOrigin = (workspace: string) => publicOrigin().replace('//', `//${workspace}.`);
/** The editor's address on a workspace's origin: its root, or `/?folder=…`. */
const editorUrl = (workspace: string) =>
  new RegExp(`^${workspaceOrigin(workspace).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\?|$)`);
const taskLog = (name: string) =>
  readFileSync(join(stack.clusters[0]?.dataDir ?? '', 'workspaces', id, 'logs', name), 'utf8');

beforeAll(async () => {
  ({ stack } = await startDemoStack('launchpod-editor-', {
    editor: true,
    clusterArgs: ['--idle-timeout', '30', '--max-workspaces', '6'],
    // The start page is read while the workspace starts: the demo's 5 s init keeps it there long enough.
    initSeconds: 5,
  }));
  extension = await launchExtensionInChromium({
    launcherUrl: stack.launcherUrl,
    pages: new Map([[FILE_PAGE, 'github/hand-blob-header-only.html']]),
    passThrough: [new URL(stack.launcherUrl).origin, publicOrigin()],
  });
  ({ context } = extension);
  // The stack with VS Code in the browser: ~60 s on a quiet machine; over 240 s once, beside two mutation runs.
}, 360_000);

afterAll(async () => {
  await extension?.close();
  await stopDemoStacks();
});

describe('VS Code in the browser at the exact context', () => {
  it('opens the file and lines of the page the button was on, in the workspace origin', async () => {
    const page = await context.newPage();
    await page.goto(`${FILE_PAGE}#L1-L2`, { waitUntil: 'domcontentloaded' });
    const link = page.locator('[data-launchpod-button] a.lp-main');
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    const opened = context.waitForEvent('page', { timeout: 5_000 }).catch(() => undefined);
    // The addresses the browser is sent to on the workspace's origin.
    const visited: string[] = [];
    const visit = (request: Request) => {
      if (request.isNavigationRequest() && /^http:\/\/ws-/.test(request.url())) visited.push(request.url());
    };
    context.on('request', visit);
    await link.click();
    editor = (await opened) ?? page;
    await editor.waitForURL(/\/start\?/, { timeout: 30_000 });
    id = await waitForWorkspacePage(editor, stack, { timeout: 120_000 });
    // The launcher's hand-over lands on the editor once it answers (the page waits for it meanwhile); VS Code then
    // names its folder in the address.
    await editor.waitForURL(editorUrl(id), { timeout: 120_000 });
    await editor.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    const tab = editor.locator('.tabs-container .tab', { hasText: 'index.js' });
    await tab.waitFor({ timeout: 60_000 });
    // The selection is the lines the page named: line 1 to the end of line 2.
    await expect
      .poll(() => editor.locator('.statusbar').textContent(), { timeout: 30_000 })
      .toMatch(/Ln 2, Col \d+ \(\d+ selected\)/);
    // One tab: the file the workbench opened is the one the extension selects the lines in.
    expect(await tab.count()).toBe(1);
    await editor.screenshot({ path: join(ARTIFACTS, 'editor-file-at-lines.png') });
    context.off('request', visit);
    // The workbench was loaded at the address that opens the file as it starts (not only by the extension, once its
    // host is up): the cluster sent the first load there.
    const entry = visited.map((url) => new URL(url)).find((url) => url.searchParams.has('payload'));
    expect(JSON.parse(entry?.searchParams.get('payload') ?? '[]')).toStrictEqual([
      ['openFile', `vscode-remote://${entry?.host}${entry?.searchParams.get('folder')}/src/index.js:1`],
      ['gotoLineMode', 'true'],
    ]);
  }, 300_000);

  it('opens a file VS Code is handed in its address, as the cluster hands the context', async () => {
    // Another file than the context's: the extension opens only that one, so this tab is VS Code's own doing.
    const folder = new URL(editor.url()).searchParams.get('folder') ?? '';
    expect(folder).toMatch(/^\/workspace\//);
    const other = await context.newPage();
    await other.goto(
      `${workspaceOrigin(id)}${editorEntryUrl(folder, { path: `${folder}/src/lib/util.js`, kind: 'file', startLine: 1 }, new URL(workspaceOrigin(id)).host)}`,
    );
    await other.locator('.tabs-container .tab', { hasText: 'util.js' }).waitFor({ timeout: 60_000 });
    await other.close();
  }, 120_000);

  it("serves the declared port to its owner, through the workspace's own port origin", async () => {
    const portUrl = publicOrigin().replace('//', `//3000-${id}.`);
    // Its onOpen is open-preview: VS Code's Simple Browser, beside the file, shows the app from the port's origin.
    await expect
      .poll(
        async () => {
          const frame = editor.frames().find((f) => f.url().startsWith(`${portUrl}/`));
          return (
            (await frame
              ?.locator('h1')
              .textContent({ timeout: 2_000 })
              .catch(() => '')) ?? ''
          );
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('Hello from node-app');
    await editor.screenshot({ path: join(ARTIFACTS, 'editor-port-preview.png') });
    // And in a tab of its own.
    const app = await context.newPage();
    await expect
      .poll(
        async () => {
          await app.goto(`${portUrl}/`);
          return app
            .locator('body')
            .textContent({ timeout: 2_000 })
            .catch(() => '');
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toContain('Hello from node-app');
    expect(app.url()).toBe(`${portUrl}/`);
    await app.close();
    // Anyone else is sent to the gate: a fresh browser context holds no cookie.
    const stranger = await context.browser()?.newContext();
    const other = await stranger?.newPage();
    await other?.goto(`${portUrl}/`);
    expect(await other?.locator('h1').textContent()).toBe('Open this workspace from Launchpod');
    await stranger?.close();
  }, 120_000);

  it("shows the task's command in a terminal that takes typing", async () => {
    await expect.poll(() => taskLog('1-dependencies.log'), { timeout: 60_000 }).toContain('ready to code');
    // The task's terminal is the panel's active one: a click on its screen gives it the keyboard, as a user would.
    await editor.bringToFront();
    const screen = editor.locator('.terminal-wrapper.active .xterm-screen').first();
    await screen.waitFor({ timeout: 60_000 });
    await screen.click();
    await expect
      .poll(() => editor.evaluate(() => document.activeElement?.className ?? ''), { timeout: 10_000 })
      .toContain('xterm-helper-textarea');
    // The server runs in the foreground of the task's shell: Ctrl-C gives the prompt back, as in a real terminal.
    await editor.keyboard.press('Control+C');
    await editor.keyboard.type('echo "typed $((6 * 7)) in the task terminal"');
    await editor.keyboard.press('Enter');
    await expect
      .poll(() => taskLog('1-dependencies.log'), { timeout: 30_000 })
      .toMatch(/^typed 42 in the task terminal$/m);
    await editor.screenshot({ path: join(ARTIFACTS, 'editor-task-terminal.png') });
    // And starts the app again, typed into the same terminal.
    await screen.click();
    await editor.keyboard.type('node src/server.js');
    await editor.keyboard.press('Enter');
    await expect
      .poll(() => taskLog('1-dependencies.log').match(/^ready to code/gm)?.length, { timeout: 30_000 })
      .toBe(2);
  }, 120_000);
});

describe('workspaces you can manage', () => {
  it('offers the running workspace when the same context is launched again', async () => {
    const before = await editor.request.get(`${stack.launcherUrl}/api/v1/workspaces`);
    const count = ((await before.json()) as { workspaces: unknown[] }).workspaces.length;
    const again = await context.newPage();
    await again.goto(`${stack.launcherUrl}/#${FILE_PAGE}#L1-L2`);
    await again.waitForURL(/\/start\?/, { timeout: 30_000 });
    const offer = again.locator('#existing');
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.getAttribute('data-workspace')).toBe(id);
    await again.reload();
    await again.locator('#existing').waitFor({ timeout: 30_000 });
    const after = await editor.request.get(`${stack.launcherUrl}/api/v1/workspaces`);
    expect(((await after.json()) as { workspaces: unknown[] }).workspaces).toHaveLength(count);
    await again.locator('#existing-open').click();
    await again.waitForURL(`${workspaceOrigin(id)}/**`, { timeout: 60_000 });
    await again.close();
  }, 120_000);

  it('stops, restarts (files kept) and deletes from Your workspaces', async () => {
    const list = await context.newPage();
    await list.goto(`${stack.launcherUrl}/workspaces`);
    const item = list.locator(`li[data-workspace="${id}"]`);
    await item.getByRole('button', { name: 'Stop' }).click();
    await list.waitForURL(/\/workspaces\?done=stop$/);
    await expect
      .poll(async () => (await list.request.get(`${stack.launcherUrl}/api/v1/workspaces/${id}`)).json(), {
        timeout: 60_000,
      })
      .toMatchObject({ phase: 'stopped' });
    await list.reload();
    await list.screenshot({ path: join(ARTIFACTS, 'your-workspaces.png'), fullPage: true });
    await item.getByRole('button', { name: 'Restart' }).click();
    // Restart follows the workspace on its own page, then its editor once up.
    await list.waitForURL(`${workspaceOrigin(id)}/**`, { timeout: 60_000 });
    await list.waitForURL(editorUrl(id), { timeout: 120_000 });
    await list.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // Init does not run again, before and the command do; the files are the same files.
    expect(taskLog('1-dependencies.log').match(/── init ──/g)).toHaveLength(1);
    await list.goto(`${stack.launcherUrl}/workspaces`);
    await list.locator(`li[data-workspace="${id}"]`).getByRole('button', { name: 'Delete' }).click();
    await list.waitForURL(/\/workspaces\?done=delete$/);
    expect(await list.locator(`li[data-workspace="${id}"]`).count()).toBe(0);
    const record = await list.request.get(`${stack.launcherUrl}/api/v1/workspaces/${id}`);
    expect(await record.json()).toMatchObject({ phase: 'deleted' });
    await list.close();
  }, 300_000);

  it('stops a workspace nobody uses after the idle timeout', async () => {
    const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}9`;
    const idle = await launchAndWait(stack, owner, 'https://github.com/launchpod-samples/node-app/tree/d1');
    expect(idle.status.phase).toBe('running');
    const record = async () =>
      (
        await fetch(`${stack.launcherUrl}/api/v1/workspaces/${idle.id}`, { headers: { cookie: owner } })
      ).json() as Promise<Record<string, unknown>>;
    await expect.poll(record, { timeout: 120_000, interval: 2000 }).toMatchObject({ phase: 'stopped' });
    expect(workspaceIdOf(editor)).toBe(id);
  }, 180_000);
});
