// The versioned contract between the launcher and workspace clusters: JSON messages, paths, and the HMAC signature
// on cluster → launcher events. Any cluster implementation (cluster/ is the reference) speaks exactly this.
// Credentials never travel in a start request: the cluster redeems a one-time URL from the launcher.

import { hmacSha256Hex } from './digest.ts';
import type { ImageConfig, Port, Task } from './gitpod-config.ts';
import type { EnvVar } from './launch-request.ts';
import type { ResolvedContext } from './resolved-context.ts';

export const CLUSTER_CONTRACT_VERSION = 1;

/** Paths under a cluster's base URL. Every request carries `Authorization: Bearer <cluster secret>`. */
export const clusterPaths = {
  describe: '/v1/cluster',
  workspaces: '/v1/workspaces',
  /** `GET` its status; `DELETE` removes it and its files (stopping it first). */
  workspace: (id: string) => `/v1/workspaces/${encodeURIComponent(id)}`,
  stop: (id: string) => `/v1/workspaces/${encodeURIComponent(id)}/stop`,
  /** Starts a stopped (or failed) workspace again over its files: a new instance, `before` and commands, no init. */
  restart: (id: string) => `/v1/workspaces/${encodeURIComponent(id)}/restart`,
  /** Server-sent events: every task log line and each status change while the workspace starts and runs. */
  logs: (id: string) => `/v1/workspaces/${encodeURIComponent(id)}/logs`,
} as const;

/**
 * The health interval: a launcher asks a cluster it found down, slow or full again (`GET /v1/cluster`) this long
 * after it marked it, so a cluster takes work again within this time of answering.
 */
export const HEALTH_INTERVAL_MS = 10_000;

export type ClusterState = 'available' | 'cordoned' | 'draining';

export interface WorkspaceClass {
  readonly id: string;
  readonly displayName: string;
  readonly description?: string;
}

/** `GET /v1/cluster`. `score` falls as capacity fills; 0 means "send nothing here". */
export interface ClusterDescription {
  readonly contractVersion: number;
  readonly name: string;
  readonly region: string;
  readonly state: ClusterState;
  readonly score: number;
  readonly maxScore: number;
  readonly classes: readonly WorkspaceClass[];
}

export type WorkspacePhase =
  | 'pending'
  | 'creating'
  | 'initializing'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'failed'
  | 'deleted';

/** Phases that hold no capacity: nothing runs. A restart leaves `stopped` or `failed`; nothing leaves `deleted`. */
export const TERMINAL_PHASES: readonly WorkspacePhase[] = ['stopped', 'failed', 'deleted'];

const PHASE_ORDER: Readonly<Record<WorkspacePhase, number>> = {
  pending: 0,
  creating: 1,
  initializing: 2,
  running: 3,
  stopping: 4,
  stopped: 5,
  failed: 5,
  deleted: 6,
};

/**
 * Phases only move forward within an instance: `failed` from any phase not yet ended. An ended workspace (`stopped`,
 * `failed`) may start again as a new instance (back to `pending`). `deleted` may follow any phase (a cluster stops a
 * workspace before it deletes it, but a record may miss the stop); nothing leaves `deleted`.
 */
export function canMovePhase(from: WorkspacePhase, to: WorkspacePhase): boolean {
  if (from === to) return true;
  if (from === 'deleted') return false;
  if (to === 'deleted') return true;
  if (from === 'stopped' || from === 'failed') return to === 'pending';
  return to === 'failed' || PHASE_ORDER[to] > PHASE_ORDER[from];
}

/**
 * How the workspace's content is made: a fresh clone, or a prebuild's snapshot (falling back to a clone when the
 * snapshot is missing or corrupt), then the requested commit checked out on top.
 */
export type Initializer =
  | { readonly kind: 'git' }
  | {
      readonly kind: 'prebuild-snapshot-with-git-fallback';
      readonly prebuildId: string;
      /** The commit the snapshot was taken at; the cluster fetches and checks out `context.sha` if newer. */
      readonly snapshotSha: string;
    };

