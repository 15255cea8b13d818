// A fake workspace cluster speaking the contract in memory, for launcher tests and the load bench: it checks the
// secret and the start request (the contract's own validation), answers the description, accepts starts
// (idempotent on id), lists and stops workspaces, and moves each workspace one phase forward per status call.
// Test switches make it unreachable, full, slow to answer a start, frozen (every request waits until it is thawed,
// then runs — as a SIGSTOPped process does), or answer a workspace URL on a foreign origin. Web APIs only.

import {
  CLUSTER_CONTRACT_VERSION,
  type ClusterDescription,
  type StartWorkspaceRequest,
  TERMINAL_PHASES,
  type WorkspaceList,
  type WorkspacePhase,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { parseStartRequest } from '../../shared/start-request.ts';
import { workspaceUrl } from '../../shared/workspace-access.ts';

export interface FakeClusterOptions {
  readonly name: string;
  readonly region: string;
  readonly secret: string;
  /** Origin of the cluster (its workspace pages live here). */
  readonly origin: string;
  readonly score?: number;
  readonly state?: ClusterDescription['state'];
  /** Workspaces it takes before it answers "full" (503 with a message). Unlimited by default. */
  readonly capacity?: number;
}

export interface FakeCluster {
  readonly handler: (request: Request) => Promise<Response>;
  /** Every start request received (repeats of one id included), in order. */
  readonly started: StartWorkspaceRequest[];
  /** Ids stop was asked for, in order. */
  readonly stopped: string[];
  /** Test switches. */
  down: boolean;
  full: boolean;
  foreignUrl: boolean;
  /** Milliseconds a start takes to answer, after the workspace exists (longer than the caller waits: "slow"). */
  startDelayMs: number;
  status(id: string): WorkspaceStatus | undefined;
  /** Workspaces not stopped or failed. */
  active(): WorkspaceStatus[];
  /** Every request from now on waits, unanswered, until `thaw()`. */
  freeze(): void;
  thaw(): void;
  /** Loses a workspace, as a start that never arrived (or a cluster that lost its state) would. */
  forget(id: string): void;
}

const NEXT: Partial<Record<WorkspacePhase, WorkspacePhase>> = {
  pending: 'creating',
  creating: 'initializing',
  initializing: 'running',
};

export function fakeCluster(options: FakeClusterOptions): FakeCluster {
  const workspaces = new Map<string, WorkspaceStatus>();
  let thawed: Promise<void> | undefined;
  let thaw = () => {};
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const live = () => [...workspaces.values()].filter((w) => !TERMINAL_PHASES.includes(w.phase));
  const cluster: FakeCluster = {
    started: [],
    stopped: [],
    down: false,
    full: false,
    foreignUrl: false,
    startDelayMs: 0,
    status: (id) => workspaces.get(id),
    active: live,
    freeze() {
      thawed ??= new Promise((resolve) => {
        thaw = resolve;
      });
    },
    thaw() {
      thaw();
      thawed = undefined;
    },
    forget(id) {
      workspaces.delete(id);
    },
    async handler(request) {
      if (thawed !== undefined) await thawed;
      if (cluster.down) throw new TypeError('fetch failed: connection refused');
      if (request.headers.get('authorization') !== `Bearer ${options.secret}`)
        return json({ message: 'unauthorised' }, 401);
      const path = new URL(request.url).pathname;
      const isFull = () => cluster.full || live().length >= (options.capacity ?? Number.POSITIVE_INFINITY);
      if (request.method === 'GET' && path === '/v1/cluster') {
        const description: ClusterDescription = {
          contractVersion: CLUSTER_CONTRACT_VERSION,
          name: options.name,
          region: options.region,
          state: options.state ?? 'available',
          score: isFull() ? 0 : (options.score ?? 100),
          maxScore: 100,
          classes: [{ id: 'standard', displayName: 'Standard' }],
        };
        return json(description);
      }
      if (request.method === 'GET' && path === '/v1/workspaces') {
        const list: WorkspaceList = { workspaces: [...workspaces.values()] };
        return json(list);
      }
      if (request.method === 'POST' && path === '/v1/workspaces') {
        // The contract's own validation, as the reference cluster applies it.
        const parsed = parseStartRequest(await request.json());
        if (!parsed.ok) return json({ message: parsed.error }, 400);
        const start = parsed.value;
        cluster.started.push(start);
        const existing = workspaces.get(start.id);
        if (existing !== undefined) return json(existing);
        if (isFull()) return json({ message: 'no capacity left' }, 503, { 'retry-after': '30' });
        const origin = cluster.foreignUrl ? 'https://evil.example' : options.origin;
        const status: WorkspaceStatus = {
          id: start.id,
          phase: 'creating',
          // Its own origin under the cluster's, as the reference cluster answers (shared/workspace-access.ts).
          url: workspaceUrl(origin, start.id),
          updatedAt: new Date(0).toISOString(),
        };
        workspaces.set(start.id, status);
        if (cluster.startDelayMs > 0) await new Promise((r) => setTimeout(r, cluster.startDelayMs));
        return json(status, 201);
      }
      const stop = /^\/v1\/workspaces\/([^/]+)\/stop$/.exec(path);
      if (request.method === 'POST' && stop !== null) {
        const id = decodeURIComponent(stop[1] ?? '');
        cluster.stopped.push(id);
        const current = workspaces.get(id);
        if (current === undefined) return json({ message: 'no such workspace' }, 404);
        const next: WorkspaceStatus = TERMINAL_PHASES.includes(current.phase)
          ? current
          : { ...current, phase: 'stopped' };
        workspaces.set(id, next);
        return json(next);
      }
      const logs = /^\/v1\/workspaces\/([^/]+)\/logs$/.exec(path);
      if (request.method === 'GET' && logs !== null) {
        const current = workspaces.get(decodeURIComponent(logs[1] ?? ''));
        if (current === undefined) return json({ message: 'no such workspace' }, 404);
        // The reference cluster's stream, in short: a task's log line, the status, the end.
        const events = [
          `event: log\ndata: ${JSON.stringify({ task: '1-dependencies', text: 'installing…\n' })}\n\n`,
          `event: status\ndata: ${JSON.stringify(current)}\n\n`,
          'event: end\ndata: {}\n\n',
        ];
        return new Response(events.join(''), { headers: { 'content-type': 'text/event-stream' } });
      }
      const restart = /^\/v1\/workspaces\/([^/]+)\/restart$/.exec(path);
      if (request.method === 'POST' && restart !== null) {
        const current = workspaces.get(decodeURIComponent(restart[1] ?? ''));
        if (current === undefined) return json({ message: 'no such workspace' }, 404);
        if (current.phase === 'deleted') return json({ message: 'This workspace was deleted.' }, 409);
        if (!TERMINAL_PHASES.includes(current.phase)) return json(current);
        if (isFull()) return json({ message: 'no capacity left' }, 503, { 'retry-after': '30' });
        const next: WorkspaceStatus = { ...current, phase: 'pending', instance: (current.instance ?? 1) + 1 };
        workspaces.set(current.id, next);
        return json(next);
      }
      const match = /^\/v1\/workspaces\/([^/]+)$/.exec(path);
      if (request.method === 'DELETE' && match !== null) {
        const current = workspaces.get(decodeURIComponent(match[1] ?? ''));
        if (current === undefined) return json({ message: 'no such workspace' }, 404);
        const next: WorkspaceStatus = { ...current, phase: 'deleted' };
        workspaces.set(current.id, next);
        return json(next);
      }
      if (request.method === 'GET' && match !== null) {
        const current = workspaces.get(decodeURIComponent(match[1] ?? ''));
        if (current === undefined) return json({ message: 'no such workspace' }, 404);
        const next: WorkspaceStatus = { ...current, phase: NEXT[current.phase] ?? current.phase };
        workspaces.set(current.id, next);
        return json(next);
      }
      return json({ message: 'not found' }, 404);
    },
  };
  return cluster;
}
