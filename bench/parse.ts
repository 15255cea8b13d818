// bench/parse: parses per second of the shared context grammar over a mixed corpus (bench/parse/corpus.ts), in each
// build the project ships it in, side by side: as tsx runs the source (scripts, the reference cluster, npm start),
// bundled with the worker's settings from its build (scripts/build-worker.ts, which wrangler runs: esbuild's
// `minify` and `keepNames` there), and with the extension's (extension/build.ts: minified, no
// keepNames). Each runs in its own Node process. Prints figures for README; asserts nothing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const runner = join(root, 'bench/parse/run.ts');

/** The two settings of the worker's esbuild build (scripts/build-worker.ts), with esbuild's defaults. */
function workerSettings(): { minify: boolean; keepNames: boolean } {
  const text = readFileSync(join(root, 'scripts/build-worker.ts'), 'utf8');
  const setting = (name: string) => new RegExp(`\\b${name}:\\s*(true|false)`).exec(text)?.[1];
  return { minify: setting('minify') === 'true', keepNames: setting('keepNames') === 'true' };
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
  for (const [name, options] of [
    ['worker bundle', { ...worker, format: 'esm', target: 'es2022' }],
    ['extension bundle', { minify: true, keepNames: false, format: 'iife', target: 'chrome120' }],
  ] as const) {
    const outfile = join(work, `${name.split(' ')[0]}.js`);
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
