// bench/cold-start: what a cold start costs the launcher, beside a trivial worker (`return new Response('ok')`) on
// the same runtime — in workerd (Miniflare, what `wrangler dev` runs): from starting the runtime with the script to
// the answer to its first request (`GET /`, the landing page), and in Node: importing the bundle. The launcher is the
// bundle `wrangler deploy --dry-run` makes, so exactly what ships. Beside the wall-clock times, the CPU time workerd
// itself used for the same span (Linux /proc): it moves far less than wall time when other work shares the machine.
// Prints figures for README; asserts nothing. LAUNCHER_BUNDLE=<index.js> measures another build instead (an older
// one, or one split into modules: the other .js files beside it are given to workerd too).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { workerdCpuMs } from './workerd-cpu.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'launchpod-bench-cold-'));
const rounds = Number(process.env.ROUNDS ?? 9);

interface Sample {
  /** Runtime started with the script loaded (Miniflare's `ready`). */
  readonly readyMs: number;
  /** The first request's answer, after ready. */
  readonly firstRequestMs: number;
  /** CPU time the workerd process used from its start to that answer (all its threads). */
  readonly cpuMs: number;
}

/** The other `.js` modules in the folder of a bundle's entry (`index.js`) and below it. */
function otherModules(scriptPath: string): string[] {
  if (!scriptPath.endsWith('index.js')) return [];
  return readdirSync(dirname(scriptPath), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js') && name !== 'index.js')
    .map((name) => join(dirname(scriptPath), name));
}

async function coldStart(scriptPath: string): Promise<Sample> {
  const start = performance.now();
  const mf = new Miniflare({
    // The module given as it is: with `scriptPath`, Miniflare first parses the script in Node (acorn) to find its
    // imports — its own cost, not the runtime's, and no part of a deployed cold start.
    modules: [
      { type: 'ESModule', path: join(dirname(scriptPath), 'worker.js'), contents: readFileSync(scriptPath) },
      // A build split into modules (esbuild `splitting`, given as LAUNCHER_BUNDLE=<its index.js>): every other module
      // beside the entry too, as wrangler would upload them — workerd compiles each one it is given when it starts.
      ...otherModules(scriptPath).map((path) => ({
        type: 'ESModule' as const,
        path,
        contents: readFileSync(path),
      })),
    ],
    modulesRoot: dirname(scriptPath),
    compatibilityDate: '2026-04-20',
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    queueProducers: { PREBUILDS: { queueName: 'launchpod-prebuilds' } },
    bindings: {
      LAUNCHER_ORIGIN: 'http://localhost:8787',
      BRAND_NAME: 'Launchpod',
      HOSTS: '[]',
      CLUSTERS: '[]',
      API_ALLOWED_ORIGINS: '',
    },
  });
  try {
    await mf.ready;
    const ready = performance.now();
    const response = await mf.dispatchFetch('http://localhost:8787/');
    await response.arrayBuffer();
    const answered = performance.now();
    const cpuMs = workerdCpuMs();
    if (response.status !== 200) throw new Error(`${scriptPath}: GET / answered ${response.status}`);
    return { readyMs: ready - start, firstRequestMs: answered - ready, cpuMs };
  } finally {
    await mf.dispose();
  }
}

/** Milliseconds a fresh Node process takes to import the bundle (module evaluation included). */
function nodeImportMs(scriptPath: string): number {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t = performance.now(); await import(${JSON.stringify(scriptPath)}); console.log(performance.now() - t);`,
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim());
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

try {
  const dist = join(work, 'worker');
  // LAUNCHER_BUNDLE=<index.js> measures another build (an older one, to compare) instead of this checkout's.
  if (process.env.LAUNCHER_BUNDLE === undefined)
    execFileSync(
      join(root, 'node_modules/.bin/wrangler'),
      ['deploy', '--dry-run', '--outdir', dist, '--config', join(root, 'worker/wrangler.jsonc')],
      {
        cwd: root,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
        stdio: 'ignore',
      },
    );
  const workers = {
    trivial: join(work, 'trivial.js'),
    launcher: process.env.LAUNCHER_BUNDLE ?? join(dist, 'index.js'),
  };
  writeFileSync(workers.trivial, "export default { async fetch() { return new Response('ok'); } };\n");

  const samples: Record<keyof typeof workers, Sample[]> = { trivial: [], launcher: [] };
  const imports: Record<keyof typeof workers, number[]> = { trivial: [], launcher: [] };
  await coldStart(workers.trivial); // the first workerd start of a run pays for disk caches: not counted
  for (let round = 0; round < rounds; round++) {
    // Alternating, so drifts in the machine's load fall on both alike.
    for (const name of ['trivial', 'launcher'] as const) {
      samples[name].push(await coldStart(workers[name]));
      imports[name].push(nodeImportMs(workers[name]));
    }
  }
  const summary = Object.fromEntries(
    (['trivial', 'launcher'] as const).map((name) => [
      name,
      {
        // All the modules given to workerd (the entry's own size: entryModuleKiB).
        bundleKiB: Number(
          (
            [workers[name], ...otherModules(workers[name])].reduce(
              (sum, path) => sum + statSync(path).size,
              0,
            ) / 1024
          ).toFixed(1),
        ),
        entryModuleKiB: Number((statSync(workers[name]).size / 1024).toFixed(1)),
        workerdReadyMs: Number(median(samples[name].map((s) => s.readyMs)).toFixed(1)),
        workerdFirstRequestMs: Number(median(samples[name].map((s) => s.firstRequestMs)).toFixed(1)),
        workerdTotalMs: Number(median(samples[name].map((s) => s.readyMs + s.firstRequestMs)).toFixed(1)),
        workerdCpuMs: Number(median(samples[name].map((s) => s.cpuMs)).toFixed(1)),
        nodeImportMs: Number(median(imports[name]).toFixed(1)),
      },
    ]),
  );
  const ratio = (summary.launcher?.workerdTotalMs ?? 0) / (summary.trivial?.workerdTotalMs ?? 1);
  const cpuRatio = (summary.launcher?.workerdCpuMs ?? 0) / (summary.trivial?.workerdCpuMs ?? 1);
  console.log(
    JSON.stringify(
      {
        bench: 'cold-start',
        rounds,
        ...summary,
        launcherVsTrivialInWorkerd: Number(ratio.toFixed(2)),
        launcherVsTrivialWorkerdCpu: Number(cpuRatio.toFixed(2)),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
