// GitHub anonymously (GraphQL needs a token): at most two rounds of parallel REST requests.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RefPathSplit, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { GitHubApi, IssueJson, PullJson, RefListing, RepoJson } from './github-api.ts';
import {
  finish,
  type IssueFacts,
  issueResult,
  type PathKind,
  type PullFacts,
  pageKind,
  planOf,
  pullResult,
  type RepositoryContext,
  type Settled,
  visibilityOf,
} from './github-context.ts';
import { emptyRepository, itemNotFound, refNotFound, repoRefOf } from './github-errors.ts';
import type { ResolveInput } from './host-resolver.ts';

export async function resolveWithRest(api: GitHubApi, input: ResolveInput): Promise<ResolvedContext> {
  const context = input.context;
  if (context.kind === 'pull-request') return restPull(api, input, context.repo, context.number);
  if (context.kind === 'issue') return restIssue(api, input, context.repo, context.number);

  const asked = context.repo;
  const plan = planOf(context);
  const repoJson = api.repo(asked);
  let settled: Omit<Settled, 'repo' | 'visibility' | 'defaultBranch'>;
  let repo: RepoJson;
  switch (plan.kind) {
    case 'default': {
      const [found, sha] = await Promise.all([repoJson, api.commitSha(asked, 'HEAD')]);
      repo = api.required(found, asked);
      if (sha === undefined) throw emptyRepository(input.entry, asked);
      settled = { sha, ref: { name: repo.default_branch, type: 'branch' }, path: plan.path };
      break;
    }
    case 'commit': {
      const [found, sha, hint] = await Promise.all([
        repoJson,
        api.commitSha(asked, plan.sha),
        plan.branchHint === undefined ? undefined : api.ref(asked, `heads/${plan.branchHint}`),
      ]);
      repo = api.required(found, asked);
      if (sha === undefined) throw refNotFound(input.entry, context);
      const onBranch = plan.branchHint !== undefined && hint?.sha === sha;
      settled = {
        sha,
        path: plan.path,
        ...(onBranch &&
          plan.branchHint !== undefined && { ref: { name: plan.branchHint, type: 'branch' as const } }),
      };
      break;
    }
    case 'named': {
      const first = plan.candidates[0];
      // Every candidate starts with the shortest one, so one prefix listing per kind covers them all.
      const prefix = first?.ref ?? '';
      const [found, heads, tags, commit] = await Promise.all([
        repoJson,
        plan.branch ? api.matchingRefs(asked, `heads/${prefix}`) : undefined,
        plan.tag ? api.matchingRefs(asked, `tags/${prefix}`) : undefined,
        plan.commitish ? api.commitSha(asked, prefix) : undefined,
      ]);
      repo = api.required(found, asked);
      const winner =
        (await pick(api, asked, plan.candidates, 'heads', heads)) ??
        (await pick(api, asked, plan.candidates, 'tags', tags));
      if (winner === undefined) {
        if (commit === undefined || first === undefined) throw refNotFound(input.entry, context);
        settled = { sha: commit, path: first.path };
        break;
      }
      // An annotated tag points at a tag object: peel it in the same round as the path question.
      const [sha, pathKind] = await Promise.all([
        winner.object.type === 'tag' ? api.peelTag(asked, winner.object.sha) : winner.object.sha,
        askPathKind(
          api,
          asked,
          context,
          winner.candidate.path,
          `refs/${winner.kind}/${winner.candidate.ref}`,
        ),
      ]);
      if (sha === undefined) throw refNotFound(input.entry, context);
      return finish(input, context, {
        repo: repoRefOf(input.entry, repo.owner.login, repo.name),
        visibility: visibilityOf(repo.private),
        defaultBranch: repo.default_branch,
        sha,
        ref: { name: winner.candidate.ref, type: winner.kind === 'heads' ? 'branch' : 'tag' },
        path: winner.candidate.path,
        ...(pathKind !== undefined && { pathKind }),
      });
    }
  }
  const pathKind = await askPathKind(api, asked, context, settled.path, settled.sha);
  return finish(input, context, {
    ...settled,
    repo: repoRefOf(input.entry, repo.owner.login, repo.name),
    visibility: visibilityOf(repo.private),
    defaultBranch: repo.default_branch,
    ...(pathKind !== undefined && { pathKind }),
  });
}

interface Picked {
  readonly candidate: RefPathSplit;
  readonly kind: 'heads' | 'tags';
  readonly object: { readonly sha: string; readonly type: string };
}

