// The launch service: a context the user gave → resolved context, validated `.gitpod.yml`, prebuild choice and
// cluster choice (no side effects), then the start: one workspace per idempotency key, failing over between
// clusters. Never redirects anywhere but a registered cluster's origin; never puts a token in a start request.

import {
  CLUSTER_CONTRACT_VERSION,
  type Initializer,
  type StartWorkspaceRequest,
  type WorkspacePhase,
  type WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { parseLaunchInput } from '../../shared/context-url.ts';
import type { GitpodConfig } from '../../shared/gitpod-config.ts';
import { type HostRegistry, hostFamilies } from '../../shared/host-registry.ts';
import type { HostEntry } from '../../shared/hosts/host-family.ts';
import type { LaunchRequest, ParseError } from '../../shared/launch-request.ts';
import { contextText, type LaunchOptions } from '../../shared/launch-url.ts';
import type { ResolvedContext } from '../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { isWorkspaceUrl } from '../../shared/workspace-access.ts';
import { needsCloneCredential } from './auth/clone-credentials.ts';
import { cacheKey } from './cache-keys.ts';
import {
  type ClusterCandidate,
  type ClusterHealth,
  chooseClusters,
  type UserLocation,
} from './cluster-choice.ts';
import { type ClusterFailure, workspaceStatus } from './cluster-client.ts';
import { clusterHealth } from './cluster-health.ts';
import { abandonStart } from './cluster-reconcile.ts';
import { startOnFirstCluster } from './cluster-start.ts';
import type { ClusterConfig, LauncherConfig } from './config.ts';
import { LaunchError } from './errors.ts';
import type { HostCredentials, HostResolver, HttpTuning, RepoContext } from './hosts/host-resolver.ts';
import { gitpodConfigOf, startableRequest } from './launch-memo.ts';
import { commitHistory, selectPrebuild } from './prebuilds/prebuild-selection.ts';
import {
  claimWorkspace,
  findActiveWorkspace,
  getWorkspace,
  updateWorkspace,
  type WorkspaceRecord,
  workspaceByKey,
} from './workspaces.ts';

export interface LaunchDeps {
  readonly config: LauncherConfig;
  readonly db: D1Database;
  readonly cache: KVNamespace;
  readonly resolvers: Readonly<Record<string, HostResolver>>;
  readonly location: UserLocation;
  readonly now: () => number;
  readonly random?: () => number;
  readonly http?: HttpTuning;
  /** Cluster call timeout; tests shorten it. */
  readonly clusterTimeoutMs?: number;
  /** The signed-in user's credentials for a host (auth/session-auth.ts), refreshed when expired; none when absent. */
  readonly userCredentials?: (entry: HostEntry) => Promise<Result<HostCredentials | undefined, LaunchError>>;
}

/** A usable prebuild: its commit is the context commit or an ancestor `commitsBehind` commits back. */
export interface PrebuildUse {
  readonly kind: 'use';
  readonly prebuildId: string;
  readonly sha: string;
  readonly commitsBehind: number;
  readonly cluster?: string;
}

/** Why there is, or is not, a prebuild for this launch (prebuilds/prebuild-selection.ts). */
export type PrebuildChoice =
  | {
      readonly kind: 'none';
      readonly reason: string;
      /** The exact commit's prebuild is queued or building: the start page may wait for it. */
      readonly building?: {
        readonly prebuildId: string;
        readonly state: 'queued' | 'building';
        readonly startedAt: number;
        readonly waitLimitMs: number;
        readonly logUrl?: string;
      };
      /** The nearest ready ancestor, offered while the exact commit's prebuild builds. */
      readonly lastReady?: PrebuildUse;
    }
  | {
      readonly kind: 'use';
      readonly prebuildId: string;
      readonly sha: string;
      readonly commitsBehind: number;
      readonly cluster?: string;
    };

export interface Resolution {
  readonly request: LaunchRequest;
  readonly options: LaunchOptions;
  /** Canonical context text (modifiers + page URL): the key for `quickstart` and caches. */
  readonly contextKey: string;
  readonly resolved: ResolvedContext;
  readonly config: GitpodConfig;
  readonly configSource: 'file' | 'defaults';
  readonly prebuild: PrebuildChoice;
  readonly clusters: readonly ClusterCandidate[];
  /** Registered clusters that cannot take this launch, and why (down, full, draining). */
  readonly unavailable: readonly string[];
  /** How the host was asked: anonymous, with the server token, or the user's. */
  readonly credentials: HostCredentials['kind'];
}

/** Seconds a resolution (ref → sha, default branch) is reused: KV's minimum TTL. */
const RESOLUTION_TTL_SECONDS = 60;

export function parseError(error: ParseError): LaunchError {
  if (error.code === 'unknown-host') {
    return new LaunchError('unsupported-host', {
      title: 'This git host is not supported here',
      detail: error.message,
      wayOut: { label: 'Open another repository', href: '/' },
    });
  }
  return new LaunchError('invalid-input', {
    title: 'That is not something we can open',
    detail: error.message,
    wayOut: { label: 'Paste another URL', href: '/' },
  });
}

/** Everything the start page and `POST /resolve` show, without starting anything. */
export async function resolveLaunch(
  input: string,
  options: LaunchOptions,
  deps: LaunchDeps,
): Promise<Result<Resolution, LaunchError>> {
  const parsed = parseLaunchInput(input, deps.config.registry);
  if (!parsed.ok) return err(parseError(parsed.error));
  const request = parsed.value;
  const { context } = request;
  if (context.kind === 'snapshot') {
    return err(
      new LaunchError('invalid-input', {
        title: 'Snapshots are not supported yet',
        detail: `snapshot/${context.id} names a saved workspace; this launcher cannot restore snapshots yet. Open the repository instead.`,
        wayOut: { label: 'Open a repository', href: '/' },
      }),
    );
  }
  const key = contextText(request, deps.config.registry);
  if (!key.ok) return err(parseError(key.error));
  const entry = deps.config.registry.entries.find((e) => e.hostname === context.repo.host);
  const resolver = deps.resolvers[context.repo.family];
  if (entry === undefined || resolver === undefined)
    return err(parseError({ code: 'unknown-host', message: `${context.repo.host} is not configured.` }));

  // The user/token step: the user's own token for this host, else the server token, else anonymous.
  const user = deps.userCredentials === undefined ? ok(undefined) : await deps.userCredentials(entry);
  if (!user.ok) return user;
  const token = deps.config.hostTokens.get(entry.hostname);
  const credentials: HostCredentials =
    user.value ?? (token === undefined ? { kind: 'anonymous' } : { kind: 'server', token });

  const resolved = await resolveCached(resolver, context, request, entry, credentials, key.value, deps);
  if (!resolved.ok) return resolved;
  // The server token is there for rate limits (and prebuilds); it may read private repositories, but a visitor who
  // has not signed in must never reach one through it: they see what an anonymous visitor sees.
  if (credentials.kind === 'server' && resolved.value.visibility !== 'public')
    return err(privateForVisitor(entry, resolved.value));

  // The commit's history (prebuild selection) is asked for beside `.gitpod.yml`: no extra round trip.
  const hostAccess = {
    cache: deps.cache,
    resolver,
    entry,
    credentials,
    ...(deps.http !== undefined && { http: deps.http }),
    resolved: resolved.value,
  };
  const history = commitHistory(hostAccess);
  const configText = await readConfigText(resolver, resolved.value, entry, credentials, deps);
  if (!configText.ok) return configText;
  let config: GitpodConfig;
  if (configText.value === null) {
    const defaults = gitpodConfigOf('');
    if (!defaults.ok) throw new Error('the empty .gitpod.yml must be valid');
    config = defaults.value;
  } else {
    // Parsed once per isolate and text: a commit's file never changes.
    const checked = gitpodConfigOf(configText.value);
    if (!checked.ok) return err(invalidConfig(checked.error, resolved.value, deps.config.registry));
    config = checked.value;
  }

  const prebuild = await selectPrebuild({ ...hostAccess, db: deps.db, config, history });
  const health = await clusterHealth(deps.config.clusters, deps.cache, deps.now());
  const clusters = chooseClusters({
    clusters: deps.config.clusters,
    health,
    location: deps.location,
    ...(options.region !== undefined && { region: options.region }),
    ...(prebuild.kind === 'use' && prebuild.cluster !== undefined && { preferred: prebuild.cluster }),
    ...(deps.random !== undefined && { random: deps.random }),
  });
  const unavailable = deps.config.clusters
    .filter((c) => !clusters.some((candidate) => candidate.cluster.name === c.name))
    .map((c) => `${c.name}: ${unavailableReason(health[c.name])}`);
  const { configText: _omitted, ...withoutConfigText } = resolved.value;
  const resolution: Resolution = {
    request,
    options,
    contextKey: key.value,
    resolved: withoutConfigText,
    config,
    configSource: configText.value === null ? 'defaults' : 'file',
    prebuild,
    clusters,
    unavailable,
    credentials: credentials.kind,
  };
  // What the cluster would refuse is refused now, saying why, instead of failing on every cluster at start.
  const preview = startRequestFor(
    resolution,
    PREVIEW_ID,
    'preview',
    `${deps.config.origin}/api/v1/cluster-events`,
  );
  const startable = startableRequest(preview);
  if (!startable.ok) return err(notStartable(startable.error, resolution.resolved, deps.config.registry));
  return ok(resolution);
}

/** Stands in for the workspace id while checking a start request before any workspace exists. */
const PREVIEW_ID = 'ws-00000000-0000-4000-8000-000000000000';

/** The start request for a launch: what the cluster gets, minus the clone credential URL bound to one cluster. */
export function startRequestFor(
  resolution: Resolution,
  id: string,
  owner: string,
  eventsUrl: string,
): StartWorkspaceRequest {
  const initializer: Initializer =
    resolution.prebuild.kind === 'use'
      ? {
          kind: 'prebuild-snapshot-with-git-fallback',
          prebuildId: resolution.prebuild.prebuildId,
          snapshotSha: resolution.prebuild.sha,
        }
      : { kind: 'git' };
  return {
    contractVersion: CLUSTER_CONTRACT_VERSION,
    id,
    type: 'regular',
    owner: { id: owner },
    context: resolution.resolved,
    initializer,
    image: resolution.config.image,
    tasks: resolution.config.tasks,
    ports: resolution.config.ports,
    env: resolution.request.env,
    ...(resolution.options.editor !== undefined && { editor: resolution.options.editor }),
    ...(resolution.options.workspaceClass !== undefined && {
      workspaceClass: resolution.options.workspaceClass,
    }),
    eventsUrl,
  };
}

/** A launch the cluster contract would refuse (shared/start-request.ts): the config error page, with the reason. */
function notStartable(reason: string, resolved: ResolvedContext, registry: HostRegistry): LaunchError {
  return new LaunchError('invalid-config', {
    title: 'This workspace cannot be started as configured',
    detail: `${reason} Change .gitpod.yml (or the link) and try again.`,
    wayOut: { label: 'Open .gitpod.yml to fix it', href: configWebUrl(resolved, registry) },
    facts: { errors: [{ path: '', line: 0, column: 0, message: reason }] },
  });
}

function unavailableReason(health: ClusterHealth | undefined): string {
  if (health?.description === undefined) return health?.problem ?? 'not checked yet';
  if (health.description.state !== 'available') return health.description.state;
  return 'full';
}

async function resolveCached(
  resolver: HostResolver,
  context: RepoContext,
  request: LaunchRequest,
  entry: HostEntry,
  credentials: HostCredentials,
  contextKey: string,
  deps: LaunchDeps,
): Promise<Result<ResolvedContext, LaunchError>> {
  // A user's resolution is theirs alone (private repositories); anonymous and server ones are shared.
  // v2: resolutions carry the repository's visibility.
  const key = cacheKey(`resolved:v2:${credentials.kind}`, contextKey);
  if (credentials.kind !== 'user') {
    const cached = await deps.cache.get<ResolvedContext>(key, 'json');
    if (cached !== null) return ok(cached);
  }
  const resolved = await resolver.resolve({
    context,
    alternatives: request.alternatives,
    entry,
    credentials,
    ...(deps.http !== undefined && { http: deps.http }),
  });
  if (resolved.ok && credentials.kind !== 'user') {
    await deps.cache.put(key, JSON.stringify(resolved.value), { expirationTtl: RESOLUTION_TTL_SECONDS });
    if (resolved.value.configText !== undefined)
      await putConfig(deps.cache, resolved.value, resolved.value.configText);
  }
  return resolved;
}

const configKey = (r: ResolvedContext) =>
  cacheKey('config:v1', `${r.repo.host}/${r.repo.owner}/${r.repo.name}@${r.sha}`);
const MISSING = '\u0000missing';

/** `.gitpod.yml` at a commit never changes: it is kept forever, a missing file too. */
async function putConfig(cache: KVNamespace, resolved: ResolvedContext, text: string | null): Promise<void> {
  await cache.put(configKey(resolved), text ?? MISSING);
}

async function readConfigText(
  resolver: HostResolver,
  resolved: ResolvedContext,
  entry: HostEntry,
  credentials: HostCredentials,
  deps: LaunchDeps,
): Promise<Result<string | null, LaunchError>> {
  if (resolved.configText !== undefined) return ok(resolved.configText);
  const cached = await deps.cache.get(configKey(resolved));
  if (cached !== null) return ok(cached === MISSING ? null : cached);
  const read = await resolver.readFile(
    resolved.repo,
    resolved.sha,
    '.gitpod.yml',
    entry,
    credentials,
    deps.http,
  );
  if (read.ok) await putConfig(deps.cache, resolved, read.value);
  return read;
}

function invalidConfig(
  errors: readonly { path: string; line: number; column: number; message: string }[],
  resolved: ResolvedContext,
  registry: HostRegistry,
): LaunchError {
  const first = errors[0];
  const where = first === undefined ? '' : ` at line ${first.line}, column ${first.column}`;
  return new LaunchError('invalid-config', {
    title: `.gitpod.yml has a mistake${where}`,
    detail: errors.map((e) => `Line ${e.line}: ${e.message}`).join('\n'),
    wayOut: { label: 'Open .gitpod.yml to fix it', href: configWebUrl(resolved, registry) },
    facts: { errors: errors.map(({ path, line, column, message }) => ({ path, line, column, message })) },
  });
}

/** The `.gitpod.yml` page on the host at the launched commit, for the way out of an invalid config. */
function configWebUrl(resolved: ResolvedContext, registry: HostRegistry): string {
  const entry = registry.entries.find((e) => e.hostname === resolved.repo.host);
  if (entry === undefined) return resolved.webUrl;
  return hostFamilies[entry.family].webUrl(
    {
      kind: 'repository',
      repo: resolved.repo,
      revision: { type: 'commit', sha: resolved.sha },
      page: 'blob',
      path: { path: '.gitpod.yml', kind: 'file' },
    },
    entry,
  );
}

export interface StartInput {
  readonly resolution: Resolution;
  readonly owner: string;
  readonly idempotencyKey: string | null;
  /** Where clusters post signed events. */
  readonly eventsUrl: string;
  /**
   * A one-time clone credential URL for this workspace on this cluster, asked for only when the clone needs the
   * user's token (auth/clone-credentials.ts `needsCloneCredential`); the token itself never goes in a start request.
   */
  readonly credentialUrl?: (workspaceId: string, cluster: string) => Promise<string | undefined>;
  /** The sign-in session starting it: its host tokens answer git inside the workspace, once the owner allows it. */
  readonly sessionHash?: string;
  /** Where the cluster asks for those credentials (signed); only for a signed-in owner. */
  readonly gitCredentialsUrl?: string;
}

export interface StartOutcome {
  readonly workspace: WorkspaceRecord;
  /** false when an existing workspace answered (same idempotency key, or `quickstart`). */
  readonly started: boolean;
  /**
   * false when the only cluster that may have started it did not answer in time: the record waits for the cluster
   * to confirm (its events, or the next status read) — it is neither failed nor left running unfollowed.
   */
  readonly confirmed: boolean;
}

/** An unconfirmed start the cluster says it does not hold, after this long, never landed: it is failed. */
export const UNCONFIRMED_GRACE_MS = 30_000;
/** An unconfirmed start whose cluster does not answer for this long is failed (and stopped if it ever lands). */
export const UNCONFIRMED_LIMIT_MS = 10 * 60_000;

/** Starts the workspace, or answers the one this owner already started with this key (or for this context). */
export async function startLaunch(
  input: StartInput,
  deps: LaunchDeps,
): Promise<Result<StartOutcome, LaunchError>> {
  const { resolution, owner } = input;
  // A retry of a start that happened answers that workspace, whatever the clusters' state now.
  if (input.idempotencyKey !== null) {
    const existing = await workspaceByKey(deps.db, owner, input.idempotencyKey);
    if (existing !== undefined) return ok({ workspace: existing, started: false, confirmed: true });
  }
  if (resolution.options.quickstart === true) {
    const active = await findActiveWorkspace(deps.db, owner, resolution.contextKey);
    if (active !== undefined) return ok({ workspace: active, started: false, confirmed: true });
  }
  if (resolution.clusters.length === 0) return err(noCapacity(resolution.unavailable));
  const id = `ws-${crypto.randomUUID()}`;
  const claim = await claimWorkspace(deps.db, {
    id,
    owner,
    contextUrl: resolution.resolved.webUrl,
    contextKey: resolution.contextKey,
    contextJson: JSON.stringify(summary(resolution)),
    prebuildId: resolution.prebuild.kind === 'use' ? resolution.prebuild.prebuildId : null,
    idempotencyKey: input.idempotencyKey,
    sessionHash: input.sessionHash ?? null,
    now: deps.now(),
  });
  if (!claim.created) return ok({ workspace: claim.record, started: false, confirmed: true });

  const startRequest = {
    ...startRequestFor(resolution, id, owner, input.eventsUrl),
    ...(input.gitCredentialsUrl !== undefined && { gitCredentialsUrl: input.gitCredentialsUrl }),
  };

  const entry = deps.config.registry.entries.find((e) => e.hostname === resolution.resolved.repo.host);
  const mint = needsCloneCredential(resolution.resolved, resolution.credentials, entry)
    ? input.credentialUrl
    : undefined;
  const start = await startOnFirstCluster(
    resolution.clusters.map((c) => c.cluster),
    async (cluster) => {
      const credentialUrl = await mint?.(id, cluster.name);
      return credentialUrl === undefined ? startRequest : { ...startRequest, credentialUrl };
    },
    deps,
    (cluster, status) => {
      const url = checkedWorkspaceUrl(status.url, cluster, id);
      return url === undefined
        ? err(`cluster ${cluster.name} answered a workspace URL outside its origin`)
        : ok({ status, url });
    },
  );
  if (start.ok) {
    const { cluster } = start;
    const { status, url } = start.value;
    const record = await updateWorkspace(deps.db, id, {
      cluster: cluster.name,
      clusterWorkspaceId: status.id,
      url,
      phase: status.phase,
      ...(status.failure !== undefined && { failure: status.failure }),
      now: deps.now(),
    });
    if (record === undefined) throw new Error(`workspace ${id} vanished while starting`);
    // Clusters tried before may still start the same id: stopped there once they answer.
    for (const doubt of start.inDoubt)
      await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
    return ok({ workspace: record, started: true, confirmed: true });
  }
  const waitFor = start.inDoubt.find((d) => d.slow);
  if (waitFor !== undefined) {
    // A cluster that did not answer in time may still start it: follow the first such (its events or the next
    // status read confirm it or time it out) and stop it on every other.
    for (const doubt of start.inDoubt.filter((d) => d !== waitFor))
      await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
    const record = await updateWorkspace(deps.db, id, {
      cluster: waitFor.cluster.name,
      clusterWorkspaceId: id,
      phase: 'pending',
      now: deps.now(),
    });
    if (record === undefined) throw new Error(`workspace ${id} vanished while starting`);
    return ok({ workspace: record, started: true, confirmed: false });
  }
  for (const doubt of start.inDoubt)
    await abandonStart(deps.db, doubt.cluster.name, id, doubt.reason, deps.now());
  // What each cluster tried answered, then why the others were not tried.
  const error = noCapacity([...start.problems, ...resolution.unavailable], start.fullRetryAfterSeconds);
  await updateWorkspace(deps.db, id, { phase: 'failed', failure: error.detail, now: deps.now() });
  return err(error);
}

function noCapacity(problems: readonly string[], fullRetryAfterSeconds?: number): LaunchError {
  const full = fullRetryAfterSeconds !== undefined;
  return new LaunchError('no-capacity', {
    title: full ? 'Every workspace cluster is full right now' : 'No workspace capacity right now',
    detail:
      problems.length === 0
        ? 'No workspace cluster is available at the moment. Try again in a minute.'
        : `No workspace cluster could start the workspace (${problems.join('; ')}). ${
            full ? `Try again in ${fullRetryAfterSeconds} seconds.` : 'Try again in a minute.'
          }`,
    retryAfterSeconds: fullRetryAfterSeconds ?? 60,
    wayOut: { label: 'Try again', href: '' },
  });
}

/** A workspace URL is followed only when it is on its cluster's registered origin. */
/**
 * The workspace URL a cluster answered, when it is that workspace's own origin under the cluster's public origin
 * (`http://<id>.localhost:8788/`); anything else is never stored, so no user is ever sent there.
 */
export function checkedWorkspaceUrl(
  url: string,
  cluster: ClusterConfig,
  workspaceId: string,
): string | undefined {
  return isWorkspaceUrl(url, cluster.publicOrigin, workspaceId) ? url : undefined;
}

/** The live state of a workspace: the stored record, refreshed from its cluster while it is still changing. */
export async function currentWorkspace(
  id: string,
  deps: LaunchDeps,
): Promise<Result<WorkspaceRecord & { readonly live?: WorkspaceStatus }, LaunchError>> {
  const record = await getWorkspace(deps.db, id);
  if (record === undefined) {
    return err(
      new LaunchError('workspace-not-found', {
        title: 'No such workspace',
        detail: `There is no workspace ${id}. It may have been started on another launcher.`,
        wayOut: { label: 'Start a new one', href: '/' },
      }),
    );
  }
  const live: readonly WorkspacePhase[] = ['creating', 'initializing', 'pending', 'stopping'];
  const cluster = deps.config.clusters.find((c) => c.name === record.cluster);
  if (!live.includes(record.phase) || cluster === undefined || record.clusterWorkspaceId === null)
    return ok(record);
  const status = await workspaceStatus(cluster, record.clusterWorkspaceId, {
    ...(deps.clusterTimeoutMs !== undefined && { timeoutMs: deps.clusterTimeoutMs }),
  });
  if (!status.ok) return ok(await timeOutUnconfirmed(record, cluster, status.error, deps));
  const url = checkedWorkspaceUrl(status.value.url, cluster, id);
  const updated = await updateWorkspace(deps.db, id, {
    phase: status.value.phase,
    ...(url !== undefined && { url }),
    ...(status.value.failure !== undefined && { failure: status.value.failure }),
    now: deps.now(),
  });
  // What it is doing now (its step) is the cluster's live answer; the record keeps phases only.
  return ok({ ...(updated ?? record), live: status.value });
}

/**
 * A start its cluster never confirmed (no workspace URL yet) is given up once the cluster says it holds no such
 * workspace after the grace, or has not answered for the limit: failed, with a way out — and stopped there should the
 * start land after all. A confirmed workspace is left as it is.
 */
async function timeOutUnconfirmed(
  record: WorkspaceRecord,
  cluster: ClusterConfig,
  failure: ClusterFailure,
  deps: LaunchDeps,
): Promise<WorkspaceRecord> {
  if (record.url !== null || record.phase !== 'pending') return record;
  const age = deps.now() - record.createdAt;
  const absent = failure.kind === 'refused' && failure.status === 404;
  if (!(absent && age >= UNCONFIRMED_GRACE_MS) && age < UNCONFIRMED_LIMIT_MS) return record;
  const why = absent
    ? `cluster ${cluster.name} never received the start`
    : `cluster ${cluster.name} has not answered for ${Math.round(age / 60_000)} minutes`;
  await abandonStart(deps.db, cluster.name, record.id, why, deps.now());
  const failed = await updateWorkspace(deps.db, record.id, {
    phase: 'failed',
    failure: `The workspace did not start: ${why}. Start it again.`,
    now: deps.now(),
  });
  return failed ?? record;
}

/** What the workspace list and status API show about a workspace's context (no tokens, no config text). */
function summary(resolution: Resolution) {
  const { resolved } = resolution;
  return {
    repo: `${resolved.repo.owner}/${resolved.repo.name}`,
    host: resolved.repo.host,
    ref: resolved.ref,
    sha: resolved.sha,
    ...(resolved.pullRequest !== undefined && { pullRequest: resolved.pullRequest.number }),
    ...(resolved.issue !== undefined && { issue: resolved.issue.number }),
  };
}

/** A repository only the server token can read, as a visitor who has not signed in meets it: not found, may be private. */
function privateForVisitor(entry: HostEntry, resolved: ResolvedContext): LaunchError {
  const label = entry.builtin ? hostFamilies[entry.family].displayName : entry.hostname;
  const name = `${resolved.repo.owner}/${resolved.repo.name}`;
  return new LaunchError('repo-not-found', {
    title: `Repository ${name} not found`,
    detail: `${label} has no public repository ${name}. It may be private: sign in with ${label} to open private repositories your account can read.`,
    wayOut: { label: `Open ${label}`, href: entry.origin + entry.basePath },
    facts: { maybePrivate: true },
  });
}
