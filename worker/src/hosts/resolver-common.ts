// What every host resolver reads the same way: commit shas, the config file's name, JSON bodies, "same repository",
// and the answers it gives the same way: a pull request whose source branch is gone, a repository the host does not
// show, an empty repository, an answer the host should not have sent.

import type { RepoRef } from '../../../shared/launch-request.ts';
import { LaunchError } from '../errors.ts';

export const CONFIG_FILE = '.gitpod.yml';
export const FULL_SHA = /^[0-9a-f]{40}$/i;
/** A name a commit endpoint may read as an abbreviated hash: `1a2b3c4`. */
export const HEX_PREFIX = /^[0-9a-f]{7,40}$/i;

/** A JSON object from a body, or undefined for anything else (HTML error pages, arrays, bad JSON). */
export function parseJsonObject<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Hosts compare owners and names without regard to case. */
export const sameRepo = (a: RepoRef, b: RepoRef): boolean =>
  a.owner.toLowerCase() === b.owner.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();

/** A pull request whose source branch (or the fork holding it) is gone: the way out is the repository it targeted. */
export function pullHeadDeleted(
  number: number,
  headRef: string | undefined,
  baseRepo: RepoRef,
  baseRepoUrl: string,
): LaunchError {
  const branch = headRef === undefined ? 'Its source branch' : `Its source branch '${headRef}'`;
  return new LaunchError('pr-head-deleted', {
    title: `Pull request #${number} has no source branch any more`,
    detail: `${branch} was deleted, or the fork that held it is gone or private to you, so there is nothing to open. Open the repository it targeted instead.`,
    wayOut: { label: `Open ${baseRepo.owner}/${baseRepo.name}`, href: baseRepoUrl },
  });
}

/**
 * A repository the host says is not there: for a signed-in user it does not exist or they cannot see it; for anyone
 * else it may be private, and signing in is the way to find out. `noun` is what the host calls one ("Project").
 */
export function repoNotFoundError(input: {
  readonly where: string;
  readonly label: string;
  readonly site: string;
  readonly signedIn: boolean;
  readonly noun: 'Repository' | 'Project';
}): LaunchError {
  const { where, label, site, noun } = input;
  const plural = noun === 'Project' ? 'projects' : 'repositories';
  return new LaunchError('repo-not-found', {
    title: `${noun} not found`,
    detail: input.signedIn
      ? `${where} does not exist on ${label}, or your account cannot see it. Check the address for typos.`
      : `${where} does not exist, or it is private. Sign in with ${label} to open private ${plural} you can see.`,
    wayOut: { label: `Open ${label}`, href: site },
    ...(!input.signedIn && { facts: { maybePrivate: true } }),
  });
}

/** A repository with no commits: `noun` is what the host calls one ("project"), `where` its page. */
export function emptyRepositoryError(input: {
  readonly name: string;
  readonly label: string;
  readonly noun: 'repository' | 'project';
  readonly where: string;
}): LaunchError {
  return new LaunchError('ref-not-found', {
    title: `The ${input.noun} has no commits yet`,
    detail: `${input.name} on ${input.label} is empty. Push a first commit, then open it again.`,
    wayOut: { label: `Open the ${input.noun}`, href: input.where },
  });
}

/** The host answered, but not as its API says it does (`problem`: what it sent); the way out is the host itself. */
export function unavailable(label: string, site: string, problem: string): LaunchError {
  return new LaunchError('host-unavailable', {
    title: `${label} answered unexpectedly`,
    detail: `${label}'s API sent ${problem}. It may be misconfigured or mid-upgrade; try again in a minute.`,
    wayOut: { label: `Open ${label}`, href: site },
  });
}

/** An answer about `what` that could not be read. */
export const unreadable = (
  host: { readonly label: string; readonly site: string },
  what: string,
): LaunchError => unavailable(host.label, host.site, `an answer about ${what} we could not read`);
