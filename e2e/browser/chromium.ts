// Debian's Chromium driven by playwright-core (never `playwright install`: it downloads), with the same path and
// offline flags as the extension's tests (extension/test/browser.ts holds them once).

import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../extension/test/browser.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
