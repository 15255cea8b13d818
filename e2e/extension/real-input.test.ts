// The keyboard shortcut, the toolbar popup, the omnibox keyword and the link context menu, used as a person uses them: headed Chromium
// on a virtual X display (Xvfb), keys sent through the X server (xdotool → XTEST), so the browser's own accelerator
// handling, its address bar and its native context menu run — not the extension functions behind them. (A headless
// browser never sees these keys: devtools key events stop at the page.)

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionInChromium, launchExtensionInChromium } from '../browser/chromium-extension.ts';
import { type LauncherStub, startLauncherStub } from './launcher-stub.ts';

/** A self-managed GitLab the user has not granted yet (a saved real page of one is served there). */
const SELF_MANAGED = 'https://gitlab.corp.test';
let xvfb: ChildProcess | undefined;
let display = '';
let launcher: LauncherStub;
let extension: ExtensionInChromium;
let context: BrowserContext;

/** Starts Xvfb on the first free display (it writes the number it took to fd 3). */
function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  return new Promise((done, fail) => {
    let child: ChildProcess;
    try {
      child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      return fail(error);
    }
    child.once('error', () =>
      fail(new Error('Xvfb is not installed: `apt-get install xvfb xdotool` (.ci/run does it)')),
    );
    child.stdio[3]?.on('data', (data: Buffer) => done({ child, display: `:${data.toString().trim()}` }));
    child.once('exit', (code) => fail(new Error(`Xvfb exited with ${code} before it was ready`)));
  });
}

/** Keys through the X server, to whatever window has the focus — as a keyboard would. */
const xdotool = (...args: string[]) =>
  execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display } }).toString();

beforeAll(async () => {
  const started = await startXvfb();
  xvfb = started.child;
  display = started.display;
  launcher = await startLauncherStub();
  // Ready once its background runs (commands and menus are registered on install).
  extension = await launchExtensionInChromium({
    launcherUrl: launcher.origin,
    pages: new Map([
      ['https://github.com/o/r/tree/dev/src', 'github/hand-repo-react.html'],
      ['https://github.com/o/r', 'github/hand-repo-react.html'],
      ['https://github.com/o/r/pull/3', 'github/pull-1.html'],
      ['https://github.com/settings/profile', 'github/hand-settings.html'],
      [`${SELF_MANAGED}/jandugar/m02-bd`, 'gitlab/repo-1.html'],
    ]),
    passThrough: [launcher.origin],
    display,
  });
  ({ context } = extension);
}, 120_000);

afterAll(async () => {
  await extension?.close();
  await launcher?.close();
  xvfb?.kill('SIGKILL');
});

/** The tab (this one or a new one) that reaches `url` — the launch link, fragment included. */
async function tabAt(url: string): Promise<Page> {
  let found: Page | undefined;
  await expect
    .poll(
      () => {
        found = context.pages().find((p) => p.url() === url);
        return found?.url();
      },
      { timeout: 15_000 },
    )
    .toBe(url);
  return found as Page;
}

/** A fresh tab in front, with the keyboard focus in its page. */
async function frontTab(url?: string): Promise<Page> {
  const page = await context.newPage();
  if (url !== undefined) await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.bringToFront();
  await page.evaluate(() => window.focus());
  return page;
}

