// bench/prebuild-selection: what choosing a prebuild costs one launch — history requests to the git host and D1
// queries — with 0, 1 and 100 candidate prebuilds in the context commit's last 100 commits. Runs the real app
// (`POST /api/v1/resolve`) in Node against the fake GitHub and a real local D1 (Miniflare). Prints figures for
// README; asserts nothing. Checked with the worker's types (worker/tsconfig.json), like bench/launch.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { fakeGitHub } from '../dev/fakes/github.ts';
import type { FakeCommit, FakeHostData, FakeRepo } from '../dev/fakes/model.ts';
import { GITPOD_YML } from '../dev/fakes/sample-data.ts';
import { parseGitpodConfig, prebuildFingerprint } from '../shared/gitpod-config.ts';
import { createApp } from '../worker/src/app.ts';

const DEPTH = 120;

/** A repository whose `main` has DEPTH commits in a line, so a history of 100 is full. */
function longRepo(): FakeRepo {
  const commits: Record<string, FakeCommit> = {};
  let parent: string | undefined;
  for (let i = 0; i < DEPTH; i++) {
    const sha = (i + 1).toString(16).padStart(40, '0');
    commits[sha] = {
      sha,
      parents: parent === undefined ? [] : [parent],
      message: `commit ${i}`,
      author: 'bench',
      date: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      files: { '.gitpod.yml': GITPOD_YML, 'n.txt': String(i) },
    };
    parent = sha;
  }
  return {
    owner: 'bench',
    name: 'long',
    id: 1,
    private: false,
    defaultBranch: 'main',
    branches: { main: parent ?? '' },
    tags: {},
    commits,
    pulls: [],
    issues: [],
  };
}

const repo = longRepo();
const tip = repo.branches.main ?? '';
const shas = Object.keys(repo.commits).reverse(); // newest first
const data: FakeHostData = { hostname: 'github.com', repos: [repo], tokens: {} };
const github = fakeGitHub(data);

let historyRequests = 0;
let upstream = 0;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const request = new Request(input, init);
  if (!request.url.startsWith('https://api.github.com/')) throw new Error(`bench refuses ${request.url}`);
  upstream++;
  if (/\/commits\?/.test(request.url)) historyRequests++;
  return github(request);
};

const mf = new Miniflare({
  modules: true,
  script: 'export default {}',
  d1Databases: ['DB'],
  kvNamespaces: ['CACHE'],
});
const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
const migrations = join(import.meta.dirname, '..', 'worker', 'migrations');
for (const file of readdirSync(migrations).sort()) {
  const sql = readFileSync(join(migrations, file), 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  for (const statement of sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== ''))
    await d1.prepare(statement).run();
}

/** Counts queries that touch the prebuild tables (the launcher's own workspace queries are not selection's). */
let prebuildQueries = 0;
const countingDb = new Proxy(d1, {
  get(target, key, receiver) {
    if (key === 'prepare')
      return (sql: string) => {
        if (/\bprebuilds\b|\bprojects\b/.test(sql)) prebuildQueries++;
        return target.prepare(sql);
      };
    const value = Reflect.get(target, key, receiver);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

const fingerprint = (() => {
  const parsed = parseGitpodConfig(GITPOD_YML);
  if (!parsed.ok) throw new Error('sample config invalid');
  return prebuildFingerprint(parsed.value);
})();

async function seed(candidates: number) {
  await d1.prepare('DELETE FROM prebuilds').run();
  await d1.prepare('DELETE FROM projects').run();
  await d1
    .prepare(
      `INSERT INTO projects VALUES ('prj-bench', 'github.com/bench/long', 'github.com', 'github', 'bench', 'long',
        'secret-0123456789abcdef', 'default-branch', '[]', 1, 0, 0, 0)`,
    )
    .run();
  // Ready prebuilds of ancestors 1…candidates commits behind (the exact commit has none: the walk is needed).
  for (let i = 1; i <= candidates; i++) {
    await d1
      .prepare(
        `INSERT INTO prebuilds (id, project_id, repo_key, sha, ref, fingerprint, cluster, state, sequence, started_at,
           finished_at, duration_ms, updated_at)
         VALUES (?1, 'prj-bench', 'github.com/bench/long', ?2, 'main', ?3, 'eu-1', 'ready', 3, 0, 1000, 1000, 1000)`,
      )
      .bind(`pb-${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`, shas[i], fingerprint)
      .run();
  }
}

const app = createApp({ backoffMs: [0, 0] });
const env = {
  LAUNCHER_ORIGIN: 'https://launchpod.test',
  BRAND_NAME: 'Launchpod',
  HOSTS: '[]',
  CLUSTERS: '[]',
  CLUSTER_SECRETS: '{}',
  API_ALLOWED_ORIGINS: '',
  DB: countingDb,
} as unknown as Env;

async function resolveOnce(cache: KVNamespace) {
  const response = await app.fetch(
    new Request('https://launchpod.test/api/v1/resolve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `https://github.com/bench/long/commit/${tip}` }),
    }),
    { ...env, CACHE: cache },
  );
  const body = (await response.json()) as {
    prebuild: { kind: string; commitsBehind?: number; reason?: string };
  };
  return body.prebuild;
}

console.log(
  'bench/prebuild-selection — one launch (POST /api/v1/resolve of a commit), history of 100 commits',
);
console.log(
  'candidates | cold: history requests / D1 prebuild queries | warm (history cached) | choice | resolve ms, warm (median of 7; local D1 over IPC)',
);
for (const candidates of [0, 1, 100]) {
  await seed(candidates);
  const cache = (await mf.getKVNamespace('CACHE')) as unknown as KVNamespace;
  for (const { name } of (await cache.list()).keys) await cache.delete(name);
  historyRequests = 0;
  prebuildQueries = 0;
  upstream = 0;
  const choice = await resolveOnce(cache);
  const cold = `${historyRequests} / ${prebuildQueries} (${upstream} host requests in all)`;
  historyRequests = 0;
  prebuildQueries = 0;
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const before = prebuildQueries;
    const start = performance.now();
    await resolveOnce(cache);
    times.push(performance.now() - start);
    if (round === 0 && prebuildQueries - before !== 1)
      console.log('  (warm launch made', prebuildQueries - before, 'D1 queries)');
  }
  times.sort((a, b) => a - b);
  const warm = `${historyRequests / 7} / ${prebuildQueries / 7}`;
  const what = choice.kind === 'use' ? `use, ${choice.commitsBehind} behind` : `none (${choice.reason})`;
  console.log(
    `${String(candidates).padStart(10)} | ${cold.padEnd(44)} | ${warm.padEnd(21)} | ${what} | ${(times[3] ?? 0).toFixed(1)}`,
  );
}
await mf.dispose();
