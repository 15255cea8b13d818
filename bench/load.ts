// bench/load: the launcher under a crowd, on loopback. `wrangler dev` (the real launcher, local D1 and KV) with the
// fake hosts and a fake workspace cluster served over HTTP (the contract's own validation, in memory, so the
// cluster is not what is measured): 2,000 resolves and 500 starts that reuse 100 idempotency keys (each key sent five
// times, as double clicks and retries do), from 50 simulated clients at once. Then it checks, from the cluster's
// own list and the launcher's API: errors (any answer that is not 2xx), duplicates (a key that started more than one
// workspace, or answered different ones), orphans (a workspace the cluster runs that no key's answer names) and lost
// starts (a key answered 2xx whose workspace the cluster does not hold or the launcher cannot show). Prints figures
// and those four counts; asserts nothing.

import { type ServerType, serve } from '@hono/node-server';
import { fakeCluster } from '../dev/fakes/cluster.ts';
import { freePort } from '../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../e2e/demo-stack.ts';

const RESOLVES = Number(process.env.RESOLVES ?? 2000);
const STARTS = Number(process.env.STARTS ?? 500);
const KEYS = Number(process.env.KEYS ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const CLIENTS = 50;
const CLUSTER_SECRET = 'load-bench-secret-0123456789';

const CONTEXTS = [
  'https://github.com/launchpod-samples/node-app',
  'https://github.com/launchpod-samples/node-app/tree/feature/x/y',
  'https://github.com/launchpod-samples/node-app/pull/2',
  'https://github.com/launchpod-samples/node-app/issues/4',
  'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/1',
  'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/tree/deep/1/2/3/4',
  'https://bitbucket.org/launchpod-samples/node-app/pull-requests/1',
  'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Frelease%2F1.0',
];

interface Sample {
  readonly kind: 'resolve' | 'start';
  readonly ms: number;
  readonly status: number;
  readonly key?: string;
  readonly id?: string;
  readonly detail?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

let clusterServer: ServerType | undefined;
try {
  const clusterPort = await freePort();
  // The fake cluster's workspace pages live on its registered origin.
  const workspaceOrigin = `http://127.0.0.1:${clusterPort}`;
  const cluster = fakeCluster({
    name: 'load-1',
    region: 'local',
    secret: CLUSTER_SECRET,
    origin: workspaceOrigin,
  });
  clusterServer = serve({ fetch: cluster.handler, port: clusterPort, hostname: '127.0.0.1' });
  const { stack } = await startDemoStack('launchpod-bench-load-', {
    launcherVars: {
      CLUSTERS: JSON.stringify([
        {
          name: 'load-1',
          baseUrl: `http://127.0.0.1:${clusterPort}`,
          region: 'local',
          latitude: 0,
          longitude: 0,
        },
      ]),
      CLUSTER_SECRETS: JSON.stringify({ 'load-1': CLUSTER_SECRET }),
    },
  });
  const client = (i: number) => ({
    ip: `198.18.0.${(i % CLIENTS) + 1}`,
    cookie: `lp_owner=anon-00000000-0000-4000-8000-${String((i % CLIENTS) + 1).padStart(12, '0')}`,
  });

  const post = async (path: string, body: unknown, who: ReturnType<typeof client>, key?: string) => {
    const started = performance.now();
    try {
      const response = await fetch(`${stack.launcherUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: stack.launcherUrl,
          cookie: who.cookie,
          'cf-connecting-ip': who.ip,
          ...(key !== undefined && { 'idempotency-key': key }),
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return { ms: performance.now() - started, status: response.status, text };
    } catch (error) {
      return { ms: performance.now() - started, status: 0, text: String(error) };
    }
  };

  // Warm-up: one resolve per context (the cold host round trips are bench/launch's subject, not this one's).
  for (const url of CONTEXTS) await post('/api/v1/resolve', { url }, client(0));

  type Task = () => Promise<Sample>;
  const tasks: Task[] = [];
  for (let i = 0; i < RESOLVES; i++) {
    const url = CONTEXTS[i % CONTEXTS.length] ?? '';
    tasks.push(async () => {
      const r = await post('/api/v1/resolve', { url }, client(i));
      return {
        kind: 'resolve',
        ms: r.ms,
        status: r.status,
        ...(r.status !== 200 && { detail: r.text.slice(0, 200) }),
      };
    });
  }
  for (let i = 0; i < STARTS; i++) {
    const k = i % KEYS;
    const key = `load-key-${String(k).padStart(4, '0')}`;
    const url = CONTEXTS[k % 4 === 0 ? 0 : k % 4 === 1 ? 4 : k % 4 === 2 ? 6 : 7] ?? '';
    tasks.push(async () => {
      const r = await post('/api/v1/workspaces', { url }, client(k), key);
      let id: string | undefined;
      try {
        id = (JSON.parse(r.text) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      return {
        kind: 'start',
        ms: r.ms,
        status: r.status,
        key,
        ...(id !== undefined && { id }),
        ...(r.status >= 300 && { detail: r.text.slice(0, 200) }),
      };
    });
  }
  const queue = shuffled(tasks, 13);
  const samples: Sample[] = [];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let task = queue.shift(); task !== undefined; task = queue.shift()) samples.push(await task());
    }),
  );
  const wallMs = performance.now() - began;

  // What happened, from the cluster's own list and the launcher's API.
  const errors = samples.filter((s) => s.status < 200 || s.status >= 300);
  const idsByKey = new Map<string, Set<string>>();
  for (const s of samples) {
    if (s.kind !== 'start' || s.key === undefined || s.id === undefined || s.status >= 300) continue;
    const ids = idsByKey.get(s.key) ?? new Set<string>();
    ids.add(s.id);
    idsByKey.set(s.key, ids);
  }
  const answered = new Set([...idsByKey.values()].flatMap((ids) => [...ids]));
  const startedOnCluster = new Set(cluster.started.map((r) => r.id));
  const keysWithTwoAnswers = [...idsByKey.values()].filter((ids) => ids.size > 1).length;
  const duplicates = keysWithTwoAnswers + Math.max(0, startedOnCluster.size - idsByKey.size);
  const orphans = cluster.active().filter((w) => !answered.has(w.id)).length;
  let lost = 0;
  for (const [key, ids] of idsByKey) {
    const k = Number(key.slice('load-key-'.length));
    for (const id of ids) {
      const shown = await fetch(`${stack.launcherUrl}/api/v1/workspaces/${id}`, {
        headers: { cookie: client(k).cookie, 'cf-connecting-ip': client(k).ip },
      });
      const body = (await shown.json()) as { cluster?: string };
      if (cluster.status(id) === undefined || shown.status !== 200 || body.cluster !== 'load-1') lost++;
    }
  }

  const figures = (kind: Sample['kind']) => {
    const times = samples
      .filter((s) => s.kind === kind)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    return {
      requests: times.length,
      p50Ms: Number(percentile(times, 0.5).toFixed(1)),
      p99Ms: Number(percentile(times, 0.99).toFixed(1)),
      maxMs: Number((times.at(-1) ?? 0).toFixed(1)),
    };
  };
  const startStatuses: Record<string, number> = {};
  for (const s of samples.filter((x) => x.kind === 'start'))
    startStatuses[s.status] = (startStatuses[s.status] ?? 0) + 1;
  console.log(
    JSON.stringify(
      {
        bench: 'load',
        concurrency: CONCURRENCY,
        clients: CLIENTS,
        keys: KEYS,
        wallMs: Math.round(wallMs),
        throughputPerSecond: Number(((samples.length / wallMs) * 1000).toFixed(1)),
        resolve: figures('resolve'),
        start: { ...figures('start'), statuses: startStatuses },
        workspaces: { startedOnCluster: startedOnCluster.size, keysAnswered: idsByKey.size, workspaceOrigin },
        errors: errors.length,
        duplicates,
        orphans,
        lost,
        ...(errors.length > 0 && { firstErrors: errors.slice(0, 3) }),
      },
      null,
      2,
    ),
  );
} finally {
  clusterServer?.close();
  await stopDemoStacks();
}
