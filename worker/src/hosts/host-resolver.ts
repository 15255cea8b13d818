// What each host family's API client provides to the launcher: turn a parsed context into a resolved one (full sha,
// branch, PR head, file or folder…) and read a file at a commit. One module per family implements it.
// Resolvers never log or return tokens.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { GitContext, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { Result } from '../../../shared/result.ts';
import type { LaunchError } from '../errors.ts';

export type RepoContext = Exclude<GitContext, { kind: 'snapshot' }>;

export interface HostCredentials {
  /** A user token (sign-in issue), a server token from HOST_TOKENS, or none (anonymous). */
  readonly token?: string;
  readonly kind: 'user' | 'server' | 'anonymous';
}

export interface ResolveInput {
  readonly context: RepoContext;
  /** Other readings of the same URL to try when `context`'s repository does not exist (GitLab legacy routes). */
  readonly alternatives: readonly GitContext[];
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  /** The launching user's login on this host, for issue branch names; absent when not signed in. */
  readonly userName?: string;
  /** Retry waits and clock for host requests; tests pass `{ backoffMs: [0, 0] }`. */
  readonly http?: HttpTuning;
}

export interface HttpTuning {
  readonly backoffMs?: readonly number[];
  readonly now?: () => number;
}

export interface HostResolver {
  resolve(input: ResolveInput): Promise<Result<ResolvedContext, LaunchError>>;
  /** A file's text at a commit, `null` when it does not exist. */
  readFile(
    repo: RepoRef,
    sha: string,
    path: string,
    entry: HostEntry,
    credentials: HostCredentials,
    http?: HttpTuning,
  ): Promise<Result<string | null, LaunchError>>;
  /**
   * The commit and its ancestors, newest first, at most `limit` full shas — in one request where the host allows
   * (prebuild selection walks this list for the nearest ready prebuild).
   */
  history?(
    repo: RepoRef,
    sha: string,
    limit: number,
    entry: HostEntry,
    credentials: HostCredentials,
    http?: HttpTuning,
  ): Promise<Result<readonly string[], LaunchError>>;
}
