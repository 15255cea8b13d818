// The launch service, before the start: a context the user gave → resolved context, validated `.gitpod.yml` (or
// devcontainer.json), prebuild choice and cluster choice, with no side effects. The start is launch-start.ts.

import {
  CLUSTER_CONTRACT_VERSION,
  type Initializer,
  type StartWorkspaceRequest,
} from '../../shared/cluster-contract.ts';
import { parseLaunchInput } from '../../shared/context-url.ts';
import { availableEditors, EDITORS, editorNamed } from '../../shared/editors.ts';
import type { GitpodConfig } from '../../shared/gitpod-config.ts';
import { type HostRegistry, hostFamilies } from '../../shared/host-registry.ts';
import type { HostEntry } from '../../shared/hosts/host-family.ts';
import type { LaunchRequest, ParseError } from '../../shared/launch-request.ts';
import { contextText, type LaunchOptions, toLaunchUrl } from '../../shared/launch-url.ts';
import type { ResolvedContext } from '../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { cacheKey } from './cache-keys.ts';
import {
  type ClusterCandidate,
  type ClusterHealth,
  chooseClusters,
  type UserLocation,
} from './clusters/cluster-choice.ts';
import { clusterHealth } from './clusters/cluster-health.ts';
import type { LauncherConfig } from './config.ts';
import { type ConfigFileChoice, GITPOD_YML, launchConfigAt } from './config-files.ts';
import { LaunchError } from './errors.ts';
import type { HostCredentials, HostResolver, HttpTuning, RepoContext } from './hosts/host-resolver.ts';
import { startableRequest } from './launch-memo.ts';
import { privateForVisitor } from './launch-start.ts';
import { commitHistory, selectPrebuild } from './prebuilds/prebuild-selection.ts';

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
  /** Which file the config came from (`.gitpod.yml` or a `devcontainer.json`), why, and what it does not apply. */
  readonly configFile: ConfigFileChoice;
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

/** A context resolved with its host, before any workspace configuration is read: what every backend starts from. */
export interface ResolvedLaunchContext {
  readonly request: LaunchRequest;
  readonly contextKey: string;
  readonly entry: HostEntry;
  readonly resolver: HostResolver;
  readonly credentials: HostCredentials;
  readonly resolved: ResolvedContext;
}

/** The context a user gave, resolved with its host (the user's token, else the server's, else anonymously). */
export async function resolveLaunchContext(
  input: string,
  deps: LaunchDeps,
): Promise<Result<ResolvedLaunchContext, LaunchError>> {
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
  return ok({ request, contextKey: key.value, entry, resolver, credentials, resolved: resolved.value });
}

/** Everything the start page and `POST /resolve` show, without starting anything. */
export async function resolveLaunch(
  input: string,
  options: LaunchOptions,
  deps: LaunchDeps,
): Promise<Result<Resolution, LaunchError>> {
  if (options.editor !== undefined && editorNamed(options.editor) === undefined) {
    const parsed = parseLaunchInput(input, deps.config.registry);
    if (!parsed.ok) return err(parseError(parsed.error));
    return err(unknownEditor(options.editor, parsed.value, options, deps.config));
  }
  const context = await resolveLaunchContext(input, deps);
  if (!context.ok) return context;
  const { request, entry, resolver, credentials } = context.value;
  const key = { value: context.value.contextKey };
  const resolved = { value: context.value.resolved };

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
  const launchConfig = await launchConfigAt(
    {
      cache: deps.cache,
      resolver,
      entry,
      credentials,
      ...(deps.http !== undefined && { http: deps.http }),
      repo: resolved.value.repo,
      sha: resolved.value.sha,
      ...(resolved.value.configText !== undefined && { gitpodText: resolved.value.configText }),
    },
    options.devcontainer,
  );
  if (!launchConfig.ok)
    return err(
      launchConfig.error instanceof LaunchError
        ? launchConfig.error
        : invalidConfig(
            launchConfig.error.errors,
            resolved.value,
            deps.config.registry,
            launchConfig.error.path,
          ),
    );
  const { config, choice } = launchConfig.value;

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
    resolved: withBaseCloneUrl(withoutConfigText, entry, deps.config.registry),
    config,
    configSource: choice.kind === 'defaults' ? 'defaults' : 'file',
    configFile: choice,
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
  if (!startable.ok)
    return err(notStartable(startable.error, resolution.resolved, deps.config.registry, choice.path));
  return ok(resolution);
}

