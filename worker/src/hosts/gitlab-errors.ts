// GitLab errors a person can act on: each names what was asked and a way out.

import type { RepoRef } from '../../../shared/launch-request.ts';
import { encodePath } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import { fullPath, type GitLabApi } from './gitlab-api.ts';
import { emptyRepositoryError, repoNotFoundError } from './resolver-common.ts';

const pageOf = (api: GitLabApi, repo: RepoRef, suffix = ''): string =>
  `${api.site}/${encodePath(fullPath(repo))}${suffix}`;

export function repoNotFound(api: GitLabApi, repo: RepoRef): LaunchError {
  return repoNotFoundError({
    where: pageOf(api, repo),
    label: api.label,
    site: api.site,
    signedIn: api.credentials.kind === 'user',
    noun: 'Project',
  });
}

export function refNotFound(
  api: GitLabApi,
  repo: RepoRef,
  name: string,
  kind: 'branch' | 'tag' | 'any' | 'prefix' = 'any',
): LaunchError {
  const what =
    kind === 'branch'
      ? `branch named '${name}'`
      : kind === 'tag'
        ? `tag named '${name}'`
        : kind === 'prefix'
          ? `branch, tag or commit at the start of '${name}'`
          : `branch, tag or commit named '${name}'`;
  return new LaunchError('ref-not-found', {
    title: 'Branch or tag not found',
    detail: `${fullPath(repo)} on ${api.label} has no ${what}. It may have been deleted or renamed; pick one from the project's branches.`,
    wayOut: { label: 'See the branches', href: pageOf(api, repo, '/-/branches') },
  });
}

export const emptyProject = (api: GitLabApi, repo: RepoRef): LaunchError =>
  emptyRepositoryError({ name: fullPath(repo), label: api.label, noun: 'project', where: pageOf(api, repo) });

export function mergeRequestNotFound(api: GitLabApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('pr-not-found', {
    title: 'Merge request not found',
    detail: `${fullPath(repo)} on ${api.label} has no merge request !${number}, or you cannot see it. Check the number.`,
    wayOut: { label: 'See the merge requests', href: pageOf(api, repo, '/-/merge_requests') },
  });
}

export function headDeleted(api: GitLabApi, baseRepo: RepoRef, number: number, branch: string): LaunchError {
  return new LaunchError('pr-head-deleted', {
    title: "The merge request's source branch is gone",
    detail: `Merge request !${number} in ${fullPath(baseRepo)} was opened from '${branch}', which has been deleted (or its fork was). Open the target project instead.`,
    wayOut: { label: `Open ${fullPath(baseRepo)}`, href: pageOf(api, baseRepo) },
  });
}

export function issueNotFound(api: GitLabApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('issue-not-found', {
    title: 'Issue not found',
    detail: `${fullPath(repo)} on ${api.label} has no issue #${number}, or you cannot see it (issues may be turned off or confidential).`,
    wayOut: { label: 'See the issues', href: pageOf(api, repo, '/-/issues') },
  });
}

/** Full shas from a JSON list of commits (`[{id}]` on GitLab, `{values: [{hash}]}` elsewhere), at most `limit`. */
export function commitShas(text: string, field: string, limit: number): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(body) ? body : [];
  return list
    .map((c) => (c as Record<string, unknown>)[field])
    .filter((s): s is string => typeof s === 'string' && /^[0-9a-f]{40}$/.test(s))
    .slice(0, limit);
}
