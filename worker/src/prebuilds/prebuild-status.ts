// What the extension button and the badge show about a context's prebuild, from the URL alone and one D1 read
// (no host request): ready (which commit, how old), building (since when), failed, or none. Anonymous and cacheable,
// so a private project's prebuilds are always `none` here, exactly like a repository that is no project.

import type { GitContext } from '../../../shared/launch-request.ts';
import { latestPrebuild, repoKey } from './prebuild-records.ts';

export type PrebuildStatus =
  | { readonly state: 'none' }
  | { readonly state: 'ready'; readonly id: string; readonly sha: string; readonly ageSeconds: number }
  | { readonly state: 'building'; readonly id: string; readonly sha: string; readonly since: string }
  | { readonly state: 'failed'; readonly id: string; readonly sha: string; readonly error: string | null };

/**
 * A commit URL → that commit's newest prebuild; a branch (or a bare ref) → that branch's newest; a repository,
 * pull request or issue page → the repository's newest (the URL does not say which commit without asking the host).
 */
export async function prebuildStatus(
  db: D1Database,
  context: GitContext,
  now: number,
): Promise<PrebuildStatus> {
  if (context.kind === 'snapshot') return { state: 'none' };
  const revision = context.kind === 'repository' ? context.revision : undefined;
  const at =
    revision?.type === 'commit'
      ? { sha: revision.sha }
      : revision?.type === 'ref'
        ? { ref: revision.name }
        : revision?.type === 'ambiguous' && revision.candidates[0] !== undefined
          ? { ref: revision.candidates[0].ref }
          : {};
  const record = await latestPrebuild(db, repoKey(context.repo), at);
  if (record === undefined) return { state: 'none' };
  switch (record.state) {
    case 'ready':
      return {
        state: 'ready',
        id: record.id,
        sha: record.sha,
        ageSeconds: Math.max(0, Math.round((now - (record.finishedAt ?? record.startedAt)) / 1000)),
      };
    case 'queued':
    case 'building':
      return {
        state: 'building',
        id: record.id,
        sha: record.sha,
        since: new Date(record.startedAt).toISOString(),
      };
    default:
      return { state: 'failed', id: record.id, sha: record.sha, error: record.error };
  }
}
