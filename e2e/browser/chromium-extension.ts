// The built extension loaded unpacked into Debian's Chromium, in a throwaway persistent profile, with fixture pages
// answered at their real URLs and every other web request refused but for the origins let through. Grants no origin
// the test did not name.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { buildExtension, type ExtensionBuild } from '../../extension/build.ts';
import { CHROMIUM, CHROMIUM_ARGS, serveFixtures } from '../../extension/test/browser.ts';

export interface ExtensionInChromiumOptions {
  /** The launcher address the extension is built with; '' leaves it unset (the first-run page asks for it). */
  readonly launcherUrl: string;
  /** Page URL without its fragment → fixture file (extension/test/fixtures). */
  readonly pages: ReadonlyMap<string, string>;
  /** Origins whose requests go to the network: a real local launcher, the cluster. */
  readonly passThrough?: readonly string[];
  /**
   * Origins added to the manifest's host permissions: the user's "Allow" on the optional-permission prompt, which a
   * headless browser cannot click.
   */
  readonly grantedOrigins?: readonly string[];
  /** Headed, in a window on this X display (Xvfb), instead of headless. */
  readonly display?: string;
}

export interface ExtensionInChromium {
  readonly build: ExtensionBuild;
  /** The unpacked folder Chromium loaded: the build's, or a copy of it with the granted origins. */
  readonly extensionDir: string;
  readonly context: BrowserContext;
  /** The extension's background service worker. */
  readonly worker: Worker;
  readonly extensionId: string;
  /** A new tab on the extension's options page. */
  openOptions(): Promise<Page>;
  /** Closes the browser and removes the build and the profile. */
  close(): Promise<void>;
}

export async function launchExtensionInChromium(
  options: ExtensionInChromiumOptions,
): Promise<ExtensionInChromium> {
  const work = mkdtempSync(join(tmpdir(), 'launchpod-ext-chromium-'));
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const build = await buildExtension({ launcherUrl: options.launcherUrl, outDir: join(work, 'dist') });
    const extensionDir =
      options.grantedOrigins === undefined
        ? build.dirs.chrome
        : withHostPermissions(build.dirs.chrome, join(work, 'granted'), options.grantedOrigins);
    const display = options.display;
    const launched = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: display === undefined,
      ...(display !== undefined && { env: { ...process.env, DISPLAY: display }, viewport: null }),
      args: [
        ...CHROMIUM_ARGS,
        ...(display !== undefined
          ? ['--ozone-platform=x11', '--window-position=0,0', '--window-size=1200,850']
          : []),
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
      ],
    });
    context = launched;
    await serveFixtures(launched, options.pages, options.passThrough);
    const worker = launched.serviceWorkers()[0] ?? (await launched.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    return {
      build,
      extensionDir,
      context: launched,
      worker,
      extensionId,
      async openOptions() {
        const page = await launched.newPage();
        await page.goto(`chrome-extension://${extensionId}/options.html`);
        return page;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A copy of the unpacked extension at `into`, its manifest's host permissions extended by `origins`. */
function withHostPermissions(from: string, into: string, origins: readonly string[]): string {
  cpSync(from, into, { recursive: true });
  const file = join(into, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { host_permissions: string[] };
  manifest.host_permissions = [...manifest.host_permissions, ...origins.map((origin) => `${origin}/*`)];
  writeFileSync(file, JSON.stringify(manifest));
  return into;
}
