// bench/launch: what one launch costs the launcher before the cluster call — upstream requests and sequential round
// trips to the git host (cold and warm cache, anonymous and with a server token), and CPU time per launch request.
// Runs the real app in Node against in-process fakes (workerd's CPU accounting is not observable locally), so
// request time here is CPU time: no I/O waits. Prints figures for README; asserts nothing.

import { fakeBitbucketCloud } from '../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../dev/fakes/bitbucket-server.ts';
import { fakeCluster } from '../dev/fakes/cluster.ts';
import { fakeGitHub } from '../dev/fakes/github.ts';
import { fakeGitLab } from '../dev/fakes/gitlab.ts';
import { samples } from '../dev/fakes/sample-data.ts';
import { createApp } from '../worker/src/app.ts';

type Handler = (request: Request) => Promise<Response>;

/** The KV subset the launcher uses, in memory. */
function memoryKv() {
  const store = new Map<string, string>();
  return {
    store,
    async get(key: string, type?: 'json' | 'text') {
      const value = store.get(key);
      if (value === undefined) return null;
      return type === 'json' ? JSON.parse(value) : value;
    },
    async put(key: string, value: string) {
      store.set(key, value);
    },
    async delete(key: string) {
      store.delete(key);
    },
  };
}

const cluster = fakeCluster({
  name: 'eu-1',
  region: 'europe',
  secret: 'bench-secret-0123456789',
  origin: 'https://eu.cluster.test',
});
const routes: Record<string, Handler> = {
  'https://api.github.com': fakeGitHub(samples.github),
  'https://gitlab.com': fakeGitLab(samples.gitlab),
  'https://api.bitbucket.org': fakeBitbucketCloud(samples.bitbucketCloud),
  'https://bitbucket.launchpod.test': fakeBitbucketServer(samples.bitbucketServer),
  'https://eu.cluster.test': cluster.handler,
};

let requests: string[] = [];
let inFlight = 0;
let roundTrips = 0;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  const origin = new URL(request.url).origin;
  const handler = routes[origin];
  if (handler === undefined) throw new Error(`bench refuses ${request.url}`);
  const upstream = !origin.includes('cluster.test');
  if (upstream) {
    if (inFlight === 0) roundTrips++;
    inFlight++;
    requests.push(`${request.method} ${request.url}`);
  }
  try {
    return await handler(request);
  } finally {
    if (upstream) inFlight--;
  }
};

const app = createApp({ backoffMs: [0, 0] });
const baseEnv = {
  LAUNCHER_ORIGIN: 'https://launchpod.test',
  BRAND_NAME: 'Launchpod',
  HOSTS: JSON.stringify([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]),
  CLUSTERS: JSON.stringify([
    { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
  ]),
  CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'bench-secret-0123456789' }),
  API_ALLOWED_ORIGINS: '',
};
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

function envWith(kv: ReturnType<typeof memoryKv>, token: boolean) {
  return {
    ...baseEnv,
    CACHE: kv,
    // Prebuild selection's one D1 query, answered "no prebuilds", and the rate-limit counter (one hit each): this
    // bench measures the host side.
    DB: {
      prepare: () => ({ bind: () => ({ all: async () => ({ results: [] }), run: async () => ({}) }) }),
      batch: async (statements: unknown[]) => statements.map(() => ({ results: [{ hits: 1 }] })),
    },
    PREBUILDS: {},
    ...(token && {
      HOST_TOKENS: JSON.stringify({ 'github.com': 'server-token', 'gitlab.com': 'server-token' }),
    }),
  } as unknown as Env;
}

/**
 * The start page's and the extension's `fetch` send a JSON string, so the request arrives with its Content-Length.
 * `chunked` leaves it out, as a streamed body would: then Hono's body limit counts the body through a new Request.
 */
const resolveRequest = (url: string, chunked = false): Request => {
  const body = JSON.stringify({ url });
  return new Request('https://launchpod.test/api/v1/resolve', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: 'https://launchpod.test',
      ...(chunked ? {} : { 'content-length': String(new TextEncoder().encode(body).length) }),
    },
    body,
  });
};

/** The launcher's whole answer to one request: the app's handling and its response body, read to the end. */
async function answer(request: Request, env: Env): Promise<number> {
  const response = await app.fetch(request, env, ctx as unknown as ExecutionContext);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${request.url}: ${response.status} ${body.slice(0, 300)}`);
  return response.status;
}

const resolve = (url: string, env: Env): Promise<number> => answer(resolveRequest(url), env);

const gh = 'https://github.com/launchpod-samples/node-app';
const scenarios: [string, string][] = [
  ['repo', gh],
  ['branch, 1 segment (d1)', `${gh}/tree/d1`],
  ['branch, 2 segments (release/1.0)', `${gh}/tree/release/1.0`],
  ['branch, 3 segments (feature/x/y)', `${gh}/tree/feature/x/y`],
  ['branch + path, 4 segments (feature/x/y/src)', `${gh}/tree/feature/x/y/src`],
  ['branch, 5 segments (deep/1/2/3/4)', `${gh}/tree/deep/1/2/3/4`],
  ['pull request from a fork', `${gh}/pull/2`],
  ['issue', `${gh}/issues/4`],
  ['GitLab subgroup MR', 'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2'],
  [
    'GitLab branch, 5 segments',
    'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/tree/deep/1/2/3/4',
  ],
  ['Bitbucket Cloud PR', 'https://bitbucket.org/launchpod-samples/node-app/pull-requests/1'],
  [
    'Bitbucket Server branch',
    'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Ffeature%2Fx%2Fy',
  ],
];

interface Row {
  scenario: string;
  credentials: string;
  coldRequests: number;
  coldRoundTrips: number;
  warmRequests: number;
  warmRoundTrips: number;
}

const rows: Row[] = [];
for (const token of [false, true]) {
  for (const [scenario, url] of scenarios) {
    const kv = memoryKv();
    const env = envWith(kv, token);
    requests = [];
    roundTrips = 0;
    await resolve(url, env);
    const cold = { requests: requests.length, roundTrips };
    requests = [];
    roundTrips = 0;
    await resolve(url, env);
    rows.push({
      scenario,
      credentials: token ? 'server token' : 'anonymous',
      coldRequests: cold.requests,
      coldRoundTrips: cold.roundTrips,
      warmRequests: requests.length,
      warmRoundTrips: roundTrips,
    });
  }
}

// CPU per launch request: the same resolve, warm (cache hit: the common case) and cold (every host call answered
// in-process), repeated. Timed from the app's `fetch` to the end of its response body: the request object is the
// bench's, built before the clock starts (Node's Request with a body costs ~40 µs, workerd hands the Worker its own).
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
async function timeRequests(
  cold: boolean,
  iterations: number,
  chunked = false,
): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  const kv = memoryKv();
  const env = envWith(kv, true);
  for (let i = 0; i < iterations; i++) {
    const [, url] = scenarios[i % scenarios.length] ?? ['', gh];
    if (cold) kv.store.clear();
    else await resolve(url, env);
    const request = resolveRequest(url, chunked);
    const start = performance.now();
    await answer(request, env);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    median: Number(percentile(times, 0.5).toFixed(3)),
    p99: Number(percentile(times, 0.99).toFixed(3)),
  };
}
await timeRequests(false, 300); // warm up the JIT
const warm = await timeRequests(false, 2000);
const warmChunked = await timeRequests(false, 2000, true);
const cold = await timeRequests(true, 600);

console.table(rows);
console.log(
  JSON.stringify({ bench: 'launch', cpuMsPerResolveRequest: { warm, warmChunked, cold } }, null, 2),
);