/** A pull request from a fork names where its base branch is, so the workspace can fetch it as `upstream`. */
function withBaseCloneUrl(
  resolved: ResolvedContext,
  entry: HostEntry,
  registry: HostRegistry,
): ResolvedContext {
  const pull = resolved.pullRequest;
  if (pull === undefined || !pull.fromFork) return resolved;
  const baseCloneUrl = registry.family(entry).cloneUrl(pull.baseRepo, entry);
  return { ...resolved, pullRequest: { ...pull, baseCloneUrl } };
}

/** `?editor=intellij`: no workspace here opens in it. The way out is the same link without the editor. */
function unknownEditor(
  editor: string,
  request: LaunchRequest,
  options: LaunchOptions,
  config: LaunchDeps['config'],
): LaunchError {
  const { editor: _refused, ...rest } = options;
  const link = toLaunchUrl(config.origin, request, config.registry, rest);
  return new LaunchError('invalid-input', {
    title: 'That editor is not available here',
    detail: `Workspaces here open in ${availableEditors()}; "${editor}" is not one of them. Open the link without editor=${editor} to use the default.`,
    wayOut: { label: 'Open in the default editor', href: link.ok ? link.value : '/' },
    facts: { editor, editors: EDITORS.map((e) => e.id) },
  });
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
    ...(resolution.configFile.path !== undefined && { configFile: resolution.configFile.path }),
    tasks: resolution.config.tasks,
    ports: resolution.config.ports,
    env: resolution.request.env,
    ...(resolution.options.editor !== undefined && {
      editor: editorNamed(resolution.options.editor)?.id ?? resolution.options.editor,
    }),
    ...(resolution.options.workspaceClass !== undefined && {
      workspaceClass: resolution.options.workspaceClass,
    }),
    eventsUrl,
  };
}

/** A launch the cluster contract would refuse (shared/start-request.ts): the config error page, with the reason. */
function notStartable(
  reason: string,
  resolved: ResolvedContext,
  registry: HostRegistry,
  file = GITPOD_YML,
): LaunchError {
  return new LaunchError('invalid-config', {
    title: 'This workspace cannot be started as configured',
    detail: `${reason} Change ${file} (or the link) and try again.`,
    wayOut: { label: `Open ${file} to fix it`, href: configWebUrl(resolved, registry, file) },
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

function invalidConfig(
  errors: readonly { path: string; line: number; column: number; message: string }[],
  resolved: ResolvedContext,
  registry: HostRegistry,
  file = GITPOD_YML,
): LaunchError {
  const first = errors[0];
  const where = first === undefined ? '' : ` at line ${first.line}, column ${first.column}`;
  return new LaunchError('invalid-config', {
    title: `${file} has a mistake${where}`,
    detail: errors.map((e) => `Line ${e.line}: ${e.message}`).join('\n'),
    wayOut: { label: `Open ${file} to fix it`, href: configWebUrl(resolved, registry, file) },
    facts: { errors: errors.map(({ path, line, column, message }) => ({ path, line, column, message })) },
  });
}

/** The config file's page on the host at the launched commit, for the way out of an invalid config. */
function configWebUrl(resolved: ResolvedContext, registry: HostRegistry, file: string): string {
  const entry = registry.entries.find((e) => e.hostname === resolved.repo.host);
  if (entry === undefined) return resolved.webUrl;
  return hostFamilies[entry.family].webUrl(
    {
      kind: 'repository',
      repo: resolved.repo,
      revision: { type: 'commit', sha: resolved.sha },
      page: 'blob',
      path: { path: file, kind: 'file' },
    },
    entry,
  );
}
