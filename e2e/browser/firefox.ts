// firefox-esr driven by puppeteer-core over WebDriver BiDi (the machine's browser, never a downloaded one), offline,
// with the built extension installed as a temporary add-on; and fixture pages answered at their real URLs through
// request interception, every other request refused but for the origins let through.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildExtension, type ExtensionBuild } from '../../extension/build.ts';
import { fixtureHtml, passesThrough } from '../../extension/test/browser.ts';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Offline machine: no update, telemetry or remote settings traffic. */
const OFFLINE_PREFS = {
  'network.proxy.type': 0,
  'extensions.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
};

export interface ExtensionInFirefoxOptions {
  /** The launcher address the extension is built with. */
  readonly launcherUrl: string;
  /**
   * The extension's moz-extension:// host, fixed so its pages have a known address; WebDriver BiDi is then allowed
   * system access, without which it refuses to navigate a tab to a moz-extension: page.
   */
  readonly uuid?: string;
  /** Firefox preferences on top of the offline ones. */
  readonly prefs?: Readonly<Record<string, unknown>>;
}

export interface ExtensionInFirefox {
  readonly build: ExtensionBuild;
  readonly browser: Browser;
  /** Closes the browser and removes the build. */
  close(): Promise<void>;
}

/** Headless Firefox with the extension's Firefox build installed as a temporary add-on. */
export async function launchExtensionInFirefox(
  options: ExtensionInFirefoxOptions,
): Promise<ExtensionInFirefox> {
  const work = mkdtempSync(join(tmpdir(), 'launchpod-ext-firefox-'));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const build = await buildExtension({ launcherUrl: options.launcherUrl, outDir: join(work, 'dist') });
    const uuids =
      options.uuid === undefined
        ? {}
        : { 'extensions.webextensions.uuids': JSON.stringify({ [geckoId(build)]: options.uuid }) };
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      ...(options.uuid !== undefined && { args: ['--remote-allow-system-access'] }),
      extraPrefsFirefox: { ...OFFLINE_PREFS, ...uuids, ...options.prefs },
    });
    await browser.installExtension(build.dirs.firefox);
    return { build, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const geckoId = (build: ExtensionBuild): string =>
  (
    JSON.parse(readFileSync(join(build.dirs.firefox, 'manifest.json'), 'utf8')) as {
      browser_specific_settings: { gecko: { id: string } };
    }
  ).browser_specific_settings.gecko.id;

/**
 * Answers `pages` (URL without its fragment → fixture file) on `page`, lets requests to `passThrough` origins go to
 * the network and refuses the rest, as hosts offline would.
 */
export async function serveFixturePages(
  page: Page,
  pages: ReadonlyMap<string, string>,
  passThrough: readonly string[] = [],
): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    const file = pages.get(url.split('#')[0] ?? '');
    // Firefox reports requests it answers from its cache (the launcher's stylesheet, again on the start page)
    // without holding them for interception: those cannot be answered, and need not be.
    const answered =
      file !== undefined
        ? request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: fixtureHtml(file) })
        : passesThrough(new URL(url), passThrough)
          ? request.continue()
          : request.abort();
    answered.catch(() => undefined);
  });
}
