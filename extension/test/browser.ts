// Chromium for the extension's tests: the machine's /usr/bin/chromium driven by playwright-core, offline, with
// fixture pages answered at their real host URLs and every other request refused.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const fixturePath = (file: string): string =>
  fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
export const fixtureHtml = (file: string): string => readFileSync(fixturePath(file), 'utf8');

/**
 * Whether `url` is on one of `origins` or a subdomain of one (a cluster's public origin `http://localhost:4321`
 * passes its workspaces' `http://ws-1.localhost:4321` too).
 */
export function passesThrough(url: URL, origins: readonly string[]): boolean {
  return origins.some((o) => {
    const origin = new URL(o);
    return (
      url.origin === origin.origin ||
      (url.protocol === origin.protocol && url.host.endsWith(`.${origin.host}`))
    );
  });
}

/**
 * Serves `pages` (URL without fragment → fixture file) and refuses every other web request, as a host offline
 * would — except origins in `passThrough` (a real local launcher, a cluster and its workspaces). Extension pages
 * are never touched.
 */
export async function serveFixtures(
  context: BrowserContext,
  pages: ReadonlyMap<string, string>,
  passThrough: readonly string[] = [],
): Promise<void> {
  const isWeb = (url: URL) =>
    (url.protocol === 'https:' || url.protocol === 'http:') && !passesThrough(url, passThrough);
  await context.route(isWeb, async (route) => {
    const url = route.request().url().split('#')[0] ?? '';
    const file = pages.get(url);
    if (file !== undefined) {
      // Saved pages reference the host's scripts and styles; only the HTML is served.
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixtureHtml(file) });
    }
    return route.abort('blockedbyclient');
  });
}
