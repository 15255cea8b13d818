// Speaking the cluster contract over HTTP: describe, start, status, stop, list — each bounded by a timeout,
// authenticated with the cluster's secret, and answering typed failures that keep "slow", "full" and "down" apart:
// a cluster that did not answer in time may still act on the request; one that is full said so; one that is down
// could not be reached or broke the contract.

import {
  CLUSTER_CONTRACT_VERSION,
  type ClusterDescription,
  clusterPaths,
  type StartWorkspaceRequest,
  type WorkspaceList,
  type WorkspaceStatus,
} from '../../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { ClusterConfig } from '../config.ts';

export type ClusterFailure =
  /** No answer within the timeout: the cluster may still be acting on the request (a start may still happen). */
  | { readonly kind: 'slow'; readonly message: string }
  /**
   * Unreachable, a 5xx without the contract's body, or an answer outside the contract. `answered`: the cluster
   * itself answered (it may have begun acting on the request); false when it could not be reached at all.
   */
  | { readonly kind: 'down'; readonly message: string; readonly answered: boolean }
  /** It answered that it has no room now (503 or 429 with the contract's `{message}` body). */
  | { readonly kind: 'full'; readonly message: string; readonly retryAfterSeconds?: number }
  /** It answered and refused this request (a 4xx): final for this request on this cluster. */
  | { readonly kind: 'refused'; readonly status: number; readonly message: string };

export interface ClusterClientOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

async function call<T>(
  cluster: ClusterConfig,
  path: string,
  init: RequestInit,
  options: ClusterClientOptions,
  isValid: (body: unknown) => body is T,
): Promise<Result<T, ClusterFailure>> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  let response: Response;
  try {
    response = await doFetch(cluster.baseUrl + path, {
      ...init,
      headers: {
        authorization: `Bearer ${cluster.secret}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-launchpod-contract': String(CLUSTER_CONTRACT_VERSION),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError'))
      return err({
        kind: 'slow',
        message: `cluster ${cluster.name} did not answer within ${timeoutMs / 1000} s`,
      });
    return err({ kind: 'down', message: `cluster ${cluster.name} unreachable`, answered: false });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const message =
    typeof (body as { message?: unknown } | undefined)?.message === 'string'
      ? (body as { message: string }).message
      : undefined;
  // The contract's "no room now": 503 or 429 with a `{message}` body (a proxy's bare 503 means down instead).
  if ((response.status === 503 || response.status === 429) && message !== undefined) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return err({
      kind: 'full',
      message: `cluster ${cluster.name} is full (${message})`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterSeconds: Math.ceil(retryAfter) }),
    });
  }
  if (response.status === 408)
    return err({ kind: 'slow', message: `cluster ${cluster.name} timed out (HTTP 408)` });
  if (response.status >= 500)
    return err({
      kind: 'down',
      message: `cluster ${cluster.name} answered HTTP ${response.status}`,
      answered: true,
    });
  if (body === undefined)
    return err({
      kind: 'down',
      message: `cluster ${cluster.name} answered something that is not JSON`,
      answered: true,
    });
  if (!response.ok)
    return err({ kind: 'refused', status: response.status, message: message ?? `HTTP ${response.status}` });
  if (!isValid(body))
    return err({
      kind: 'down',
      message: `cluster ${cluster.name} answered outside the contract`,
      answered: true,
    });
  return ok(body);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const isDescription = (v: unknown): v is ClusterDescription =>
  isRecord(v) &&
  typeof v.name === 'string' &&
  typeof v.region === 'string' &&
  (v.state === 'available' || v.state === 'cordoned' || v.state === 'draining') &&
  typeof v.score === 'number' &&
  typeof v.maxScore === 'number' &&
  Array.isArray(v.classes);

const PHASES = new Set([
  'pending',
  'creating',
  'initializing',
  'running',
  'stopping',
  'stopped',
  'failed',
  'deleted',
]);
export const isWorkspaceStatus = (v: unknown): v is WorkspaceStatus =>
  isRecord(v) && typeof v.id === 'string' && typeof v.url === 'string' && PHASES.has(v.phase as string);

export function describeCluster(cluster: ClusterConfig, options: ClusterClientOptions = {}) {
  return call(
    cluster,
    clusterPaths.describe,
    { method: 'GET' },
    { timeoutMs: 3000, ...options },
    isDescription,
  );
}

export function startWorkspace(
  cluster: ClusterConfig,
  request: StartWorkspaceRequest,
  options: ClusterClientOptions = {},
) {
  return call(
    cluster,
    clusterPaths.workspaces,
    { method: 'POST', body: JSON.stringify(request) },
    options,
    isWorkspaceStatus,
  );
}

export function workspaceStatus(cluster: ClusterConfig, id: string, options: ClusterClientOptions = {}) {
  return call(cluster, clusterPaths.workspace(id), { method: 'GET' }, options, isWorkspaceStatus);
}

export function stopWorkspace(cluster: ClusterConfig, id: string, options: ClusterClientOptions = {}) {
  return call(cluster, clusterPaths.stop(id), { method: 'POST', body: '{}' }, options, isWorkspaceStatus);
}

export function restartWorkspace(cluster: ClusterConfig, id: string, options: ClusterClientOptions = {}) {
  return call(cluster, clusterPaths.restart(id), { method: 'POST', body: '{}' }, options, isWorkspaceStatus);
}

export function deleteWorkspace(cluster: ClusterConfig, id: string, options: ClusterClientOptions = {}) {
  return call(
    cluster,
    clusterPaths.workspace(id),
    { method: 'DELETE' },
    { timeoutMs: 30_000, ...options },
    isWorkspaceStatus,
  );
}

/** The workspace's live log stream (server-sent events) from its cluster, for the start page; undefined if none. */
export async function workspaceLogStream(
  cluster: ClusterConfig,
  id: string,
  signal: AbortSignal,
): Promise<Response | undefined> {
  try {
    const response = await fetch(cluster.baseUrl + clusterPaths.logs(id), {
      headers: { authorization: `Bearer ${cluster.secret}`, accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      await response.body?.cancel();
      return undefined;
    }
    return response;
  } catch {
    return undefined;
  }
}

const isWorkspaceList = (v: unknown): v is WorkspaceList =>
  isRecord(v) && Array.isArray(v.workspaces) && v.workspaces.every(isWorkspaceStatus);

export function listWorkspaces(cluster: ClusterConfig, options: ClusterClientOptions = {}) {
  return call(cluster, clusterPaths.workspaces, { method: 'GET' }, options, isWorkspaceList);
}
