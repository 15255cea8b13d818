// The launcher Worker's build, run by wrangler (`build.command` in worker/wrangler.jsonc) before `deploy`, `dev` and
// `types`: one esbuild bundle split into modules (`splitting`), so that a cold start answering `GET /` evaluates
// only the landing page's modules (worker/src/landing-app.ts) and the other routes' modules wait for their first
// request (bench/cold-start). Wrangler uploads the folder's modules as they are (`no_bundle`, `rules`). Writes only
// into dist/worker-modules, and only files that changed: two stacks of one checkout (e2e files side by side) each
// run it while the other's `wrangler dev` may be reading the folder.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist/worker-modules');

/**
 * `@oslojs/crypto`'s modules have no side effects, but its package does not say so: without this, its `sha2` entry
 * keeps SHA-224, -384 and -512 (SHA-512's 64-bit constant tables built on every cold start) beside the SHA-256 the
 * launcher uses (shared/digest.ts). −2.3 KB, −1.1 KiB gzip.
 */
const osloWithoutSideEffects: Plugin = {
  name: 'oslojs-crypto-side-effect-free',
  setup(build) {
    build.onResolve({ filter: /^(@oslojs\/crypto\/|\.\.?\/)/ }, async (args) => {
      if (args.pluginData === 'resolved') return undefined;
      if (
        !args.path.startsWith('@oslojs/crypto/') &&
        !args.importer.includes('/node_modules/@oslojs/crypto/')
      )
        return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolved',
      });
      return resolved.errors.length > 0 ? undefined : { ...resolved, sideEffects: false };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'worker/src/index.ts' },
  outdir,
  // The modules beside the entry, which wrangler.jsonc's `rules` name: a glob for every .js file would also make
  // the worker's vitest projects load each .js file they import as it is, unbundled.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  // As wrangler's own bundling (4.86): workerd's export conditions, its V8's language level.
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2024',
  external: ['cloudflare:*'],
  define: { 'process.env.NODE_ENV': '"production"', 'navigator.userAgent': '"Cloudflare-Workers"' },
  // Minified, names not kept (esbuild's keepNames wraps every function in `__name`): nothing reads them.
  minify: true,
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  plugins: [osloWithoutSideEffects],
});

const built = new Set<string>();
for (const file of result.outputFiles) {
  built.add(file.path);
  let current: string | undefined;
  try {
    current = readFileSync(file.path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === file.text) continue;
  mkdirSync(dirname(file.path), { recursive: true });
  // Whole or not at all, for a `wrangler dev` reading it meanwhile.
  const partial = `${file.path}.${process.pid}.partial`;
  writeFileSync(partial, file.text);
  renameSync(partial, file.path);
}
// An earlier build's modules go: wrangler would upload them too.
for (const name of readdirSync(outdir, { recursive: true, encoding: 'utf8' })) {
  const path = join(outdir, name);
  if (name.endsWith('.js') && !built.has(path)) rmSync(path, { force: true });
}
console.log(`built the worker → ${relative(root, outdir)} (${built.size} modules)`);
