// GitHub's errors a person can act on: each names what was asked and a way out.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { LaunchError } from '../errors.ts';
import type { PullFacts, RepositoryContext } from './github-context.ts';
import type { HostCredentials, RepoContext } from './host-resolver.ts';

export const repoRefOf = (entry: HostEntry, owner: string, name: string): RepoRef => ({
  host: entry.hostname,
  family: 'github',
  owner,
  name,
});

const siteOf = (entry: HostEntry): string => entry.origin + entry.basePath;
const labelOf = (entry: HostEntry): string => (entry.builtin ? 'GitHub' : entry.hostname);
const repoUrl = (entry: HostEntry, repo: RepoRef): string =>
  `${siteOf(entry)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

export function repoNotFound(entry: HostEntry, repo: RepoRef, credentials: HostCredentials): LaunchError {
  const label = labelOf(entry);
  const name = `${repo.owner}/${repo.name}`;
  if (credentials.kind === 'user') {
    return new LaunchError('repo-not-found', {
      title: `Repository ${name} not found`,
      detail: `${label} has no repository ${name} that your account can see. Check the link for typos, or ask the owners for access.`,
      wayOut: { label: `Open ${label}`, href: siteOf(entry) },
    });
  }
  return new LaunchError('repo-not-found', {
    title: `Repository ${name} not found`,
    detail: `${label} has no public repository ${name}. It may be private: sign in with ${label} to open private repositories your account can read.`,
    wayOut: { label: `Open ${label}`, href: siteOf(entry) },
    facts: { maybePrivate: true },
  });
}

export function privateRepo(entry: HostEntry, repo: RepoRef, reason?: string): LaunchError {
  const label = labelOf(entry);
  return new LaunchError('private-repo', {
    title: `No access to ${repo.owner}/${repo.name}`,
    detail: `${label} refused access to ${repo.owner}/${repo.name}${reason === undefined ? '' : ` (${reason})`}. Sign in with an account that can read it, or ask its owners for access.`,
    wayOut: { label: `Open ${repo.owner}/${repo.name}`, href: repoUrl(entry, repo) },
  });
}

export function refNotFound(entry: HostEntry, context: RepositoryContext): LaunchError {
  const revision = context.revision;
  const repo = `${context.repo.owner}/${context.repo.name}`;
  const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  const missing =
    revision.type === 'commit'
      ? `no commit ${revision.sha}`
      : revision.type === 'ref'
        ? `no ${revision.refType === 'any' ? 'branch, tag or commit' : revision.refType} named '${revision.name}'`
        : revision.type === 'ambiguous'
          ? `no branch, tag or commit named ${quoted(revision.candidates.map((c) => c.ref))}`
          : 'no default branch';
  return new LaunchError('ref-not-found', {
    title: `Branch or commit not found in ${repo}`,
    detail: `${repo} has ${missing}. It may have been deleted or renamed; pick one from the repository's branches.`,
    wayOut: { label: `Branches of ${repo}`, href: `${repoUrl(entry, context.repo)}/branches` },
  });
}

export function emptyRepository(entry: HostEntry, repo: RepoRef): LaunchError {
  const name = `${repo.owner}/${repo.name}`;
  return new LaunchError('ref-not-found', {
    title: `${name} is empty`,
    detail: `${name} has no commits yet, so there is nothing to open. Push a first commit and try again.`,
    wayOut: { label: `Open ${name}`, href: repoUrl(entry, repo) },
  });
}

export function itemNotFound(entry: HostEntry, context: RepoContext): LaunchError {
  const name = `${context.repo.owner}/${context.repo.name}`;
  if (context.kind === 'issue') {
    return new LaunchError('issue-not-found', {
      title: `Issue #${context.number} not found`,
      detail: `${name} has no issue or pull request #${context.number}. Check the number, or open the issue list.`,
      wayOut: { label: `Issues of ${name}`, href: `${repoUrl(entry, context.repo)}/issues` },
    });
  }
  const number = context.kind === 'pull-request' ? context.number : 0;
  return new LaunchError('pr-not-found', {
    title: `Pull request #${number} not found`,
    detail: `${name} has no pull request or issue #${number}. Check the number, or open the pull request list.`,
    wayOut: { label: `Pull requests of ${name}`, href: `${repoUrl(entry, context.repo)}/pulls` },
  });
}

export function headDeleted(entry: HostEntry, pull: PullFacts): LaunchError {
  const base = `${pull.baseRepo.owner}/${pull.baseRepo.name}`;
  return new LaunchError('pr-head-deleted', {
    title: `The branch of pull request #${pull.number} is gone`,
    detail: `The branch '${pull.headRef}' of pull request #${pull.number} (or the fork that held it) was deleted, so there is nothing to check out. Open ${base} instead, or restore the branch on ${labelOf(entry)}.`,
    wayOut: { label: `Open ${base}`, href: repoUrl(entry, pull.baseRepo) },
  });
}
