// Bitbucket Server errors a person can act on, and the small readers of its answers.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { LaunchError } from '../errors.ts';
import type { ServerApi } from './bitbucket-server.ts';
import { FULL_SHA, parseJsonObject } from './resolver-common.ts';

/**
 * A failed repository request. Bitbucket Server answers 401 both to a refused token and to a caller who may not
 * read the repository (`AuthorisationException`), 404 to a repository or project that does not exist.
 */
export function repositoryError(
  status: number,
  text: string,
  repo: RepoRef | undefined,
  api: ServerApi,
): LaunchError {
  const host = api.entry.hostname;
  const name = repo === undefined ? 'this repository' : `${repo.owner}/${repo.name}`;
  const signedIn = api.credentials.kind === 'user';
  const wayOut =
    repo === undefined ? undefined : { label: `Open ${name} on ${host}`, href: repoWebUrl(repo, api.entry) };
  const withWayOut = wayOut === undefined ? {} : { wayOut };
  const exception = errorException(text);
  const notPermitted = status === 403 || exception.endsWith('AuthorisationException');
  if (signedIn && notPermitted) {
    return new LaunchError('private-repo', {
      title: `You cannot open ${name}`,
      detail: `${host} says your account may not read ${name}. Ask a project admin for access, then try again.`,
      ...withWayOut,
    });
  }
  if (signedIn && status === 401) {
    return new LaunchError('private-repo', {
      title: `${host} did not accept your sign-in`,
      detail: `${host} refused the sign-in this launcher holds for you (it may have expired or been revoked). Sign in with ${host} again, then retry.`,
      ...withWayOut,
    });
  }
  if (status === 403) {
    return new LaunchError('private-repo', {
      title: `${name} is private`,
      detail: `${host} does not let this launcher read ${name}. Sign in with ${host} to open repositories your account can read.`,
      ...withWayOut,
    });
  }
  if (status === 404 || status === 401) {
    if (signedIn) {
      return new LaunchError('repo-not-found', {
        title: `${name} was not found`,
        detail: `There is no repository ${name} on ${host} that your account can see. Check the link for typos.`,
      });
    }
    return new LaunchError('repo-not-found', {
      title: `${name} was not found`,
      detail: `${host} shows no repository ${name} to this launcher. It may be private: signing in with ${host} lets you open private repositories you can read.`,
      facts: { maybePrivate: true },
    });
  }
  return unexpected(api.entry, status, `read ${name}`, errorMessage(text));
}

/** `what` names the revision as a person would: "branch 'feature/x'", "commit 1a2b3c4". */
export function refNotFound(repo: RepoRef, entry: HostEntry, what: string): LaunchError {
  return new LaunchError('ref-not-found', {
    title: `No ${what} in ${repo.owner}/${repo.name}`,
    detail: `${repo.owner}/${repo.name} on ${entry.hostname} has no ${what}. It may have been renamed or deleted (or the repository is still empty); pick one from its branches.`,
    wayOut: { label: 'See its branches', href: `${repoWebUrl(repo, entry)}/branches` },
  });
}

export function unexpected(entry: HostEntry, status: number, what: string, message = ''): LaunchError {
  return new LaunchError('host-unavailable', {
    title: `${entry.hostname} gave an answer we did not expect`,
    detail: `${entry.hostname} answered HTTP ${status} when asked to ${what}${message === '' ? '' : ` ("${message.slice(0, 200)}")`}. Try again in a minute, or tell the launcher's operator if it keeps happening.`,
    retryAfterSeconds: 60,
    wayOut: { label: `Open ${entry.hostname}`, href: entry.origin + entry.basePath },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Small readers.

/** The repository page on the host: `/projects/KEY/repos/name` or `/users/user/repos/name`. */
export function repoWebUrl(repo: RepoRef, entry: HostEntry): string {
  return hostFamilies['bitbucket-server'].webUrl(
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
    entry,
  );
}

export const fullSha = (sha: string | undefined): string | undefined =>
  sha !== undefined && FULL_SHA.test(sha) ? sha.toLowerCase() : undefined;

interface ServerErrors {
  readonly errors?: { readonly message?: unknown; readonly exceptionName?: unknown }[];
}

/** `{"errors":[{"message":"Repository PLAT/x does not exist.", "exceptionName": "…"}]}` → the first message. */
export function errorMessage(text: string): string {
  const message = parseJsonObject<ServerErrors>(text)?.errors?.[0]?.message;
  return typeof message === 'string' ? message : '';
}

function errorException(text: string): string {
  const name = parseJsonObject<ServerErrors>(text)?.errors?.[0]?.exceptionName;
  return typeof name === 'string' ? name : '';
}

/** A 404 about the repository (or its project) rather than a path, ref or commit inside it. */
export function isMissingRepository(text: string): boolean {
  const exception = errorException(text);
  return exception.endsWith('NoSuchRepositoryException') || exception.endsWith('NoSuchProjectException');
}
