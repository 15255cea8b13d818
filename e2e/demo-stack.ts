// One demo stack per test file or bench run, in a temporary folder of its own, with Debian's Chromium beside it when
// asked. `stopDemoStacks()` (afterAll) stops every stack process, closes every browser and removes every folder this
// module handed out — also those of a start that timed out before its hook received them.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { stopAllStacks } from '../dev/processes.ts';
import { type Stack, type StackOptions, startStack } from '../dev/stack.ts';
import { launchChromium } from './browser/chromium.ts';

/** Everything but `demo` (always on) and `dataDir` (a new temporary folder). */
export type DemoStackOptions = Omit<StackOptions, 'demo' | 'dataDir'>;

const folders = new Set<string>();
const browsers = new Set<Promise<Browser>>();

/** A demo stack in a new folder under the system's temporary directory, named `<prefix>XXXXXX`. */
export async function startDemoStack(
  prefix: string,
  options: DemoStackOptions = {},
): Promise<{ stack: Stack; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // Entered (not listed) by workspaces' own uids on the way to their folders: the cluster refuses it otherwise.
  chmodSync(dataDir, 0o711);
  folders.add(dataDir);
  // The sample init's sleep stands in for installing dependencies; the suites need it short, not long (a
  // benchmark that measures what a prebuild saves asks for the demo's 5 s).
  return { stack: await startStack({ initSeconds: 1, ...options, demo: true, dataDir }), dataDir };
}

/** A demo stack and a headless Chromium, started side by side. */
export async function startDemoStackAndChromium(
  prefix: string,
  options: DemoStackOptions = {},
): Promise<{ stack: Stack; dataDir: string; browser: Browser }> {
  const launching = launchChromium();
  browsers.add(launching);
  const [started, browser] = await Promise.all([startDemoStack(prefix, options), launching]);
  return { ...started, browser };
}

export async function stopDemoStacks(): Promise<void> {
  await Promise.all(
    [...browsers].map((launching) =>
      launching.then(
        (browser) => browser.close(),
        () => undefined,
      ),
    ),
  );
  browsers.clear();
  await stopAllStacks();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

/** The last lines the stack printed, for a failure message, without the pages' status polling. */
export const quietTail = (stack: Stack): string =>
  stack
    .output()
    .split('\n')
    .filter((line) => !line.includes('GET /api/v1/'))
    .join('\n')
    .slice(-6000);
