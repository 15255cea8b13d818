// Whether a project's repository is public — as its host's API says, through the family's resolver — and whether
// a request may see a private project's prebuilds. Never answers `public` unless the host said so, and never lets a
// request without a signed-in user who can read the repository tell a private project from no project at all.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { HostFamilyId, RepoRef } from '../../../shared/launch-request.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { cacheKey } from '../cache-keys.ts';
import type { LauncherConfig } from '../config.ts';
import type { LaunchError } from '../errors.ts';
import type { HostCredentials, HostResolver, HttpTuning } from '../hosts/host-resolver.ts';
import { repoKey } from './prebuild-records.ts';
import { type Project, setProjectVisibility, type Visibility } from './projects.ts';

export interface VisibilityDeps {
  readonly config: LauncherConfig;
  readonly resolvers: Readonly<Record<HostFamilyId, HostResolver>>;
  readonly http?: HttpTuning;
}

/** A signed-in user making the request: who (for caching) and their own token for a host, when they have one. */
export interface Viewer {
  /** The session's hash: "this session may read that repository" is cached under it. */
  readonly key: string;
  credentials(entry: HostEntry): Promise<HostCredentials | undefined>;
}

/** How long "this session may read that repository" is trusted: the start page polls a prebuild every 2 s. */
const ACCESS_TTL_SECONDS = 300;

/** Failures that say nothing about the repository (the host is down or limiting us): ask again later. */
const TRANSIENT: readonly string[] = ['host-unavailable', 'rate-limited'];

/**
 * What the host says with the launcher's own credentials (the server token, else none — what the prebuild consumer
 * uses): `public` only when the host answered the repository and called it public. A repository it will not show
 * (not found, forbidden, empty) is `private`: a stranger cannot read it either. Host down or rate limited: the error.
 */
export async function hostVisibility(
  repo: RepoRef,
  deps: VisibilityDeps,
): Promise<Result<Visibility, LaunchError>> {
  const entry = deps.config.registry.entries.find((e) => e.hostname === repo.host);
  if (entry === undefined) return ok('private');
  const token = deps.config.hostTokens.get(entry.hostname);
  const credentials: HostCredentials =
    token === undefined ? { kind: 'anonymous' } : { kind: 'server', token };
  const read = await readable(repo, entry, credentials, deps);
  if (!read.ok) return TRANSIENT.includes(read.error.code) ? read : ok('private');
  return ok(read.value);
}

/**
 * A signed webhook said what the repository's visibility is now. Becoming private is recorded at once (it only hides
 * more); becoming public only when the host's API agrees, so a replayed or out-of-order old delivery can never make
 * a private project's prebuilds visible. Answers the visibility now recorded.
 */
export async function followWebhookVisibility(
  db: D1Database,
  project: Project,
  said: Visibility | undefined,
  deps: VisibilityDeps,
): Promise<Visibility> {
  if (said === undefined || said === project.visibility) return project.visibility;
  if (said === 'public') {
    const confirmed = await hostVisibility(project.repo, deps);
    if (!confirmed.ok || confirmed.value !== 'public') return project.visibility;
  }
  await setProjectVisibility(db, project.id, said);
  return said;
}

/**
 * Whether this request may see the project's prebuilds: anyone for a public project; for a private one only a
 * signed-in user whose own token reads the repository on its host (one host request, then cached for the session).
 */
export async function mayViewPrebuilds(
  project: Project,
  viewerOf: () => Promise<Viewer | undefined>,
  cache: KVNamespace,
  deps: VisibilityDeps,
): Promise<boolean> {
  if (project.visibility === 'public') return true;
  const viewer = await viewerOf();
  if (viewer === undefined) return false;
  const accessKey = cacheKey('prebuild-access:v1', `${viewer.key}:${repoKey(project.repo)}`);
  if ((await cache.get(accessKey)) !== null) return true;
  const entry = deps.config.registry.entries.find((e) => e.hostname === project.repo.host);
  if (entry === undefined) return false;
  const credentials = await viewer.credentials(entry);
  if (credentials?.kind !== 'user') return false;
  const read = await readable(project.repo, entry, credentials, deps);
  if (!read.ok) return false;
  await cache.put(accessKey, '1', { expirationTtl: ACCESS_TTL_SECONDS });
  return true;
}

/** The repository's default branch as `credentials` see it: the family's resolver, the same request a launch makes. */
async function readable(
  repo: RepoRef,
  entry: HostEntry,
  credentials: HostCredentials,
  deps: VisibilityDeps,
): Promise<Result<Visibility, LaunchError>> {
  const resolver = deps.resolvers[repo.family];
  if (resolver === undefined) return ok('private');
  const resolved = await resolver.resolve({
    context: { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
    alternatives: [],
    entry,
    credentials,
    ...(deps.http !== undefined && { http: deps.http }),
  });
  if (!resolved.ok) return err(resolved.error);
  return ok(resolved.value.visibility === 'public' ? 'public' : 'private');
}
