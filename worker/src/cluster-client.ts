// Speaking the cluster contract over HTTP: describe, start, status, stop — each bounded by a timeout, authenticated
// with the cluster's secret, and answering typed failures (a transport failure means "try the next cluster").

import {
  CLUSTER_CONTRACT_VERSION,
  type ClusterDescription,
  clusterPaths,
  type StartWorkspaceRequest,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { ClusterConfig } from './config.ts';

export type ClusterFailure =
  /** Unreachable, timed out, 5xx, or an answer that is not the contract: another cluster may serve. */
  | { readonly kind: 'transport'; readonly message: string }
  /** The cluster answered and refused (capacity, bad request): final for this cluster. */
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
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    return err({ kind: 'transport', message: `cluster ${cluster.name} ${reason}` });
  }
  if (response.status >= 500 || response.status === 408) {
    await response.body?.cancel();
    return err({ kind: 'transport', message: `cluster ${cluster.name} answered HTTP ${response.status}` });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return err({ kind: 'transport', message: `cluster ${cluster.name} answered something that is not JSON` });
  }
  if (!response.ok) {
    const message =
      typeof (body as { message?: unknown })?.message === 'string'
        ? (body as { message: string }).message
        : '';
    return err({ kind: 'refused', status: response.status, message: message || `HTTP ${response.status}` });
  }
  if (!isValid(body))
    return err({ kind: 'transport', message: `cluster ${cluster.name} answered outside the contract` });
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

const PHASES = new Set(['pending', 'creating', 'initializing', 'running', 'stopping', 'stopped', 'failed']);
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
