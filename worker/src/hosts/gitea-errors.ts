// Gitea / Forgejo errors a person can act on: each names what was asked and a way out.

import type { RepoRef } from '../../../shared/launch-request.ts';
import { encodePath } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import { fullName, type GiteaApi } from './gitea-api.ts';
import { emptyRepositoryError, repoNotFoundError } from './resolver-common.ts';

export const pageOf = (api: GiteaApi, repo: RepoRef, suffix = ''): string =>
  `${api.site}/${encodePath(fullName(repo))}${suffix}`;

export function repoNotFound(api: GiteaApi, repo: RepoRef): LaunchError {
  return repoNotFoundError({
    where: pageOf(api, repo),
    label: api.label,
    site: api.site,
    signedIn: api.credentials.kind === 'user',
    noun: 'Repository',
  });
}

export function refNotFound(
  api: GiteaApi,
  repo: RepoRef,
  name: string,
  kind: 'branch' | 'tag' | 'any' | 'prefix' = 'any',
): LaunchError {
  const what =
    kind === 'branch'
      ? `branch at the start of '${name}'`
      : kind === 'tag'
        ? `tag at the start of '${name}'`
        : kind === 'prefix'
          ? `branch, tag or commit at the start of '${name}'`
          : `branch, tag or commit named '${name}'`;
  return new LaunchError('ref-not-found', {
    title: 'Branch or tag not found',
    detail: `${fullName(repo)} on ${api.label} has no ${what}. It may have been deleted or renamed; pick one from the repository's branches.`,
    wayOut: { label: 'See the branches', href: pageOf(api, repo, '/branches') },
  });
}

export const emptyRepo = (api: GiteaApi, repo: RepoRef): LaunchError =>
  emptyRepositoryError({
    name: fullName(repo),
    label: api.label,
    noun: 'repository',
    where: pageOf(api, repo),
  });

export function pullNotFound(api: GiteaApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('pr-not-found', {
    title: 'Pull request not found',
    detail: `${fullName(repo)} on ${api.label} has no pull request #${number}, or you cannot see it. Check the number.`,
    wayOut: { label: 'See the pull requests', href: pageOf(api, repo, '/pulls') },
  });
}

export function issueNotFound(api: GiteaApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('issue-not-found', {
    title: 'Issue not found',
    detail: `${fullName(repo)} on ${api.label} has no issue #${number}, or you cannot see it (issues may be turned off).`,
    wayOut: { label: 'See the issues', href: pageOf(api, repo, '/issues') },
  });
}