/** The shortest candidate among listed refs; when the listing was cut short, asks for the others one by one. */
async function pick(
  api: GitHubApi,
  repo: RepoRef,
  candidates: readonly RefPathSplit[],
  kind: 'heads' | 'tags',
  listing: RefListing | undefined,
): Promise<Picked | undefined> {
  if (listing === undefined) return undefined;
  const known = new Map(listing.refs.map((r) => [r.ref, r.object]));
  if (listing.truncated) {
    const missing = candidates.filter((c) => !known.has(`refs/${kind}/${c.ref}`));
    const found = await Promise.all(missing.map((c) => api.ref(repo, `${kind}/${c.ref}`)));
    missing.forEach((c, i) => {
      const object = found[i];
      if (object !== undefined) known.set(`refs/${kind}/${c.ref}`, object);
    });
  }
  for (const candidate of candidates) {
    const object = known.get(`refs/${kind}/${candidate.ref}`);
    if (object !== undefined) return { candidate, kind, object };
  }
  return undefined;
}

/** Asks whether `path` is a file or a folder, only when the page did not say; undefined when not asked. */
async function askPathKind(
  api: GitHubApi,
  repo: RepoRef,
  context: RepositoryContext,
  path: string,
  at: string,
): Promise<PathKind | undefined> {
  if (path === '' || pageKind(context) !== 'unknown') return undefined;
  return api.contentKind(repo, path, at);
}

async function restPull(
  api: GitHubApi,
  input: ResolveInput,
  asked: RepoRef,
  number: number,
): Promise<ResolvedContext> {
  const pull = await api.pull(asked, number);
  if (pull === undefined) {
    // Not a pull request (or no such repository): GitHub would show the issue of that number.
    const [repo, issue, sha] = await Promise.all([
      api.repo(asked),
      api.issue(asked, number),
      api.commitSha(asked, 'HEAD'),
    ]);
    const found = api.required(repo, asked);
    if (issue === undefined || issue.pull_request !== undefined)
      throw itemNotFound(input.entry, input.context);
    if (sha === undefined) throw emptyRepository(input.entry, asked);
    return issueResult(input, restIssueFacts(input.entry, found, sha, issue));
  }
  const head = pull.head.repo;
  // The pull request outlives its head: a deleted branch still names its ref and sha, so ask for the branch.
  const branch =
    head === null
      ? undefined
      : await api.ref(repoRefOf(input.entry, head.owner.login, head.name), `heads/${pull.head.ref}`);
  return pullResult(input, restPullFacts(input.entry, pull, branch !== undefined));
}

async function restIssue(
  api: GitHubApi,
  input: ResolveInput,
  asked: RepoRef,
  number: number,
): Promise<ResolvedContext> {
  const [repo, issue, sha] = await Promise.all([
    api.repo(asked),
    api.issue(asked, number),
    api.commitSha(asked, 'HEAD'),
  ]);
  const found = api.required(repo, asked);
  if (issue === undefined) throw itemNotFound(input.entry, input.context);
  if (issue.pull_request !== undefined) return restPull(api, input, asked, number);
  if (sha === undefined) throw emptyRepository(input.entry, asked);
  return issueResult(input, restIssueFacts(input.entry, found, sha, issue));
}

function restIssueFacts(entry: HostEntry, repo: RepoJson, sha: string, issue: IssueJson): IssueFacts {
  return {
    repo: repoRefOf(entry, repo.owner.login, repo.name),
    visibility: visibilityOf(repo.private),
    defaultBranch: repo.default_branch,
    sha,
    number: issue.number,
    title: issue.title,
    author: issue.user?.login,
  };
}

function restPullFacts(entry: HostEntry, pull: PullJson, branchExists: boolean): PullFacts {
  const head = pull.head.repo;
  const base = pull.base.repo;
  const baseRepo = repoRefOf(entry, base.owner.login, base.name);
  return {
    number: pull.number,
    title: pull.title,
    state: pull.merged_at !== null ? 'merged' : pull.state === 'closed' ? 'closed' : 'open',
    baseRepo,
    baseRef: pull.base.ref,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    fromFork: head === null || head.full_name.toLowerCase() !== base.full_name.toLowerCase(),
    ...(head !== null &&
      branchExists && {
        head: {
          repo: repoRefOf(entry, head.owner.login, head.name),
          visibility: visibilityOf(head.private),
          defaultBranch: head.default_branch,
        },
      }),
  };
}
