// Projects: the repositories whose prebuilds this launcher manages, with their webhook secret and triggers. Read
// and written through the admin API. The webhook secret is stored sealed (AES-GCM, like sign-in tokens, bound to
// its project); never returned except in the answer that created it.

import picomatch from 'picomatch';
import type { GithubPrebuilds } from '../../../shared/gitpod-config.ts';
import type { HostFamilyId, RepoRef } from '../../../shared/launch-request.ts';
import { openToken, sealToken, type Vault } from '../auth/token-vault.ts';
import { repoKey } from './prebuild-records.ts';

export type BranchStrategy = 'default-branch' | 'all-branches' | 'matched-branches';

/** Whether the repository can be read without an account; anything the host did not say is `private`. */
export type Visibility = 'public' | 'private';

export interface Project {
  readonly id: string;
  readonly repo: RepoRef;
  readonly repoKey: string;
  /** `v1.<key id>.<iv>.<data>` (token-vault.ts); plain text only in rows from before secrets were sealed. */
  readonly sealedWebhookSecret: string;
  readonly branchStrategy: BranchStrategy;
  /** For `matched-branches`: globs, each matched like Gitpod does (`**\/<glob>`). */
  readonly branchGlobs: readonly string[];
  readonly pullRequests: boolean;
  readonly pullRequestsFromForks: boolean;
  /** Prebuild at most every Nth commit of a branch; 0 prebuilds every push. */
  readonly commitInterval: number;
  /** A private project's prebuilds are shown only to people who can read the repository (repo-visibility.ts). */
  readonly visibility: Visibility;
  readonly createdAt: number;
}

interface Row {
  id: string;
  repo_key: string;
  host: string;
  family: HostFamilyId;
  owner: string;
  name: string;
  webhook_secret: string;
  branch_strategy: BranchStrategy;
  branch_globs: string;
  pull_requests: number;
  pull_requests_from_forks: number;
  commit_interval: number;
  visibility: string;
  created_at: number;
}

const fromRow = (r: Row): Project => ({
  id: r.id,
  repo: { host: r.host, family: r.family, owner: r.owner, name: r.name },
  repoKey: r.repo_key,
  sealedWebhookSecret: r.webhook_secret,
  branchStrategy: r.branch_strategy,
  branchGlobs: JSON.parse(r.branch_globs) as string[],
  pullRequests: r.pull_requests === 1,
  pullRequestsFromForks: r.pull_requests_from_forks === 1,
  commitInterval: r.commit_interval,
  visibility: r.visibility === 'public' ? 'public' : 'private',
  createdAt: r.created_at,
});

export interface ProjectSettings {
  readonly webhookSecret: string;
  readonly branchStrategy: BranchStrategy;
  readonly branchGlobs: readonly string[];
  readonly pullRequests: boolean;
  readonly pullRequestsFromForks: boolean;
  readonly commitInterval: number;
}

/** Reads admin input into settings, or a message saying which field is wrong and how. */
export function readSettings(
  body: Record<string, unknown>,
  generatedSecret: string,
): { ok: true; value: ProjectSettings } | { ok: false; error: string } {
  const secret = body.webhookSecret ?? generatedSecret;
  if (typeof secret !== 'string' || secret.length < 16 || secret.length > 256)
    return { ok: false, error: 'webhookSecret must be 16–256 characters (omit it to have one generated).' };
  const strategy = body.branchStrategy ?? 'default-branch';
  if (strategy !== 'default-branch' && strategy !== 'all-branches' && strategy !== 'matched-branches')
    return { ok: false, error: 'branchStrategy must be default-branch, all-branches or matched-branches.' };
  const globs = body.branchGlobs ?? [];
  if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string' || g.trim() === '' || g.length > 200))
    return { ok: false, error: 'branchGlobs must be a list of branch patterns like "release/*".' };
  if (strategy === 'matched-branches' && globs.length === 0)
    return { ok: false, error: 'matched-branches needs at least one pattern in branchGlobs.' };
  const flag = (name: string, fallback: boolean) => {
    const v = body[name] ?? fallback;
    return typeof v === 'boolean' ? v : undefined;
  };
  const pullRequests = flag('pullRequests', true);
  const fromForks = flag('pullRequestsFromForks', false);
  if (pullRequests === undefined || fromForks === undefined)
    return { ok: false, error: 'pullRequests and pullRequestsFromForks must be true or false.' };
  const interval = body.commitInterval ?? 0;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 0 || interval > 99)
    return { ok: false, error: 'commitInterval must be a whole number from 0 (every commit) to 99.' };
  return {
    ok: true,
    value: {
      webhookSecret: secret,
      branchStrategy: strategy,
      branchGlobs: (globs as string[]).map((g) => g.trim()),
      pullRequests,
      pullRequestsFromForks: fromForks,
      commitInterval: interval,
    },
  };
}

