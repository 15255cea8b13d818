// Drives a real cluster in-process for tests: a fresh data dir, a fake launcher that verifies and records signed
// events (and can refuse the first ones), one-time credential URLs, and start requests built from a test repo.
// Never lets a request leave the process: `fetch` is the fake launcher.

import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER_CONTRACT_VERSION,
  type CloneCredential,
  type ClusterEvent,
  EVENT_HEADERS,
  type StartWorkspaceRequest,
  verifyEvent,
  type WorkspacePhase,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import type { Task } from '../../shared/gitpod-config.ts';
import { type Cluster, type ClusterOptions, createCluster } from '../src/cluster.ts';
import { uidRange } from '../src/sandbox/uid-ranges.ts';
import { fixtureGitConfig, tempDir } from './git-fixtures.ts';

export const SECRET = 'test-cluster-secret-0123456789';
export const LAUNCHER = 'http://launcher.test';
export const EVENTS_URL = `${LAUNCHER}/api/v1/cluster-events`;
export const ORIGIN = 'http://127.0.0.1:8788';

export interface FakeLauncher {
  readonly fetch: typeof fetch;
  /** Events that verified, in arrival order. */
  readonly events: ClusterEvent[];
  /** Events whose signature did not verify (should stay empty). */
  readonly rejected: string[];
  /** How many event POSTs to answer 500 before accepting. */
  failNext: number;
  /** Attempts seen, including refused ones. */
  attempts: number;
  /** Registers a one-time credential URL; `redemptions` counts POSTs to it. */
  credentialUrl(credential: CloneCredential): { url: string; redemptions: () => number };
}

export function fakeLauncher(): FakeLauncher {
  const credentials = new Map<string, { credential: CloneCredential; redemptions: number }>();
  const launcher: FakeLauncher = {
    events: [],
    rejected: [],
    failNext: 0,
    attempts: 0,
    async fetch(input, init) {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = await request.text();
      if (url.origin !== LAUNCHER) throw new TypeError(`blocked outbound fetch to ${url.origin}`);
      if (url.pathname === '/api/v1/cluster-events') {
        launcher.attempts++;
        if (launcher.failNext > 0) {
          launcher.failNext--;
          return new Response('{"error":"down"}', { status: 500 });
        }
        const check = verifyEvent(
          SECRET,
          request.headers.get(EVENT_HEADERS.timestamp),
          request.headers.get(EVENT_HEADERS.signature),
          body,
          Math.floor(Date.now() / 1000),
        );
        if (!check.ok) {
          launcher.rejected.push(check.reason);
          return Response.json({ error: check.reason }, { status: 401 });
        }
        launcher.events.push(JSON.parse(body) as ClusterEvent);
        return Response.json({ ok: true });
      }
      const once = credentials.get(url.pathname);
      if (once !== undefined && request.method === 'POST') {
        once.redemptions++;
        // One-time: a second redemption is refused, as the launcher would.
        if (once.redemptions > 1) return Response.json({ error: 'used' }, { status: 410 });
        return Response.json(once.credential);
      }
      return new Response('not found', { status: 404 });
    },
    credentialUrl(credential) {
      const path = `/credentials/${crypto.randomUUID()}`;
      const entry = { credential, redemptions: 0 };
      credentials.set(path, entry);
      return { url: `${LAUNCHER}${path}`, redemptions: () => entry.redemptions };
    },
  };
  return launcher;
}

export interface Harness {
  readonly cluster: Cluster;
  readonly dataDir: string;
  readonly launcher: FakeLauncher;
  call(method: string, path: string, body?: unknown, secret?: string): Promise<Response>;
  start(request: StartWorkspaceRequest): Promise<WorkspaceStatus>;
  status(id: string): Promise<WorkspaceStatus>;
  /** Polls until the workspace reaches one of `phases` (or any terminal phase), answering that status. */
  waitFor(id: string, ...phases: WorkspacePhase[]): Promise<WorkspaceStatus>;
}

