// A git context after the host's API has answered: exactly which repository, commit, branch, file and pull
// request or issue a workspace opens. Produced by the launcher's resolvers, shown on its pages, sent to clusters.

import type { LineRange, RepoRef } from './launch-request.ts';

export interface ResolvedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed' | 'merged';
  /** Where the changes live: the workspace clones this repository (a fork, possibly) at `headRef`. */
  readonly headRepo: RepoRef;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRepo: RepoRef;
  readonly baseRef: string;
  readonly fromFork: boolean;
  /**
   * The base repository's clone URL, for a pull request from a fork: the workspace fetches `baseRef` from it as
   * `upstream/<baseRef>` (from the same repository it is `origin/<baseRef>` already).
   */
  readonly baseCloneUrl?: string;
}

export interface ResolvedIssue {
  readonly number: number;
  readonly title: string;
  /** The branch the workspace creates, from the default branch head (shared/issue-branch.ts). */
  readonly branch: string;
}

export interface ResolvedContext {
  /** The repository the workspace clones (a PR's head repository). */
  readonly repo: RepoRef;
  readonly cloneUrl: string;
  /** The page the user came from, canonical. */
  readonly webUrl: string;
  readonly defaultBranch: string;
  /** What is checked out: a branch (tracking), a tag, or nothing (detached at `sha`). */
  readonly ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
  /** The full 40-hex commit. */
  readonly sha: string;
  readonly path?: { readonly path: string; readonly kind: 'file' | 'folder' };
  readonly lines?: LineRange;
  readonly pullRequest?: ResolvedPullRequest;
  readonly issue?: ResolvedIssue;
  /**
   * Whether `repo` is readable without an account, as its host's API said: `private` covers GitHub's private and
   * internal, GitLab's private and internal, Bitbucket's private. Absent when the host did not say (treat as private).
   */
  readonly visibility?: 'public' | 'private';
  /**
   * `.gitpod.yml` at `sha` when the resolver fetched it in the same round trip: the text, `null` when the file does
   * not exist, absent when not fetched (the caller then reads it).
   */
  readonly configText?: string | null;
}
