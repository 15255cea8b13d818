// bench/parse: parses per second of the shared context grammar over a mixed corpus (bench/parse/corpus.ts), in each
// build the project ships it in, side by side: as tsx runs the source (scripts, the reference cluster, npm start),
// bundled with the worker's settings from its build (scripts/build-worker.ts, which wrangler runs: esbuild's
// `minify`, `keepNames` and `target` there) and loaded as the ES module workerd loads, and with the extension's
// (extension/build.ts: minified, no keepNames, an IIFE) loaded as the classic script a browser runs. The module
// matters: esbuild turns a bundle's top-level `const`s into `var`s, and V8 reads those more slowly in a module's
// scope than in a function's (~4 % of a parse here; docs/figures.md). Each runs in its own Node process. Prints
// figures for README; asserts nothing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = join(root, 'bench/parse/run.ts');

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
  console.log(JSON.stringify({ bench: 'parse', node: process.version, results }, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
