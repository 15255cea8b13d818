// The self-hosted grant as a person does it, in Firefox: type the instance on the options page, click "Enable on
// this instance" (a trusted click, so permissions.request runs inside a user input handler as Firefox demands),
// the origin is granted and its content script registered, the instance's pages get the button; "Remove" takes
// the grant back and the button goes. Firefox answers the optional-permission request itself when
// `extensions.webextOptionalPermissionPrompts` is false — the headless stand-in for clicking "Allow" — and still
// refuses a request made outside a user's input, which is what this test guards.

import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionInFirefox, launchExtensionInFirefox, serveFixturePages } from '../browser/firefox.ts';

const LAUNCHER = 'https://launchpod.test';
const INSTANCE = 'https://gitlab.example.test';
const PROJECT = `${INSTANCE}/jandugar/m02-bd`;
/** An instance on a port, which Firefox's match patterns cannot name. */
const ON_PORT = 'https://gitlab.example.test:8443';
const PORT_PROJECT = `${ON_PORT}/jandugar/m02-bd`;
/** Fixed through `extensions.webextensions.uuids`, so the options page has a known address. */
const UUID = '3d0f5a8e-6c1b-4f2a-9e7d-5b4c3a2f1e0d';

let extension: ExtensionInFirefox;
let browser: Browser;
let options: Page;
let host: Page;

/** What the options page's own extension APIs report: the granted origins and the registered content scripts. */
async function extensionState(): Promise<{ origins: string[]; scripts: string[] }> {
  return options.evaluate(async () => {
    const api = (
      globalThis as unknown as {
        browser: {
          permissions: { getAll(): Promise<{ origins?: string[] }> };
          scripting: {
            getRegisteredContentScripts(): Promise<{ id: string; matches?: string[]; js?: string[] }[]>;
          };
        };
      }
    ).browser;
    const origins = (await api.permissions.getAll()).origins ?? [];
    const scripts = (await api.scripting.getRegisteredContentScripts()).map(
      (s) => `${s.id} ${(s.matches ?? []).join(',')} ${(s.js ?? []).join(',')}`,
    );
    return { origins, scripts };
  });
}

const listText = () => options.$eval('#self-hosted', (ul) => ul.textContent ?? '');
const messageText = () => options.$eval('#message', (p) => p.textContent ?? '');

beforeAll(async () => {
  extension = await launchExtensionInFirefox({
    launcherUrl: LAUNCHER,
    uuid: UUID,
    // Optional permissions are granted without the doorhanger (the user's "Allow").
    prefs: { 'extensions.webextOptionalPermissionPrompts': false },
  });
  ({ browser } = extension);

  host = await browser.newPage();
  // A real saved GitLab project page, as a self-managed instance serves it; nothing else is reachable.
  await serveFixturePages(
    host,
    new Map([
      [PROJECT, 'gitlab/repo-1.html'],
      [PORT_PROJECT, 'gitlab/repo-1.html'],
    ]),
  );

  options = await browser.newPage();
  // The page loads, but puppeteer never hears of a navigation into the extension process: its goto would wait out
  // the timeout. Start it, and wait for the page itself.
  void options.goto(`moz-extension://${UUID}/options.html`, { timeout: 60_000 }).catch(() => undefined);
  // While the tab moves from about:blank into the extension, Firefox's BiDi may fail the polling evaluation itself
  // ("right-hand side of 'in' should be an object, got null": its realm went away mid-call). That is the
  // navigation, not the page: poll again until the deadline.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await options.waitForSelector('input[aria-label="Instance address"]', {
        timeout: Math.max(1, deadline - Date.now()),
      });
      break;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ProtocolError') || Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}, 180_000);

afterAll(async () => {
  await extension?.close();
});