export function makeHarness(
  overrides: Partial<ClusterOptions> = {},
  existing?: { dataDir: string; launcher: FakeLauncher },
): Harness {
  const dataDir = existing?.dataDir ?? tempDir('launchpod-data-');
  // mkdtemp makes it 0700; the cluster itself refuses a data folder workspaces cannot enter.
  chmodSync(dataDir, 0o711);
  const launcher = existing?.launcher ?? fakeLauncher();
  const cluster = createCluster({
    name: 'test',
    region: 'local',
    dataDir,
    secret: SECRET,
    publicOrigin: ORIGIN,
    maxWorkspaces: 4,
    cloneTimeoutMs: 20_000,
    taskTimeoutMs: 20_000,
    fetch: launcher.fetch,
    eventRetry: { initialMs: 20, maxMs: 100, attempts: 6 },
    logPollMs: 50,
    // The sandbox the suite runs in: LAUNCHPOD_TEST_RUNTIME=podman|bubblewrap, else podman when installed.
    runtime: testRuntime(),
    // The sample configs' `node:20` is the default image here: no registry is reachable.
    imageMap: testImageMap(),
    imagePull: 'never',
    // Test repositories are served through a rewrite of their https URL (the cluster refuses file: URLs).
    gitConfigFile: fixtureGitConfig(),
    ...overrides,
  });
  const harness: Harness = {
    cluster,
    dataDir,
    launcher,
    call(method, path, body, secret = SECRET) {
      return Promise.resolve(
        cluster.app.request(path, {
          method,
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      );
    },
    async start(request) {
      const response = await harness.call('POST', '/v1/workspaces', request);
      if (response.status !== 201 && response.status !== 200)
        throw new Error(`start answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as WorkspaceStatus;
    },
    async status(id) {
      const response = await harness.call('GET', `/v1/workspaces/${id}`);
      return (await response.json()) as WorkspaceStatus;
    },
    async waitFor(id, ...phases) {
      const deadline = Date.now() + 25_000;
      for (;;) {
        const status = await harness.status(id);
        if (phases.includes(status.phase) || status.phase === 'failed' || status.phase === 'stopped')
          return status;
        if (Date.now() > deadline) throw new Error(`workspace ${id} stuck in ${status.phase}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
  return harness;
}

export function testRuntime(): 'podman' | 'bubblewrap' | 'auto' {
  const named = process.env.LAUNCHPOD_TEST_RUNTIME;
  return named === 'podman' || named === 'bubblewrap' ? named : 'auto';
}

/** Maps `node:20` (the sample configs' image) to the cluster's default image. */
export function testImageMap(): Record<string, string> {
  return { 'node:20': 'default' };
}

/** The host uid a workspace's tasks run as (from the cluster's state file). */
export function workspaceUid(dataDir: string, id: string): number {
  const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as {
    workspaces: { request: { id: string }; slot: number }[];
  };
  const stored = state.workspaces.find((w) => w.request.id === id);
  if (stored === undefined) throw new Error(`no workspace ${id} in state.json`);
  return uidRange(stored.slot).uid;
}

/** Host processes running as `uid` (a workspace's), with their command lines; the dead (zombies) are not. */
export function processesOf(uid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status) && !/^State:\s+Z/m.test(status))
        found.push(
          `${pid} ${/^State:\s+(.*)$/m.exec(status)?.[1]} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`,
        );
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** The checkout of a workspace on the host (the start requests here name the repository `app`). */
export const checkoutOf = (dataDir: string, id: string, name = 'app') =>
  join(dataDir, 'workspaces', id, 'workspace', name);

export interface RequestParts {
  readonly id?: string;
  readonly cloneUrl: string;
  readonly sha: string;
  readonly tasks?: readonly Task[];
  readonly context?: Partial<StartWorkspaceRequest['context']>;
  readonly extra?: Partial<StartWorkspaceRequest>;
}

/** A start request for a test repository; `context` and `extra` override any field. */
export function startRequest(parts: RequestParts): StartWorkspaceRequest {
  return {
    contractVersion: CLUSTER_CONTRACT_VERSION,
    id: parts.id ?? `ws-${crypto.randomUUID()}`,
    type: 'regular',
    owner: { id: 'user-1', name: 'Test User' },
    context: {
      repo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'app' },
      cloneUrl: parts.cloneUrl,
      webUrl: 'https://git.example.test/acme/app',
      defaultBranch: 'main',
      ref: { name: 'main', type: 'branch' },
      sha: parts.sha,
      ...parts.context,
    },
    initializer: { kind: 'git' },
    image: { kind: 'default' },
    tasks: parts.tasks ?? [],
    ports: [],
    env: [],
    eventsUrl: EVENTS_URL,
    ...parts.extra,
  };
}
