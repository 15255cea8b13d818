// What an owner does with their workspaces after the start: list them, open one (a short-lived, single-use token to
// the workspace's own origin under its registered cluster), stop, restart and delete it on its cluster. Answers
// "not found" alike for another person's workspace and a missing one, and never sends anyone to an origin that is
// not the workspace's own.

import type { WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { OPEN_TOKEN_SECONDS, signOpenToken } from '../../shared/workspace-access.ts';
import {
  type ClusterFailure,
  deleteWorkspace,
  restartWorkspace,
  stopWorkspace,
} from './clusters/cluster-client.ts';
import type { ClusterConfig } from './config.ts';
import { LaunchError } from './errors.ts';
import type { LaunchDeps } from './launch.ts';
import { checkedWorkspaceUrl } from './launch-start.ts';
import { getWorkspace, updateWorkspace, type WorkspaceRecord } from './workspaces.ts';

export type WorkspaceAction = 'stop' | 'restart' | 'delete';

export interface Owned {
  readonly record: WorkspaceRecord;
  readonly cluster: ClusterConfig;
}

function notYours(id: string): LaunchError {
  return new LaunchError('workspace-not-found', {
    title: 'No such workspace',
    detail: `You have no workspace ${id} here. It may have been started in another browser before you signed in, or deleted.`,
    wayOut: { label: 'Your workspaces', href: '/workspaces' },
  });
}

/** The owner's workspace and its cluster; "not found" for anyone else's. */
export async function ownedWorkspace(
  id: string,
  owner: string,
  deps: Pick<LaunchDeps, 'db' | 'config'>,
): Promise<Result<Owned, LaunchError>> {
  const record = await getWorkspace(deps.db, id);
  if (record === undefined || record.owner !== owner) return err(notYours(id));
  const cluster = deps.config.clusters.find((c) => c.name === record.cluster);
  if (cluster === undefined)
    return err(
      new LaunchError('cluster-unavailable', {
        title: 'Its cluster is gone',
        detail: `This workspace ran on cluster ${record.cluster || '(none yet)'}, which this launcher no longer knows. Start a new one from its context.`,
        wayOut: { label: 'Your workspaces', href: '/workspaces' },
      }),
    );
  return ok({ record, cluster });
}

/**
 * Where "Open" takes the owner: the workspace's own origin with a single-use token that becomes a cookie for it
 * there; undefined while the cluster has not confirmed the workspace (no URL yet).
 */
export function openUrl({ record, cluster }: Owned, nowMs: number): string | undefined {
  const id = record.clusterWorkspaceId ?? record.id;
  if (record.url === null || checkedWorkspaceUrl(record.url, cluster, id) === undefined) return undefined;
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  const token = signOpenToken(cluster.secret, {
    workspaceId: id,
    ownerId: record.owner,
    expiresAt: Math.floor(nowMs / 1000) + OPEN_TOKEN_SECONDS,
    nonce,
  });
  return `${record.url}_launchpod/auth?token=${token}&to=%2F`;
}

function clusterProblem(
  failure: ClusterFailure,
  cluster: ClusterConfig,
  action: WorkspaceAction,
): LaunchError {
  const verb = { stop: 'stop', restart: 'restart', delete: 'delete' }[action];
  if (failure.kind === 'full')
    return new LaunchError('no-capacity', {
      title: `Cluster ${cluster.name} is full`,
      detail: `The workspace cannot ${verb} now: ${failure.message}. Stop another workspace, or try again in a minute.`,
      wayOut: { label: 'Your workspaces', href: '/workspaces' },
      ...(failure.retryAfterSeconds !== undefined && { retryAfterSeconds: failure.retryAfterSeconds }),
    });
  if (failure.kind === 'refused')
    return new LaunchError(failure.status === 404 ? 'workspace-not-found' : 'conflict', {
      title: `The workspace cannot ${verb}`,
      detail: `Cluster ${cluster.name} says: ${failure.message}`,
      wayOut: { label: 'Your workspaces', href: '/workspaces' },
    });
  return new LaunchError('cluster-unavailable', {
    title: `Cluster ${cluster.name} did not answer`,
    detail: `The workspace could not ${verb}: ${failure.message}. Try again in a minute.`,
    wayOut: { label: 'Your workspaces', href: '/workspaces' },
  });
}

/** Stops, restarts or deletes the workspace on its cluster, and records what the cluster answered. */
export async function workspaceAction(
  owned: Owned,
  action: WorkspaceAction,
  deps: LaunchDeps,
): Promise<Result<{ record: WorkspaceRecord; status: WorkspaceStatus }, LaunchError>> {
  const { record, cluster } = owned;
  const id = record.clusterWorkspaceId ?? record.id;
  const options = { ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }) };
  const answered =
    action === 'stop'
      ? await stopWorkspace(cluster, id, options)
      : action === 'restart'
        ? await restartWorkspace(cluster, id, options)
        : await deleteWorkspace(cluster, id);
  if (!answered.ok) return err(clusterProblem(answered.error, cluster, action));
  const status = answered.value;
  const updated = await updateWorkspace(deps.db, record.id, {
    phase: status.phase,
    ...(status.failure !== undefined && { failure: status.failure }),
    now: deps.now(),
  });
  return ok({ record: updated ?? record, status });
}
