// The typed result of reading anything a user pastes, clicks or prefixes: a launch request, or a parse error a
// person can act on. Types only; the grammar that produces them lives in context-url.ts and hosts/.

import type { HostFamilyId } from './hosts/family-ids.ts';

export type { HostFamilyId };

/** A repository on a registered host. `owner` is the GitLab namespace path ("group/sub"), the Bitbucket Cloud
 * workspace, or the Bitbucket Server project key / `~user`. */
export interface RepoRef {
  readonly host: string;
  readonly family: HostFamilyId;
  readonly owner: string;
  readonly name: string;
}

/** One way to split `a/b/c` into a ref and a path; the resolver asks the host which ref exists. */
export interface RefPathSplit {
  readonly ref: string;
  readonly path: string;
}

/**
 * Which revision to open.
 * - `default`: the default branch head.
 * - `ref`: a named ref; `refType` says what the URL told us (`any` = branch, tag or commit-ish; the host decides).
 * - `commit`: a full or abbreviated sha; `branch` is set where the page also names a branch (Bitbucket `?at=`).
 * - `ambiguous`: the URL does not say where the ref ends and the path begins; candidates shortest ref first (and
 *   `refType` when the URL says whether it is a branch or a tag).
 */
export type Revision =
  | { readonly type: 'default' }
  | { readonly type: 'ref'; readonly name: string; readonly refType: 'branch' | 'tag' | 'any' }
  | { readonly type: 'commit'; readonly sha: string; readonly branch?: string }
  | {
      readonly type: 'ambiguous';
      readonly candidates: readonly RefPathSplit[];
      /** What the URL says the ref is when it says so but not where it ends (Gitea's `src/branch/a/b/c`). */
      readonly refType?: 'branch' | 'tag';
    };

export interface LineRange {
  readonly start: number;
  readonly end: number;
}

/** A file or folder to open; `kind` is what the URL says (`unknown` where the host's URL does not tell). */
export interface PathTarget {
  readonly path: string;
  readonly kind: 'file' | 'folder' | 'unknown';
}

/** The page the URL came from, kept so the way back (canonical web URL) returns the same page. */
export type PageKind = 'repo' | 'tree' | 'blob' | 'commits' | 'commit' | 'tag' | 'branch' | 'browse';

export type GitContext =
  | {
      readonly kind: 'repository';
      readonly repo: RepoRef;
      readonly revision: Revision;
      readonly page: PageKind;
      /** Absent for `ambiguous` revisions: each candidate carries its own path. */
      readonly path?: PathTarget;
      readonly lines?: LineRange;
    }
  | { readonly kind: 'pull-request'; readonly repo: RepoRef; readonly number: number; readonly tab?: string }
  | { readonly kind: 'issue'; readonly repo: RepoRef; readonly number: number }
  | { readonly kind: 'snapshot'; readonly id: string };

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export type EnvRejection = 'malformed' | 'invalid-name' | 'blocked-name' | 'unsafe-value';

export interface RejectedEnvVar {
  /** The item as the user wrote it (`K=V`), value percent-decoded. */
  readonly item: string;
  readonly reason: EnvRejection;
  readonly message: string;
}

export interface Referrer {
  readonly name: string;
  readonly ide?: string;
}

export interface ParseWarning {
  readonly code: 'env-rejected' | 'credentials-dropped' | 'duplicate-modifier';
  readonly message: string;
}

export interface LaunchRequest {
  readonly context: GitContext;
  /** Other readings of the same URL, in the order the resolver should try them after `context` (GitLab legacy
   * routes where a group could be named like a keyword). Empty when the URL is unambiguous. */
  readonly alternatives: readonly GitContext[];
  readonly env: readonly EnvVar[];
  readonly rejectedEnv: readonly RejectedEnvVar[];
  readonly referrer?: Referrer;
  readonly imageBuild: boolean;
  readonly openPrebuild?: string;
  readonly warnings: readonly ParseWarning[];
}

export type ParseErrorCode =
  | 'empty'
  | 'too-long'
  | 'malformed-url'
  | 'unsupported-scheme'
  | 'insecure-scheme'
  | 'unknown-host'
  | 'not-a-repository'
  | 'unsupported-page'
  | 'invalid-number'
  | 'invalid-sha'
  | 'invalid-modifier'
  | 'dot-segment';

export interface ParseError {
  readonly code: ParseErrorCode;
  /** A sentence a person can act on: what was wrong and what to do instead. */
  readonly message: string;
}
