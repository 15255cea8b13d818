// A fake workspace cluster speaking the contract in memory, for launcher tests: it checks the secret, answers the
// description, accepts starts (idempotent on id) and moves each workspace one phase forward per status call.
// Test switches make it unreachable, full, or answer a workspace URL on a foreign origin. Web APIs only.

import {
  CLUSTER_CONTRACT_VERSION,
  type ClusterDescription,
  type StartWorkspaceRequest,
  type WorkspacePhase,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { parseStartRequest } from '../../shared/start-request.ts';

export interface FakeClusterOptions {
  readonly name: string;
  readonly region: string;
  readonly secret: string;
  /** Origin of the cluster (its workspace pages live here). */
  readonly origin: string;
  readonly score?: number;
  readonly state?: ClusterDescription['state'];
}

export interface FakeCluster {
  readonly handler: (request: Request) => Promise<Response>;
  readonly started: StartWorkspaceRequest[];
  /** Test switches. */
  down: boolean;
  full: boolean;
  foreignUrl: boolean;
  status(id: string): WorkspaceStatus | undefined;
}

const NEXT: Partial<Record<WorkspacePhase, WorkspacePhase>> = {
  pending: 'creating',
  creating: 'initializing',
  initializing: 'running',
};

export function fakeCluster(options: FakeClusterOptions): FakeCluster {
  const workspaces = new Map<string, WorkspaceStatus>();
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const cluster: FakeCluster = {
    started: [],
    down: false,
    full: false,
    foreignUrl: false,
    status: (id) => workspaces.get(id),
    async handler(request) {
      if (cluster.down) throw new TypeError('fetch failed: connection refused');
      if (request.headers.get('authorization') !== `Bearer ${options.secret}`)
        return json({ message: 'unauthorised' }, 401);
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && path === '/v1/cluster') {
        const description: ClusterDescription = {
          contractVersion: CLUSTER_CONTRACT_VERSION,
          name: options.name,
          region: options.region,
          state: options.state ?? 'available',
          score: cluster.full ? 0 : (options.score ?? 100),
          maxScore: 100,
          classes: [{ id: 'standard', displayName: 'Standard' }],
        };
        return json(description);
      }
      if (request.method === 'POST' && path === '/v1/workspaces') {
        if (cluster.full) return json({ message: 'no capacity left' }, 503);
        // The contract's own validation, as the reference cluster applies it.
        const parsed = parseStartRequest(await request.json());
        if (!parsed.ok) return json({ message: parsed.error }, 400);
        const start = parsed.value;
        cluster.started.push(start);
        const existing = workspaces.get(start.id);
        if (existing !== undefined) return json(existing);
        const origin = cluster.foreignUrl ? 'https://evil.example' : options.origin;
        const status: WorkspaceStatus = {
          id: start.id,
          phase: 'creating',
          url: `${origin}/workspaces/${start.id}`,
          updatedAt: new Date(0).toISOString(),
        };
        workspaces.set(start.id, status);
        return json(status, 201);
      }
      const match = /^\/v1\/workspaces\/([^/]+)$/.exec(path);
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
