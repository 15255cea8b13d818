// bench/parse: parses per second of the shared context grammar over a mixed corpus (bench/parse/corpus.ts), in each
// build the project ships it in, side by side: as tsx runs the source (scripts, the reference cluster, npm start),
// bundled with the worker's settings from its build (scripts/build-worker.ts, which wrangler runs: esbuild's
// `minify`, `keepNames` and `target` there) and loaded as the ES module workerd loads — in Node and in workerd
// itself (Miniflare; bench/parse/workerd.ts) — and with the extension's (extension/build.ts: minified, no keepNames,
// an IIFE) loaded as the classic script a browser runs. The module matters: esbuild turns a bundle's top-level
// `const`s into `var`s, and V8 reads those more slowly in a module's scope than in a function's (~4 % of a parse
// here; docs/figures.md). Each runs in its own process. Prints figures for README; asserts nothing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { corpus } from './parse/corpus.ts';
import { workerdCpuMs } from './workerd-cpu.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = join(root, 'bench/parse/run.ts');

const ROUNDS = 9;
const PASSES = 200;

/** The same rounds as bench/parse/run.ts (200 passes each, the median of the last 7) in workerd, CPU from /proc. */
async function inWorkerd(bundle: string): Promise<object> {
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: join(work, 'worker.js'), contents: readFileSync(bundle) }],
    modulesRoot: work,
    compatibilityDate: '2026-04-20',
  });
  try {
    await mf.ready;
    const rounds: number[] = [];
    let parsedOk = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = workerdCpuMs();
      const response = await mf.dispatchFetch(`http://localhost/?passes=${PASSES}`);
      parsedOk = Number(await response.text()) / PASSES;
      rounds.push((corpus.length * PASSES) / ((workerdCpuMs() - before) / 1000));
    }
    const warm = rounds.slice(2).sort((a, b) => a - b);
    return {
      corpus: corpus.length,
      parsedOk,
      parsesPerSecondMedian: Math.round(warm[Math.floor(warm.length / 2)] ?? 0),
      parsesPerSecondRange: [Math.round(warm[0] ?? 0), Math.round(warm.at(-1) ?? 0)],
    };
  } finally {
    await mf.dispose();
  }
}

/** Three settings of the worker's esbuild build (scripts/build-worker.ts), with esbuild's defaults. */
function workerSettings(): { minify: boolean; keepNames: boolean; target: string } {
  const text = readFileSync(join(root, 'scripts/build-worker.ts'), 'utf8');
  const setting = (name: string) => new RegExp(`\\b${name}:\\s*(true|false)`).exec(text)?.[1];
  const target = /\btarget:\s*'([\w.]+)'/.exec(text)?.[1] ?? 'esnext';
  return { minify: setting('minify') === 'true', keepNames: setting('keepNames') === 'true', target };
}

const work = mkdtempSync(join(tmpdir(), 'launchpod-bench-parse-'));
try {
  const worker = workerSettings();
  const builds: { name: string; settings: string; command: string[] }[] = [
    {
      name: 'tsx (source)',
      settings: 'keepNames',
      command: [join(root, 'node_modules/.bin/tsx'), runner],
    },
  ];
  // The file's extension tells Node how to load it: .mjs as an ES module, .cjs as a script (in a function's scope).
  for (const [name, extension, options] of [
    ['worker bundle', 'mjs', { ...worker, format: 'esm' }],
    ['extension bundle', 'cjs', { minify: true, keepNames: false, format: 'iife', target: 'chrome120' }],
  ] as const) {
    const outfile = join(work, `${name.split(' ')[0]}.${extension}`);
    await build({
      entryPoints: [runner],
      bundle: true,
      platform: 'node',
      outfile,
      logLevel: 'warning',
      ...options,
    });
    builds.push({
      name,
      settings:
        [options.minify && 'minified', options.keepNames && 'keepNames'].filter(Boolean).join(', ') || '—',
      command: [process.execPath, outfile],
    });
  }
  const results = builds.map(({ name, settings, command }) => {
    const [program = '', ...args] = command;
    const out = execFileSync(program, args, { cwd: root, encoding: 'utf8' });
    return { build: name, settings, ...(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as object) };
  });
  const inWorkerdBundle = join(work, 'workerd.mjs');
  await build({
    entryPoints: [join(root, 'bench/parse/workerd.ts')],
    bundle: true,
    outfile: inWorkerdBundle,
    logLevel: 'warning',
    conditions: ['workerd', 'worker', 'browser'],
    ...worker,
    format: 'esm',
  });
  results.push({
    build: 'worker bundle in workerd',
    settings:
      [worker.minify && 'minified', worker.keepNames && 'keepNames'].filter(Boolean).join(', ') || '—',
    ...(await inWorkerd(inWorkerdBundle)),
  });
  console.log(JSON.stringify({ bench: 'parse', node: process.version, results }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
