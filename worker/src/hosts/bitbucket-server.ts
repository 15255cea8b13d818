// Bitbucket Server / Data Center's API client for the launcher (REST 1.0 at the instance's `apiBaseUrl`): which
// repository, commit, branch, file or folder, or pull request a context means. Lookups that do not depend on each
// other go out together. Bitbucket Server has no issues (Jira holds them). Never puts a token anywhere but the
// Authorization header.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { GitContext, PathTarget, RefPathSplit, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { encodePath, encodeQueryValue } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import { pagedShas } from './bitbucket-cloud.ts';
import {
  fetchBranch,
  fetchCommit,
  fetchConfig,
  fetchDefaultBranchName,
  fetchPathKind,
  fetchRepository,
  fetchTag,
  repoPath,
  serverApi,
  visibilityOf,
} from './bitbucket-server-api.ts';
import { isMissingRepository, refNotFound, repositoryError, repoWebUrl } from './bitbucket-server-errors.ts';
import type { HostCredentials, HostResolver, RepoContext, ResolveInput } from './host-resolver.ts';
import { FULL_SHA, HEX_PREFIX, parseJsonObject, pullHeadDeleted, sameRepo } from './resolver-common.ts';

type RepositoryContext = Extract<GitContext, { kind: 'repository' }>;
export type Found<T> = Result<T, LaunchError>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One answer from the API: status and body text (JSON, or a raw file from `raw/`). */
interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface ServerApi {
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  get(path: string): Promise<Found<Answer>>;
}

/** A ref as the REST API writes it (`RestBranch`, `RestTag`, a pull request's `fromRef`). */
export interface ServerRef {
  readonly id?: string;
  readonly displayId?: string;
  readonly latestCommit?: string;
}

export interface ServerRepository {
  readonly slug?: string;
  /** Anonymous read access to this repository (a public project's repositories may still say false). */
  readonly public?: boolean;
  readonly project?: {
    readonly key?: string;
    readonly type?: string;
    readonly owner?: { readonly slug?: string; readonly name?: string };
  };
}

/** What a path is at a revision, after asking `browse/<path>?at=`; `missing` paths are dropped. */
export type PathKind = 'file' | 'folder' | 'missing';
export type ConfigAnswer = Found<string | null>;

