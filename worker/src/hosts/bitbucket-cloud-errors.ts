// Bitbucket Cloud errors a person can act on, and the small readers of its answers.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { encodeSegment } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import type { HostCredentials } from './host-resolver.ts';
import { parseJsonObject } from './resolver-common.ts';

export function repositoryError(
  status: number,
  text: string,
  repo: RepoRef,
  entry: HostEntry,
  credentials: HostCredentials,
): LaunchError {
  const name = `${repo.owner}/${repo.name}`;
  const signedIn = credentials.kind === 'user';
  if (status === 403) {
    return new LaunchError('private-repo', {
      title: `You cannot open ${name}`,
      detail: `Bitbucket says your account may not read ${name}. Ask its owner for access, then try again.`,
      wayOut: { label: `Open ${name} on Bitbucket`, href: webBase(repo, entry) },
    });
  }
  if (status === 401 && signedIn) {
    return new LaunchError('private-repo', {
      title: 'Bitbucket did not accept your sign-in',
      detail: `Bitbucket refused the sign-in this launcher holds for you (it may have expired or been revoked). Sign in with Bitbucket again, then retry ${name}.`,
      wayOut: { label: `Open ${name} on Bitbucket`, href: webBase(repo, entry) },
    });
  }
  if (status === 404 || status === 401) {
    if (signedIn) {
      return new LaunchError('repo-not-found', {
        title: `${name} was not found`,
        detail: `There is no repository ${name} on Bitbucket that your account can see. Check the link for typos.`,
      });
    }
    return new LaunchError('repo-not-found', {
      title: `${name} was not found`,
      detail: `There is no public repository ${name} on Bitbucket. It may be private: signing in with Bitbucket lets you open private repositories you can read.`,
      facts: { maybePrivate: true },
    });
  }
  return unexpected(status, `read ${name}`, errorMessage(text));
}

/** `what` names the ref as a person would: "branch 'feature/x'", "commit 1a2b3c4". */
export function refNotFound(repo: RepoRef, entry: HostEntry, what: string): LaunchError {
  return new LaunchError('ref-not-found', {
    title: `No ${what} in ${repo.owner}/${repo.name}`,
    detail: `${repo.owner}/${repo.name} on Bitbucket has no ${what}. It may have been renamed or deleted; pick one from its branches.`,
    wayOut: { label: 'See its branches', href: `${webBase(repo, entry)}/branches/` },
  });
}

export function emptyRepository(repo: RepoRef, entry: HostEntry): LaunchError {
  return new LaunchError('ref-not-found', {
    title: `${repo.owner}/${repo.name} has no commits yet`,
    detail: `${repo.owner}/${repo.name} has no main branch to open. Push a first commit, then try again.`,
    wayOut: { label: `Open ${repo.owner}/${repo.name}`, href: webBase(repo, entry) },
  });
}

export function unexpected(status: number, what: string, message = ''): LaunchError {
  return new LaunchError('host-unavailable', {
    title: 'Bitbucket gave an answer we did not expect',
    detail: `Bitbucket answered HTTP ${status} when asked to ${what}${message === '' ? '' : ` ("${message.slice(0, 200)}")`}. Try again in a minute.`,
    retryAfterSeconds: 60,
    wayOut: { label: 'Check Bitbucket status', href: 'https://bitbucket.status.atlassian.com/' },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Small readers.

export const webBase = (repo: RepoRef, entry: HostEntry): string =>
  `${entry.origin}${entry.basePath}/${encodeSegment(repo.owner)}/${encodeSegment(repo.name)}`;

export function repoFromFullName(fullName: string | undefined, entry: HostEntry): RepoRef | undefined {
  const parts = fullName?.split('/');
  if (parts?.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  const [owner = '', name = ''] = parts;
  return { host: entry.hostname, family: 'bitbucket-cloud', owner, name };
}

/** `{"type":"error","error":{"message":"Repository … not found"}}` → its message. */
export function errorMessage(text: string): string {
  const message = parseJsonObject<{ error?: { message?: unknown } }>(text)?.error?.message;
  return typeof message === 'string' ? message : '';
}

/** A directory under `src/` answers a page of `commit_file` / `commit_directory` entries instead of file text. */
export function isDirectoryListing(text: string): boolean {
  const page = parseJsonObject<{ pagelen?: unknown; values?: { type?: unknown }[] }>(text);
  return (
    page !== undefined &&
    typeof page.pagelen === 'number' &&
    Array.isArray(page.values) &&
    page.values.every((v) => v?.type === 'commit_file' || v?.type === 'commit_directory')
  );
}