/** `POST /v1/workspaces`. Idempotent on `id`: a repeated request answers the existing workspace. */
export interface StartWorkspaceRequest {
  readonly contractVersion: number;
  /** Chosen by the launcher. */
  readonly id: string;
  /** A prebuild runs `before` + `init` at `context.sha`, stores a snapshot under `prebuildId`, and stops. */
  readonly type: 'regular' | 'prebuild';
  /** Prebuild workspaces: the id their snapshot is stored under. */
  readonly prebuildId?: string;
  readonly owner: { readonly id: string; readonly name?: string };
  readonly context: Omit<ResolvedContext, 'configText'>;
  readonly initializer: Initializer;
  /** One-time URL the cluster redeems (once, before it expires) for a clone credential; absent for public repos. */
  readonly credentialUrl?: string;
  readonly image: ImageConfig;
  /**
   * The repository file that described image, tasks and ports (`.gitpod.yml`, `.devcontainer/devcontainer.json`…),
   * so a cluster's messages name the file a person must change; absent when there was none (defaults).
   */
  readonly configFile?: string;
  readonly tasks: readonly Task[];
  readonly ports: readonly Port[];
  readonly env: readonly EnvVar[];
  readonly editor?: string;
  readonly workspaceClass?: string;
  /** Where the cluster posts signed events (phase changes) for this workspace. */
  readonly eventsUrl: string;
  /**
   * Where the cluster asks (signed, like events) for the owner's git credentials when git inside the workspace
   * needs them to push; absent for a workspace whose owner has not signed in.
   */
  readonly gitCredentialsUrl?: string;
}

export interface WorkspaceStatus {
  readonly id: string;
  readonly phase: WorkspacePhase;
  /**
   * The workspace's own origin (`http://<id>.<cluster public host>/`, see shared/workspace-access.ts): its editor
   * when running, its status page otherwise, for its owner only.
   */
  readonly url: string;
  /** 1 for the first start, one more for each restart. */
  readonly instance?: number;
  /** What a starting workspace is doing now, for people ("Cloning …", "Task 1 init", "Starting the editor"). */
  readonly step?: string;
  /** Why it stopped, when the user did not stop it ("No activity for 30 minutes"). */
  readonly stopReason?: string;
  /** When its owner last used it (the editor, a terminal, a port), for idle timeouts. */
  readonly lastActivityAt?: string;
  /** Why it failed, for a person. */
  readonly failure?: string;
  /** Set once known: whether content came from a prebuild snapshot, and if a fallback clone was needed. */
  readonly startedFrom?: 'git' | 'prebuild' | 'prebuild-fallback-git';
  /** Why a prebuild could not be used (missing or corrupt snapshot), for the workspace and start pages. */
  readonly fallbackReason?: string;
  /** How long content took: clone or snapshot restore, the sandbox's start, and `init` (absent when skipped). */
  readonly timings?: {
    readonly contentMs?: number;
    /** Making the workspace's sandbox (container or bubblewrap namespace, network, firewall). */
    readonly sandboxMs?: number;
    readonly initMs?: number;
    readonly initSkipped?: boolean;
  };
  /** Prebuild workspaces: the snapshot they stored, once `stopped` after a successful init. */
  readonly snapshot?: { readonly prebuildId: string; readonly sha: string };
  readonly updatedAt: string;
}

/** `GET /v1/workspaces`. */
export interface WorkspaceList {
  readonly workspaces: readonly WorkspaceStatus[];
}

/** What a one-time credential URL answers (`POST`, once, before it expires): git's username and password. */
export interface CloneCredential {
  readonly username: string;
  readonly password: string;
}

/**
 * The body a cluster posts (and signs, with `signEvent`) to redeem a credential URL: `{"credential":"<id>"}`, the
 * URL's last path segment. The signature names the credential, so one captured for a credential redeems no other.
 */
export function credentialRedemptionBody(credentialUrl: string): string {
  const path = credentialUrl.split(/[?#]/, 1)[0] ?? '';
  return JSON.stringify({ credential: path.slice(path.lastIndexOf('/') + 1) });
}

/** Cluster → launcher event, `POST <eventsUrl>`, signed (see `signEvent`). */
export interface ClusterEvent {
  readonly cluster: string;
  readonly workspace: WorkspaceStatus;
  /** Monotonic per workspace, so replays and stale events can be told apart. */
  readonly sequence: number;
}

export const EVENT_HEADERS = {
  cluster: 'x-launchpod-cluster',
  timestamp: 'x-launchpod-timestamp',
  signature: 'x-launchpod-signature',
} as const;

/** How far an event's timestamp may be from the receiver's clock. */
export const EVENT_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` — the timestamp is signed too, so it cannot be replayed later. */
export function signEvent(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${hmacSha256Hex(secret, `${timestampSeconds}.${body}`)}`;
}

export type EventCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'bad-signature' };

/** Checks an event's signature and freshness in constant time over the signature bytes. */
export function verifyEvent(
  secret: string,
  timestampHeader: string | null,
  signatureHeader: string | null,
  body: string,
  nowSeconds: number,
): EventCheck {
  if (timestampHeader === null || signatureHeader === null || !/^[0-9]{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: 'missing' };
  }
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowSeconds - timestamp) > EVENT_TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = signEvent(secret, timestamp, body);
  return constantTimeEqual(expected, signatureHeader) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return difference === 0;
}