describe('self-hosted grant in Firefox', () => {
  it('is off on the instance before anything is granted', async () => {
    const before = await extensionState();
    expect(before.origins).not.toContain(`${INSTANCE}/*`);
    expect(before.scripts).toEqual([]);
    await host.goto(PROJECT, { waitUntil: 'load' });
    // The built-in GitLab script runs on gitlab.com only; give a registered script time to run, there is none.
    await new Promise((done) => setTimeout(done, 1500));
    expect(await host.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(0);
  });

  it('grants the origin on a click, registers the GitLab script and puts one button on the instance', async () => {
    await options.type('input[aria-label="Instance address"]', INSTANCE);
    await options.select('select[aria-label="Instance kind"]', 'gitlab');
    await options.click('::-p-text(Enable on this instance)');
    await expect.poll(messageText, { timeout: 20_000 }).toBe(`Enabled on ${INSTANCE}.`);
    await expect.poll(listText).toContain(`${INSTANCE} (GitLab)`);
    expect(await listText()).not.toContain('not granted');
    await expect.poll(extensionState, { timeout: 20_000 }).toEqual({
      origins: expect.arrayContaining([`${INSTANCE}/*`]),
      scripts: [`self-hosted:${INSTANCE} ${INSTANCE}/* content/gitlab.js`],
    });

    await host.reload({ waitUntil: 'load' });
    await host.waitForSelector('[data-launchpod-button] a.lp-main', { timeout: 20_000 });
    expect(await host.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(1);
    expect(await host.$eval('[data-launchpod-button] a.lp-main', (a) => a.getAttribute('href'))).toBe(
      `${LAUNCHER}/#${PROJECT}`,
    );
  });

  it('takes the grant back on Remove: no script, and a reload gets no button', async () => {
    const items = await options.$$('#self-hosted li');
    const texts = await Promise.all(items.map((li) => li.evaluate((e) => e.textContent ?? '')));
    const remove = await items[texts.findIndex((t) => t.startsWith(INSTANCE))]?.$('button');
    if (!remove) throw new Error(`no Remove button for ${INSTANCE} in: ${texts.join(' | ')}`);
    await remove.click();
    await expect.poll(messageText, { timeout: 20_000 }).toBe(`Removed ${INSTANCE}.`);
    expect(await listText()).not.toContain(INSTANCE);
    await expect.poll(extensionState, { timeout: 20_000 }).toEqual({
      origins: expect.not.arrayContaining([`${INSTANCE}/*`]),
      scripts: [],
    });

    await host.reload({ waitUntil: 'load' });
    await new Promise((done) => setTimeout(done, 1500));
    expect(await host.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(0);
  });

  it('grants an instance on a port for its host name and draws the button on that port only', async () => {
    await options.$eval('input[aria-label="Instance address"]', (input) => {
      (input as HTMLInputElement).value = '';
    });
    await options.type('input[aria-label="Instance address"]', ON_PORT);
    await options.select('select[aria-label="Instance kind"]', 'gitlab');
    await options.click('::-p-text(Enable on this instance)');
    await expect.poll(messageText, { timeout: 20_000 }).toBe(`Enabled on ${ON_PORT}.`);
    // A pattern with the port would never match in Firefox: the host name is asked for, on every port.
    await expect.poll(extensionState, { timeout: 20_000 }).toEqual({
      origins: expect.arrayContaining([`${INSTANCE}/*`]),
      scripts: [`self-hosted:${ON_PORT} ${INSTANCE}/* content/gitlab.js`],
    });
    expect(await listText()).not.toContain('not granted');

    await host.goto(PORT_PROJECT, { waitUntil: 'load' });
    await host.waitForSelector('[data-launchpod-button] a.lp-main', { timeout: 20_000 });
    expect(await host.$eval('[data-launchpod-button] a.lp-main', (a) => a.getAttribute('href'))).toBe(
      `${LAUNCHER}/#${PORT_PROJECT}`,
    );
    // The same host without the port is not the listed instance: the script runs there, and draws nothing.
    await host.goto(PROJECT, { waitUntil: 'load' });
    await new Promise((done) => setTimeout(done, 1500));
    expect(await host.$$eval('[data-launchpod-button]', (all) => all.length)).toBe(0);
  });

  it('has the built-in launcher origin from install, and asks for another one when its address is saved', async () => {
    // Built in: a host permission of the manifest (the popup asks it for the user's workspaces with its cookie).
    expect((await extensionState()).origins).toContain(`${LAUNCHER}/*`);
    expect(await options.$eval('#launcher', (input) => (input as HTMLInputElement).value)).toBe(LAUNCHER);
    const other = 'https://launchpod-other.test';
    expect((await extensionState()).origins).not.toContain(`${other}/*`);
    await options.$eval(
      '#launcher',
      (input, value) => {
        (input as HTMLInputElement).value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
      other,
    );
    await options.click('form:has(#launcher) button[type="submit"]');
    await expect.poll(messageText, { timeout: 20_000 }).toContain(`Saved: buttons now open ${other}.`);
    await expect
      .poll(async () => (await extensionState()).origins, { timeout: 20_000 })
      .toContain(`${other}/*`);
  });
});
