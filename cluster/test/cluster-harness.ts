// Drives a real cluster in-process for tests: a fresh data dir, a fake launcher that verifies and records signed
// events (and can refuse the first ones), one-time credential URLs, and start requests built from a test repo.
// Never lets a request leave the process: `fetch` is the fake launcher.

import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { signOpenToken } from '../../shared/workspace-access.ts';
import { type Cluster, type ClusterOptions, createCluster } from '../src/cluster.ts';
import { uidRange } from '../src/sandbox/uid-ranges.ts';
import { fixtureGitConfig, tempDir } from './git-fixtures.ts';

export const SECRET = 'test-cluster-secret-0123456789';
export const LAUNCHER = 'http://launcher.test';
export const EVENTS_URL = `${LAUNCHER}/api/v1/cluster-events`;
export const ORIGIN = 'http://localhost:8788';

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
  /** What `/api/v1/cluster/git-credentials` answers (signed asks only); its asks, in order. */
  gitCredentials: CloneCredential | { message: string };
  readonly gitAsks: Record<string, unknown>[];
}

export function fakeLauncher(): FakeLauncher {
  const credentials = new Map<string, { credential: CloneCredential; redemptions: number }>();
  const launcher: FakeLauncher = {
    events: [],
    rejected: [],
    gitCredentials: { message: 'not allowed yet' },
    gitAsks: [],
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
      if (url.pathname === '/api/v1/cluster/git-credentials') {
        const check = verifyEvent(
          SECRET,
          request.headers.get(EVENT_HEADERS.timestamp),
          request.headers.get(EVENT_HEADERS.signature),
          body,
          Math.floor(Date.now() / 1000),
        );
        if (!check.ok) return Response.json({ message: check.reason }, { status: 401 });
        launcher.gitAsks.push(JSON.parse(body) as Record<string, unknown>);
        const answer = launcher.gitCredentials;
        return Response.json(answer, { status: 'message' in answer ? 403 : 200 });
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

export interface HostAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface Harness {
  readonly cluster: Cluster;
  /**
   * The cluster's HTTP server (workspace origins included) on a loopback port, made on first use: `host` is the
   * Host header (`ws-1.localhost:8788`), whatever port it names.
   */
  hostRequest(
    host: string,
    path: string,
    options?: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string },
  ): Promise<HostAnswer>;
  /** Runs a command in a running workspace as its user; throws when it is not running. */
  runInWorkspace(id: string, argv: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Signs in as the workspace's owner the way the launcher hands over: answers the cookie for its host. */
  ownerCookie(id: string, owner?: string): Promise<string>;
  readonly dataDir: string;
  readonly launcher: FakeLauncher;
  call(method: string, path: string, body?: unknown, secret?: string): Promise<Response>;
  start(request: StartWorkspaceRequest): Promise<WorkspaceStatus>;
  status(id: string): Promise<WorkspaceStatus>;
  /** Polls until the workspace reaches one of `phases` (or any terminal phase), answering that status. */
  waitFor(id: string, ...phases: WorkspacePhase[]): Promise<WorkspaceStatus>;
  /**
   * The same with a deadline of `ms`, for steps a busy machine can make long (a workspace started beside a slow
   * clone, a probe that runs for seconds): the project's CI saw 25 s pass there.
   */
  waitWithin(ms: number, id: string, ...phases: WorkspacePhase[]): Promise<WorkspaceStatus>;
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
    // code-server only where a test opens the editor (editor.test.ts): the task terminals run regardless.
    startEditor: false,
    ...overrides,
  });
  let server: Promise<{ port: number }> | undefined;
  const listening = () => {
    server ??= new Promise((done) => {
      const created = cluster.createServer();
      created.listen(0, '127.0.0.1', () => done({ port: (created.address() as AddressInfo).port }));
      const close = cluster.close.bind(cluster);
      // Closing the cluster closes its server too (and every connection it holds).
      (cluster as { close: () => Promise<void> }).close = async () => {
        created.closeAllConnections();
        created.close();
        await close();
      };
    });
    return server;
  };
  const harness: Harness = {
    cluster,
    dataDir,
    launcher,
    async hostRequest(host, path, options = {}) {
      const { port } = await listening();
      return new Promise((done, fail) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: options.method ?? 'GET',
            headers: {
              host,
              ...(options.cookie !== undefined && { cookie: options.cookie }),
              ...options.headers,
            },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              body += chunk;
            });
            res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
          },
        );
        req.on('error', fail);
        req.end(options.body);
      });
    },
    async runInWorkspace(id, argv) {
      const result = await cluster.exec(id, argv);
      if (result === undefined) throw new Error(`workspace ${id} is not running`);
      return { stdout: result.stdout, stderr: result.stderr };
    },
    async ownerCookie(id, owner = 'user-1') {
      const token = signOpenToken(SECRET, {
        workspaceId: id,
        ownerId: owner,
        expiresAt: Math.floor(Date.now() / 1000) + 60,
        nonce: crypto.randomUUID().replaceAll('-', ''),
      });
      const answer = await harness.hostRequest(
        `${id}.localhost:8788`,
        `/_launchpod/auth?token=${token}&to=%2F`,
      );
      const cookie = String(answer.headers['set-cookie'] ?? '').split(';')[0] ?? '';
      if (answer.status !== 302 || !cookie.startsWith('launchpod_ws='))
        throw new Error(`no cookie: ${answer.status} ${answer.body}`);
      return cookie;
    },
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
    waitFor(id, ...phases) {
      return harness.waitWithin(25_000, id, ...phases);
    },
    async waitWithin(ms, id, ...phases) {
      const deadline = Date.now() + ms;
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