export async function createProject(
  db: D1Database,
  repo: RepoRef,
  settings: ProjectSettings,
  visibility: Visibility,
  now: number,
  vault: Vault,
): Promise<Project | undefined> {
  const id = `prj-${crypto.randomUUID()}`;
  const sealed = await sealToken(vault, settings.webhookSecret, secretBinding(id));
  const row = await db
    .prepare(
      `INSERT INTO projects (id, repo_key, host, family, owner, name, webhook_secret, branch_strategy, branch_globs,
         pull_requests, pull_requests_from_forks, commit_interval, visibility, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING RETURNING *`,
    )
    .bind(
      id,
      repoKey(repo),
      repo.host,
      repo.family,
      repo.owner,
      repo.name,
      sealed,
      settings.branchStrategy,
      JSON.stringify(settings.branchGlobs),
      settings.pullRequests ? 1 : 0,
      settings.pullRequestsFromForks ? 1 : 0,
      settings.commitInterval,
      visibility,
      now,
    )
    .first<Row>();
  return row === null ? undefined : fromRow(row);
}

/** A sealed secret opens only in its own project's row: copied into another, it does not decrypt. */
const secretBinding = (projectId: string) => `project:${projectId}:webhook-secret`;

/**
 * The project's webhook secret in plain text, for checking a delivery; undefined when it cannot be opened (its key
 * was removed from TOKEN_KEYS, or there are no keys). A row from before secrets were sealed is sealed now.
 */
export async function webhookSecretOf(
  db: D1Database,
  project: Project,
  vault: Vault | undefined,
): Promise<string | undefined> {
  const stored = project.sealedWebhookSecret;
  if (stored.startsWith('v1.'))
    return vault === undefined ? undefined : openToken(vault, stored, secretBinding(project.id));
  if (vault !== undefined) {
    const sealed = await sealToken(vault, stored, secretBinding(project.id));
    await db
      .prepare('UPDATE projects SET webhook_secret = ?2 WHERE id = ?1 AND webhook_secret = ?3')
      .bind(project.id, sealed, stored)
      .run();
  }
  return stored;
}

export async function getProject(db: D1Database, id: string): Promise<Project | undefined> {
  const row = await db.prepare('SELECT * FROM projects WHERE id = ?1').bind(id).first<Row>();
  return row === null ? undefined : fromRow(row);
}

export async function projectForRepo(db: D1Database, key: string): Promise<Project | undefined> {
  const row = await db.prepare('SELECT * FROM projects WHERE repo_key = ?1').bind(key).first<Row>();
  return row === null ? undefined : fromRow(row);
}

export async function listProjects(db: D1Database): Promise<Project[]> {
  const { results } = await db.prepare('SELECT * FROM projects ORDER BY created_at').all<Row>();
  return results.map(fromRow);
}

/** Records what the host now says about the repository (a signed webhook, or the host's API). */
export async function setProjectVisibility(
  db: D1Database,
  id: string,
  visibility: Visibility,
): Promise<void> {
  await db.prepare('UPDATE projects SET visibility = ?2 WHERE id = ?1').bind(id, visibility).run();
}

export async function deleteProject(db: D1Database, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM projects WHERE id = ?1').bind(id).run();
  return (result.meta.changes ?? 0) > 0;
}

/** What the admin API shows: everything but the secret. */
export function projectJson(p: Project, origin: string) {
  return {
    id: p.id,
    repo: p.repo,
    branchStrategy: p.branchStrategy,
    branchGlobs: p.branchGlobs,
    pullRequests: p.pullRequests,
    pullRequestsFromForks: p.pullRequestsFromForks,
    commitInterval: p.commitInterval,
    visibility: p.visibility,
    webhookUrl: `${origin}/webhooks/${p.repo.family}/${p.id}`,
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

/**
 * Whether a push to `branch` triggers a prebuild. The project's strategy decides; a `.gitpod.yml` that sets the
 * legacy `github.prebuilds` keys narrows it (`master` for the default branch, `branches` for the others).
 */
export function branchMatches(
  project: Project,
  branch: string,
  defaultBranch: string,
  legacy: { readonly inFile: boolean; readonly prebuilds: GithubPrebuilds },
): { ok: true } | { ok: false; reason: string } {
  const isDefault = branch === defaultBranch;
  if (legacy.inFile) {
    if (isDefault && !legacy.prebuilds.master)
      return { ok: false, reason: '.gitpod.yml sets github.prebuilds.master: false' };
    if (!isDefault && !legacy.prebuilds.branches && project.branchStrategy === 'default-branch')
      return {
        ok: false,
        reason: `branch ${branch} is not the default branch (github.prebuilds.branches is false)`,
      };
    if (!isDefault && legacy.prebuilds.branches) return { ok: true };
  }
  if (isDefault) return { ok: true };
  switch (project.branchStrategy) {
    case 'all-branches':
      return { ok: true };
    case 'default-branch':
      return { ok: false, reason: `branch ${branch} is not the default branch (${defaultBranch})` };
    case 'matched-branches': {
      // Gitpod matches each pattern as `**/<glob>`, so `release/*` also matches `team/release/1`.
      const match = picomatch(
        project.branchGlobs.map((g) => `**/${g}`),
        { dot: true },
      );
      return match(branch) || picomatch(project.branchGlobs as string[], { dot: true })(branch)
        ? { ok: true }
        : { ok: false, reason: `branch ${branch} matches none of ${project.branchGlobs.join(', ')}` };
    }
  }
}