describe('real keys and menus in headed Chromium', () => {
  it('Alt+G on a repository page opens that page in a workspace', async () => {
    const page = await frontTab('https://github.com/o/r/tree/dev/src');
    // The button is up: the content script and background are running.
    await page.locator('[data-launchpod-button] a.lp-main').waitFor({ timeout: 15_000 });
    xdotool('key', '--clearmodifiers', 'alt+g');
    const landed = await tabAt(`${launcher.origin}/#https://github.com/o/r/tree/dev/src`);
    expect(await landed.locator('h1').textContent()).toContain('Starting your workspace');
    await landed.close();
    if (!page.isClosed()) await page.close();
  });

  it('the omnibox keyword: `ws owner/repo` + Enter opens that repository in a workspace', async () => {
    const page = await frontTab('https://github.com/o/r');
    xdotool('key', '--clearmodifiers', 'ctrl+l');
    // Typing the keyword and a space switches the address bar to the extension; Enter hands it the text.
    xdotool('type', '--delay', '60', 'ws o/r');
    await page.waitForTimeout(300);
    xdotool('key', 'Return');
    const landed = await tabAt(`${launcher.origin}/#https://github.com/o/r`);
    await landed.close();
    if (!page.isClosed()) await page.close();
  });

  it('"Open link in workspace" in a link’s context menu opens the link’s context in a new tab', async () => {
    const page = await frontTab();
    const target = 'https://gitlab.com/group/sub/project/-/merge_requests/4';
    await page.setContent(
      `<p style="font-size:32px;margin:40px"><a id="mr" href="${target}">a merge request</a></p>`,
    );
    const before = context.pages().length;
    await page.click('#mr', { button: 'right' });
    // Chromium 156's link menu ends with the extension's item, a separator and "Inspect": Up twice selects ours.
    for (const key of ['Up', 'Up', 'Return']) {
      await page.waitForTimeout(250);
      xdotool('key', key);
    }
    const landed = await tabAt(`${launcher.origin}/#${target}`);
    expect(context.pages().length).toBe(before + 1);
    expect(page.url()).toBe('about:blank');
    await landed.close();
    await page.close();
  });

  it('the toolbar popup (Alt+Shift+G) shows this tab’s context and an Open link, or why a page cannot open', async () => {
    const popupOf = async (url: string) => {
      const page = await frontTab(url);
      xdotool('key', '--clearmodifiers', 'alt+shift+g');
      const popup = await openedPopup(page);
      const facts = await popup.facts();
      await popup.close();
      await page.close();
      return facts;
    };
    const pull = await popupOf('https://github.com/o/r/pull/3');
    expect(pull.context).toBe('https://github.com/o/r/pull/3');
    expect(pull.open).toBe(`${launcher.origin}/#https://github.com/o/r/pull/3`);
    const settings = await popupOf('https://github.com/settings/profile');
    expect(settings.open).toBe(null);
    expect(settings.alert).toBe(
      'https://github.com/settings is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.',
    );
  });

  it('"Enable on this site" in the popup on a self-managed GitLab: Chromium asks, the user allows, the button appears', async () => {
    const url = `${SELF_MANAGED}/jandugar/m02-bd`;
    const page = await frontTab(url);
    // Not granted yet: no content script runs there.
    await page.waitForTimeout(1000);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(0);
    xdotool('key', '--clearmodifiers', 'alt+shift+g');
    const popup = await openedPopup(page);
    await expect.poll(() => popup.evaluate("document.getElementById('enable-site') !== null")).toBe(true);
    await popup.click('#enable-site');
    // Chromium's permission prompt ("Launchpod has requested additional permissions … Read and change your data on
    // gitlab.corp.test") opens with the focus on Deny: Tab to Allow, Return.
    await page.waitForTimeout(1500);
    xdotool('key', 'Tab');
    await page.waitForTimeout(200);
    xdotool('key', 'Return');
    const worker = context.serviceWorkers()[0];
    await expect
      .poll(
        () =>
          worker?.evaluate(
            (origin) =>
              (
                globalThis as unknown as {
                  chrome: { permissions: { contains(p: object): Promise<boolean> } };
                }
              ).chrome.permissions.contains({ origins: [`${origin}/*`] }),
            SELF_MANAGED,
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect
      .poll(
        async () => {
          await page.reload({ waitUntil: 'domcontentloaded' });
          return page
            .locator('[data-launchpod-button] a.lp-main')
            .getAttribute('href', { timeout: 3_000 })
            .catch(() => null);
        },
        { timeout: 20_000 },
      )
      .toBe(`${launcher.origin}/#${url}`);
    expect(await page.locator('[data-launchpod-button]').count()).toBe(1);
    await popup.close().catch(() => {});
    await page.close();
  });
});

interface Popup {
  evaluate(expression: string): Promise<unknown>;
  /** A trusted click (a user gesture) at the element's centre, as the mouse gives it. */
  click(selector: string): Promise<void>;
  facts(): Promise<{ context: string | null; open: string | null; alert: string | null }>;
  close(): Promise<void>;
}

/**
 * The popup Chromium opened over `page` (Playwright does not attach to action popups): found and driven through the
 * devtools protocol's target API.
 */
async function openedPopup(page: Page): Promise<Popup> {
  const cdp = await context.newCDPSession(page);
  let targetId: string | undefined;
  await expect
    .poll(
      async () => {
        const { targetInfos } = await cdp.send('Target.getTargets');
        targetId = targetInfos.find((t) => t.type === 'page' && t.url.endsWith('/popup.html'))?.targetId;
        return targetId !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: targetId as string,
    flatten: false,
  });
  let next = 0;
  const send = (method: string, params: object) =>
    new Promise<Record<string, unknown> | undefined>((done) => {
      const id = ++next;
      const listener = (event: { sessionId: string; message: string }) => {
        const message = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown> };
        if (event.sessionId !== sessionId || message.id !== id) return;
        cdp.off('Target.receivedMessageFromTarget', listener);
        done(message.result);
      };
      cdp.on('Target.receivedMessageFromTarget', listener);
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    });
  const evaluate = async (expression: string) =>
    ((await send('Runtime.evaluate', { expression, returnByValue: true }))?.result as { value?: unknown })
      ?.value;
  const popup: Popup = {
    evaluate,
    async click(selector) {
      const box = (await evaluate(
        `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`,
      )) as { x: number; y: number };
      for (const type of ['mousePressed', 'mouseReleased'])
        await send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    },
    async facts() {
      const read = `(() => {
        const text = (s) => document.querySelector(s)?.textContent ?? null;
        return document.querySelector('main') === null ? null : {
          context: text('main code'),
          open: document.querySelector('main a.open')?.getAttribute('href') ?? null,
          alert: text('[role=alert]'),
        };
      })()`;
      let answer: unknown = null;
      await expect
        .poll(
          async () => {
            answer = await evaluate(read);
            return answer !== null;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      return answer as { context: string | null; open: string | null; alert: string | null };
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId: targetId as string }).catch(() => {});
      await cdp.detach().catch(() => {});
    },
  };
  return popup;
}
