// GitHub for the launcher: what a URL asks for (the revision as lookups), and the resolved context once GitHub has
// answered — shared by the GraphQL (github-graphql.ts) and REST (github-rest.ts) resolutions.

import { hostFamilies } from '../../../shared/host-registry.ts';
import { isSha } from '../../../shared/hosts/path-grammar.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { RefPathSplit, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { headDeleted } from './github-errors.ts';
import type { RepoContext, ResolveInput } from './host-resolver.ts';

/** The revision of a repository context as lookups: which names may be branches, tags or a commit-ish. */
export type Plan =
  | { readonly kind: 'default'; readonly path: string }
  | {
      readonly kind: 'named';
      /** Shortest ref first; each with the path that follows it. */
      readonly candidates: readonly RefPathSplit[];
      readonly branch: boolean;
      readonly tag: boolean;
      /** The first candidate may be an abbreviated or full sha. */
      readonly commitish: boolean;
    }
  | { readonly kind: 'commit'; readonly sha: string; readonly branchHint?: string; readonly path: string };

export type RepositoryContext = Extract<RepoContext, { kind: 'repository' }>;

export function planOf(context: RepositoryContext): Plan {
  const path = context.path?.path ?? '';
  const revision = context.revision;
  switch (revision.type) {
    case 'default':
      return { kind: 'default', path };
    case 'commit':
      return {
        kind: 'commit',
        sha: revision.sha.toLowerCase(),
        path,
        ...(revision.branch !== undefined && { branchHint: revision.branch }),
      };
    case 'ref':
      return {
        kind: 'named',
        candidates: [{ ref: revision.name, path }],
        branch: revision.refType !== 'tag',
        tag: revision.refType !== 'branch',
        commitish: revision.refType === 'any' && isSha(revision.name),
      };
    case 'ambiguous':
      return {
        kind: 'named',
        candidates: revision.candidates,
        branch: true,
        tag: true,
        commitish: isSha(revision.candidates[0]?.ref ?? ''),
      };
  }
}

/** What the page says the path is: the context's own kind, or for ambiguous refs the page (tree/blob). */
export function pageKind(context: RepositoryContext): 'file' | 'folder' | 'unknown' {
  if (context.path !== undefined) return context.path.kind;
  return context.page === 'blob' ? 'file' : context.page === 'tree' ? 'folder' : 'unknown';
}

export type PathKind = 'file' | 'folder' | 'missing';
type Visibility = NonNullable<ResolvedContext['visibility']>;
/** GitHub's `private` (REST) and `isPrivate` (GraphQL) are true for internal repositories too. */
export const visibilityOf = (isPrivate: boolean): Visibility => (isPrivate ? 'private' : 'public');

/** A repository context once the host has answered. */
export interface Settled {
  readonly repo: RepoRef;
  readonly visibility: Visibility;
  readonly defaultBranch: string;
  readonly sha: string;
  readonly ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
  readonly path: string;
  /** The host's answer about `path`; undefined when not asked (the page's kind then stands). */
  readonly pathKind?: PathKind;
  readonly configText?: string | null;
}

export function finish(input: ResolveInput, context: RepositoryContext, settled: Settled): ResolvedContext {
  const claimed = pageKind(context);
  const kind = settled.pathKind ?? (claimed === 'unknown' ? 'missing' : claimed);
  const hasPath = settled.path !== '' && kind !== 'missing';
  return {
    repo: settled.repo,
    visibility: settled.visibility,
    cloneUrl: hostFamilies.github.cloneUrl(settled.repo, input.entry),
    webUrl: hostFamilies.github.webUrl(input.context, input.entry),
    defaultBranch: settled.defaultBranch,
    ...(settled.ref !== undefined && { ref: settled.ref }),
    sha: settled.sha,
    ...(hasPath && { path: { path: settled.path, kind } }),
    ...(hasPath && kind === 'file' && context.lines !== undefined && { lines: context.lines }),
    ...(settled.configText !== undefined && { configText: settled.configText }),
  };
}

export interface PullFacts {
  readonly number: number;
  readonly title: string;
  readonly state: ResolvedPullRequest['state'];
  readonly baseRepo: RepoRef;
  readonly baseRef: string;
  /** Undefined when the fork or the head branch is gone. */
  readonly head?: { readonly repo: RepoRef; readonly visibility: Visibility; readonly defaultBranch: string };
  readonly headRef: string;
  readonly headSha: string;
  readonly fromFork: boolean;
}

export function pullResult(
  input: ResolveInput,
  pull: PullFacts,
  configText?: string | null,
): ResolvedContext {
  const head = pull.head;
  if (head === undefined) throw headDeleted(input.entry, pull);
  return {
    repo: head.repo,
    visibility: head.visibility,
    cloneUrl: hostFamilies.github.cloneUrl(head.repo, input.entry),
    webUrl: hostFamilies.github.webUrl(input.context, input.entry),
    defaultBranch: head.defaultBranch,
    ref: { name: pull.headRef, type: 'branch' },
    sha: pull.headSha,
    pullRequest: {
      number: pull.number,
      title: pull.title,
      state: pull.state,
      headRepo: head.repo,
      headRef: pull.headRef,
      headSha: pull.headSha,
      baseRepo: pull.baseRepo,
      baseRef: pull.baseRef,
      fromFork: pull.fromFork,
    },
    ...(configText !== undefined && { configText }),
  };
}

export interface IssueFacts {
  readonly repo: RepoRef;
  readonly visibility: Visibility;
  readonly defaultBranch: string;
  readonly sha: string;
  readonly number: number;
  readonly title: string;
  readonly author: string | undefined;
}

export function issueResult(
  input: ResolveInput,
  issue: IssueFacts,
  configText?: string | null,
): ResolvedContext {
  // A deleted account shows as GitHub's "ghost" user.
  const branch = issueBranchName(input.userName ?? issue.author ?? 'ghost', issue.number, issue.title);
  return {
    repo: issue.repo,
    visibility: issue.visibility,
    cloneUrl: hostFamilies.github.cloneUrl(issue.repo, input.entry),
    webUrl: hostFamilies.github.webUrl(input.context, input.entry),
    defaultBranch: issue.defaultBranch,
    ref: { name: branch, type: 'branch' },
    sha: issue.sha,
    issue: { number: issue.number, title: issue.title, branch },
    ...(configText !== undefined && { configText }),
  };
}
