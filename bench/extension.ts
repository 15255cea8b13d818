// bench/extension: the extension's figures for README — content script size per host (minified, gzip), time
// from an anchor's appearance to the button's, and the content script's observer cost per 1,000 DOM mutations.
// Runs the real controller in /usr/bin/chromium (playwright-core); prints figures, asserts nothing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { buildExtension } from '../extension/build.ts';
import { CHROMIUM, CHROMIUM_ARGS, serveFixtures } from '../extension/test/browser.ts';

const work = mkdtempSync(join(tmpdir(), 'launchpod-bench-'));
try {
  const built = await buildExtension({
    launcherUrl: 'https://launchpod.example',
    outDir: join(work, 'dist'),
  });
  console.log('content script size (Chrome build):');
  for (const family of ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-server']) {
    const code = readFileSync(join(built.dirs.chrome, 'content', `${family}.js`));
    console.log(
      `  ${family.padEnd(17)} ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(code).length / 1024).toFixed(1)} KB gzip`,
    );
  }

  const harness = await build({
    entryPoints: [new URL('../extension/test/harness.ts', import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'iife',
    write: false,
    target: 'chrome120',
  });
  // Times every observer's callbacks separately, from inside the page: the controller's observer is the first.
  const instrument = `(() => {
    const Original = window.MutationObserver;
    window.__observers = [];
    window.MutationObserver = class extends Original {
      constructor(callback) {
        const stats = { ms: 0, calls: 0 };
        window.__observers.push(stats);
        super((records, observer) => {
          const t = performance.now();
          callback(records, observer);
          stats.ms += performance.now() - t;
          stats.calls++;
        });
      }
    };
  })();`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext();
  await serveFixtures(context, new Map([['https://github.com/o/r', 'github/hand-unknown-layout.html']]));
  await context.addInitScript({ content: instrument + (harness.outputFiles[0]?.text ?? '') });
  const page = await context.newPage();
  await page.goto('https://github.com/o/r');
  await page.evaluate(`launchpodHarness.start({ family: 'github', launcher: 'https://launchpod.example' })`);

  // Anchor → button: the host renders its header late; how long until the button sits in it?
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const ms = (await page.evaluate(`new Promise((resolve) => {
      document.querySelector('ul.pagehead-actions')?.remove();
      setTimeout(() => {
        const ul = document.createElement('ul');
        ul.className = 'pagehead-actions';
        const seen = new MutationObserver(() => {
          if (ul.querySelector('[data-launchpod-button]')) { seen.disconnect(); resolve(performance.now() - t0); }
        });
        seen.observe(ul, { childList: true, subtree: true });
        const t0 = performance.now();
        document.body.prepend(ul);
      }, 50);
    })`)) as number;
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `anchor → button: median ${samples[15]?.toFixed(1)} ms, worst ${samples.at(-1)?.toFixed(1)} ms (30 runs; one check per animation frame)`,
  );

  // Observer cost: 1,000 mutations in 1,000 separate batches with the button mounted (steady state), beside an
  // observer that does nothing on the same batches (what any callback costs the browser).
  const cost = (await page.evaluate(`(async () => {
    const box = document.createElement('div');
    document.body.append(box);
    await new Promise((r) => setTimeout(r, 50));
    const ours = window.__observers[0];
    ours.ms = 0; ours.calls = 0;
    const idle = new MutationObserver(() => {});
    const idleStats = window.__observers.at(-1);
    idle.observe(document.documentElement, { childList: true, subtree: true });
    for (let i = 0; i < 1000; i++) {
      const span = document.createElement('span');
      span.textContent = String(i);
      box.append(span);
      await Promise.resolve();
    }
    await new Promise((r) => setTimeout(r, 50));
    idle.disconnect();
    return { ms: ours.ms, calls: ours.calls, idleMs: idleStats.ms };
  })()`)) as { ms: number; calls: number; idleMs: number };
  console.log(
    `observer cost: ${cost.ms.toFixed(2)} ms per 1,000 mutations (${cost.calls} callbacks, ${((cost.ms / Math.max(cost.calls, 1)) * 1000).toFixed(1)} µs each); an empty observer on the same batches: ${cost.idleMs.toFixed(2)} ms`,
  );
  await browser.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