export const bitbucketServerResolver: HostResolver = {
  async resolve(input) {
    const { context } = input;
    if (context.kind === 'issue') return err(noIssues(context.repo, context.number, input.entry));
    const api = serverApi(input.entry, input.credentials, input.http);
    if (context.kind === 'pull-request') return resolvePullRequest(api, input, context);
    return resolveRepository(api, input, context);
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = serverApi(entry, credentials, http);
    const answer = await api.get(`${repoPath(repo)}/raw/${encodePath(path)}?at=${encodeQueryValue(sha)}`);
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    if (status === 200) return ok(text);
    if (status === 404 && !isMissingRepository(text)) return ok(null);
    return err(repositoryError(status, text, repo, api));
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = serverApi(entry, credentials, http);
    const answer = await api.get(
      `${repoPath(repo)}/commits?until=${encodeQueryValue(sha)}&limit=${Math.min(limit, 100)}`,
    );
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    if (status !== 200) return err(repositoryError(status, text, repo, api));
    return ok(pagedShas(text, 'id', limit));
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Repository pages: default branch, `?at=` a branch, tag, commit or bare name.

/**
 * The `at` value that names a revision exactly, so `.gitpod.yml` and the path's kind can be asked in the same
 * round trip as the revision itself; undefined for a bare name (branch, tag or commit: not known yet).
 */
function exactAt(context: RepositoryContext): string | undefined {
  const { revision } = context;
  switch (revision.type) {
    case 'default':
      return '';
    case 'commit':
      return revision.sha;
    case 'ref':
      if (revision.refType === 'branch') return `refs/heads/${revision.name}`;
      if (revision.refType === 'tag') return `refs/tags/${revision.name}`;
      return undefined;
    case 'ambiguous':
      return undefined;
  }
}

async function resolveRepository(
  api: ServerApi,
  input: ResolveInput,
  context: RepositoryContext,
): Promise<Found<ResolvedContext>> {
  const { repo, revision } = context;
  const base = repoPath(repo);
  const at = exactAt(context);
  const unknownPath = context.path?.kind === 'unknown' ? context.path.path : undefined;

  // Round trip 1: the repository, its default branch, the revision's lookups and, when `at` is exact, the config
  // and the path's kind.
  const [repository, defaultBranch, revisionAnswer, config, meta] = await Promise.all([
    fetchRepository(api, repo),
    fetchDefaultBranchName(api, base),
    settleRevision(api, base, context),
    at === undefined ? Promise.resolve(undefined) : fetchConfig(api, base, at),
    at === undefined || unknownPath === undefined
      ? Promise.resolve(undefined)
      : fetchPathKind(api, base, at, unknownPath),
  ]);
  if (!repository.ok) return repository;
  if (!defaultBranch.ok) return defaultBranch;
  if (!revisionAnswer.ok) return revisionAnswer;
  const settled = revisionAnswer.value;
  if (settled === undefined) return err(refNotFound(repo, input.entry, describeRevision(context)));

  // A bare name or an ambiguous split resolved to a candidate with its own path.
  const target: PathTarget | undefined =
    revision.type === 'ambiguous'
      ? settled.path === undefined || settled.path === ''
        ? undefined
        : { path: settled.path, kind: 'unknown' }
      : context.path;

  let configAnswer = config;
  let kind: PathKind | undefined;
  if (target !== undefined && target.kind !== 'unknown') kind = target.kind;
  else if (target !== undefined && meta?.ok === true) kind = meta.value;
  else if (target !== undefined) {
    // Round trip 2, only for a path whose kind the page did not say and the revision was not exact.
    const [asked, late] = await Promise.all([
      fetchPathKind(api, base, settled.sha, target.path),
      configAnswer === undefined ? fetchConfig(api, base, settled.sha) : Promise.resolve(configAnswer),
    ]);
    if (!asked.ok) return asked;
    kind = asked.value;
    configAnswer = late;
  }

  const resolved: Mutable<ResolvedContext> = {
    repo,
    cloneUrl: hostFamilies['bitbucket-server'].cloneUrl(repo, input.entry),
    webUrl: hostFamilies['bitbucket-server'].webUrl(input.context, input.entry),
    defaultBranch: defaultBranch.value,
    sha: settled.sha,
  };
  const visibility = visibilityOf(repository.value);
  if (visibility !== undefined) resolved.visibility = visibility;
  const ref =
    settled.ref ?? (revision.type === 'default' ? { name: defaultBranch.value, type: 'branch' } : undefined);
  if (ref !== undefined) resolved.ref = ref;
  if (target !== undefined && kind !== undefined && kind !== 'missing') {
    resolved.path = { path: target.path, kind };
    if (kind === 'file' && context.lines !== undefined) resolved.lines = context.lines;
  }
  if (configAnswer?.ok === true) resolved.configText = configAnswer.value;
  return ok(resolved);
}

interface Settled {
  readonly sha: string;
  readonly ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
  /** For ambiguous revisions: the winning candidate's path. */
  readonly path?: string;
}

/** The commit a revision names (and the ref it checks out); undefined when the host knows no such revision. */
async function settleRevision(
  api: ServerApi,
  base: string,
  context: RepositoryContext,
): Promise<Found<Settled | undefined>> {
  const { revision } = context;
  switch (revision.type) {
    case 'default': {
      // Without `until`, the commits resource starts at the default branch's tip.
      const head = await fetchCommit(api, base, undefined);
      if (!head.ok) return head;
      return ok(head.value === undefined ? undefined : { sha: head.value });
    }
    case 'commit': {
      const [commit, hint] = await Promise.all([
        fetchCommit(api, base, revision.sha),
        revision.branch === undefined
          ? Promise.resolve(ok(undefined))
          : fetchBranch(api, base, revision.branch),
      ]);
      if (!commit.ok) return commit;
      if (!hint.ok) return hint;
      if (commit.value === undefined) return ok(undefined);
      const tracking = revision.branch !== undefined && hint.value === commit.value;
      return ok(
        tracking && revision.branch !== undefined
          ? { sha: commit.value, ref: { name: revision.branch, type: 'branch' } }
          : { sha: commit.value },
      );
    }
    case 'ref':
      return settleCandidates(api, base, [{ ref: revision.name, path: '' }], revision.refType);
    case 'ambiguous':
      return settleCandidates(
        api,
        base,
        revision.candidates.filter((c) => c.ref !== ''),
        'any',
      );
  }
}

/**
 * Every candidate's branch and tag lookups (and, for the first, a commit lookup) at once: the shortest candidate
 * that is a branch wins, else the shortest that is a tag, else the first as a commit.
 */
async function settleCandidates(
  api: ServerApi,
  base: string,
  candidates: readonly RefPathSplit[],
  kinds: 'branch' | 'tag' | 'any',
): Promise<Found<Settled | undefined>> {
  const first = candidates[0];
  if (first === undefined) return ok(undefined);
  const [branches, tags, commit] = await Promise.all([
    kinds === 'tag' ? [] : Promise.all(candidates.map((c) => fetchBranch(api, base, c.ref))),
    kinds === 'branch' ? [] : Promise.all(candidates.map((c) => fetchTag(api, base, c.ref))),
    kinds === 'any' && HEX_PREFIX.test(first.ref) ? fetchCommit(api, base, first.ref) : ok(undefined),
  ]);
  for (const answer of [...branches, ...tags, commit]) if (!answer.ok) return answer;
  const heads = (answers: readonly Found<string | undefined>[]) =>
    answers.map((a) => (a.ok ? a.value : undefined));
  const branchHeads = heads(branches);
  const tagHeads = heads(tags);
  for (const [index, candidate] of candidates.entries()) {
    const sha = branchHeads[index];
    if (sha !== undefined)
      return ok({ sha, ref: { name: candidate.ref, type: 'branch' }, path: candidate.path });
  }
  for (const [index, candidate] of candidates.entries()) {
    const sha = tagHeads[index];
    if (sha !== undefined)
      return ok({ sha, ref: { name: candidate.ref, type: 'tag' }, path: candidate.path });
  }
  if (commit.ok && commit.value !== undefined) return ok({ sha: commit.value, path: first.path });
  return ok(undefined);
}

function describeRevision(context: RepositoryContext): string {
  const { revision } = context;
  switch (revision.type) {
    case 'default':
      return 'commit on its default branch';
    case 'commit':
      return `commit ${revision.sha}`;
    case 'ref':
      if (revision.refType === 'branch') return `branch '${revision.name}'`;
      if (revision.refType === 'tag') return `tag '${revision.name}'`;
      return `branch, tag or commit '${revision.name}'`;
    case 'ambiguous': {
      const last = revision.candidates[revision.candidates.length - 1];
      const text = last === undefined ? '' : last.path === '' ? last.ref : `${last.ref}/${last.path}`;
      return `branch or tag at the start of '${text}'`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pull requests: the PR with its repository and default branch, then the head branch, config and (for a fork) the
// fork's default branch.

interface ServerPullRef extends ServerRef {
  readonly repository?: ServerRepository | null;
}

interface ServerPull {
  readonly title?: string;
  readonly state?: string;
  readonly fromRef?: ServerPullRef;
  readonly toRef?: ServerPullRef;
}

async function resolvePullRequest(
  api: ServerApi,
  input: ResolveInput,
  context: Extract<RepoContext, { kind: 'pull-request' }>,
): Promise<Found<ResolvedContext>> {
  const { entry } = input;
  const baseRepo = context.repo;
  const base = repoPath(baseRepo);
  const [repository, baseDefault, pullAnswer] = await Promise.all([
    fetchRepository(api, baseRepo),
    fetchDefaultBranchName(api, base),
    api.get(`${base}/pull-requests/${context.number}`),
  ]);
  if (!repository.ok) return repository;
  if (!pullAnswer.ok) return pullAnswer;
  if (pullAnswer.value.status === 404) {
    return err(
      new LaunchError('pr-not-found', {
        title: `Pull request #${context.number} was not found`,
        detail: `${baseRepo.owner}/${baseRepo.name} on ${entry.hostname} has no pull request #${context.number}. Check the number in the link.`,
        wayOut: { label: 'See its pull requests', href: `${repoWebUrl(baseRepo, entry)}/pull-requests` },
      }),
    );
  }
  if (pullAnswer.value.status !== 200) {
    return err(repositoryError(pullAnswer.value.status, pullAnswer.value.text, baseRepo, api));
  }
  if (!baseDefault.ok) return baseDefault;
  const pull = parseJsonObject<ServerPull>(pullAnswer.value.text);
  const headRef = pull?.fromRef?.displayId ?? branchName(pull?.fromRef?.id);
  const headCommit = pull?.fromRef?.latestCommit;
  const headRepo = repoFromServer(pull?.fromRef?.repository, entry);
  const baseRef = pull?.toRef?.displayId ?? branchName(pull?.toRef?.id) ?? baseDefault.value;
  const headDeleted = () => prHeadDeleted(context.number, headRef, baseRepo, entry);
  if (
    headRepo === undefined ||
    headRef === undefined ||
    headCommit === undefined ||
    !FULL_SHA.test(headCommit)
  ) {
    return err(headDeleted());
  }
  const fromFork = !sameRepo(headRepo, baseRepo);
  const headBase = repoPath(headRepo);
  const sha = headCommit.toLowerCase();
  const [headDefault, branch, config] = await Promise.all([
    fromFork ? fetchDefaultBranchName(api, headBase) : Promise.resolve(baseDefault),
    fetchBranch(api, headBase, headRef),
    fetchConfig(api, headBase, sha),
  ]);
  if (!headDefault.ok) return headDefault.error.code === 'repo-not-found' ? err(headDeleted()) : headDefault;
  if (!branch.ok) return branch.error.code === 'repo-not-found' ? err(headDeleted()) : branch;
  if (branch.value === undefined) return err(headDeleted());

  const pullRequest: ResolvedPullRequest = {
    number: context.number,
    title: pull?.title ?? '',
    state: pull?.state === 'OPEN' ? 'open' : pull?.state === 'MERGED' ? 'merged' : 'closed',
    headRepo,
    headRef,
    headSha: sha,
    baseRepo,
    baseRef,
    fromFork,
  };
  const resolved: Mutable<ResolvedContext> = {
    repo: headRepo,
    cloneUrl: hostFamilies['bitbucket-server'].cloneUrl(headRepo, entry),
    webUrl: hostFamilies['bitbucket-server'].webUrl(context, entry),
    defaultBranch: headDefault.value,
    ref: { name: headRef, type: 'branch' },
    sha,
    pullRequest,
  };
  const visibility = visibilityOf(pull?.fromRef?.repository);
  if (visibility !== undefined) resolved.visibility = visibility;
  if (config.ok) resolved.configText = config.value;
  return ok(resolved);
}

const prHeadDeleted = (
  number: number,
  headRef: string | undefined,
  baseRepo: RepoRef,
  entry: HostEntry,
): LaunchError => pullHeadDeleted(number, headRef, baseRepo, repoWebUrl(baseRepo, entry));

/** `refs/heads/feature/x` → `feature/x`. */
export function branchName(id: string | undefined): string | undefined {
  return id?.startsWith('refs/heads/') === true ? id.slice('refs/heads/'.length) : undefined;
}

/** A ref's repository as a RepoRef: project key upper case, a personal project as `~user` (lower case). */
function repoFromServer(
  repository: ServerRepository | null | undefined,
  entry: HostEntry,
): RepoRef | undefined {
  const slug = repository?.slug;
  const project = repository?.project;
  if (slug === undefined || project === undefined) return undefined;
  const personal = project.type === 'PERSONAL' || project.key?.startsWith('~') === true;
  const user = project.owner?.slug ?? project.owner?.name ?? project.key?.replace(/^~/, '');
  const owner = personal
    ? user === undefined
      ? undefined
      : `~${user.toLowerCase()}`
    : project.key?.toUpperCase();
  if (owner === undefined || owner === '' || owner === '~') return undefined;
  return { host: entry.hostname, family: 'bitbucket-server', owner, name: slug };
}

function noIssues(repo: RepoRef, number: number, entry: HostEntry): LaunchError {
  return new LaunchError('invalid-input', {
    title: 'Bitbucket Server has no issues',
    detail: `Bitbucket Server keeps no issues of its own (they live in Jira), so there is no issue #${number} to open. Open the branch or the pull request for that work instead.`,
    wayOut: { label: `Open ${repo.owner}/${repo.name}`, href: repoWebUrl(repo, entry) },
  });
}
