// Bitbucket Cloud's API client for the launcher (api.bitbucket.org/2.0): which repository, commit, branch, file or
// folder, pull request or issue a context means. Any number of ref candidates is settled by ONE `refs?q=` query, so
// a branch with slashes costs no extra requests. Never puts a token anywhere but the Authorization header.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { GitContext, PathTarget, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { encodePath, encodeSegment } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import {
  type ConfigAnswer,
  cloudApi,
  fetchCommit,
  fetchConfigAt,
  fetchPathKind,
  fetchRefs,
  fetchRepository,
  repoPath,
} from './bitbucket-cloud-api.ts';
import {
  emptyRepository,
  errorMessage,
  isDirectoryListing,
  refNotFound,
  repoFromFullName,
  repositoryError,
  webBase,
} from './bitbucket-cloud-errors.ts';
import type { HostResolver, RepoContext, ResolveInput } from './host-resolver.ts';
import { HEX_PREFIX, parseJsonObject, pullHeadDeleted, sameRepo } from './resolver-common.ts';

type RepositoryContext = Extract<GitContext, { kind: 'repository' }>;
export type Found<T> = Result<T, LaunchError>;

export const HOST_LABEL = 'Bitbucket';

/** One answer from the API: status and body text (JSON, or a raw file from `src/`). */
interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface CloudApi {
  get(path: string): Promise<Found<Answer>>;
}

/** The few fields of a repository the launcher reads. */
export interface CloudRepository {
  readonly mainbranch?: { readonly name?: string } | null;
  readonly is_private?: boolean;
}

/** What the repository endpoint tells a resolution: its main branch and who may read it. */
export interface RepositoryFacts {
  readonly main: string;
  readonly visibility: ResolvedContext['visibility'];
}

export interface RefHeads {
  branch?: string;
  tag?: string;
}

/** What a path is at a commit, after asking `src/<commit>/<path>?format=meta`; `missing` paths are dropped. */
export type PathKind = 'file' | 'folder' | 'missing';

export const bitbucketCloudResolver: HostResolver = {
  async resolve(input) {
    const api = cloudApi(input.entry, input.credentials, input.http);
    const { context } = input;
    switch (context.kind) {
      case 'repository':
        return resolveRepository(api, input, context);
      case 'pull-request':
        return resolvePullRequest(api, input, context);
      case 'issue':
        return resolveIssue(api, input, context);
    }
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = cloudApi(entry, credentials, http);
    const answer = await api.get(`${repoPath(repo)}/src/${encodeSegment(sha)}/${encodePath(path)}`);
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    if (status === 200) return ok(isDirectoryListing(text) ? null : text);
    if (status === 404 && !errorMessage(text).startsWith('Repository ')) return ok(null);
    return err(repositoryError(status, text, repo, entry, credentials));
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = cloudApi(entry, credentials, http);
    const answer = await api.get(
      `${repoPath(repo)}/commits/${encodeSegment(sha)}?pagelen=${Math.min(limit, 100)}`,
    );
    if (!answer.ok) return answer;
    const { status, text } = answer.value;
    if (status !== 200) return err(repositoryError(status, text, repo, entry, credentials));
    return ok(pagedShas(text, 'hash', limit));
  },
};

/** Full shas from a paged `{values: [...]}` list of commits, at most `limit`. */
export function pagedShas(text: string, field: string, limit: number): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  const values = (body as { values?: unknown } | null)?.values;
  return (Array.isArray(values) ? values : [])
    .map((c) => (c as Record<string, unknown>)[field])
    .filter((s): s is string => typeof s === 'string' && /^[0-9a-f]{40}$/.test(s))
    .slice(0, limit);
}

// ---------------------------------------------------------------------------------------------------------------
// Repository pages: default branch, a named ref, a commit, or `src/a/b/c` candidates.

async function resolveRepository(
  api: CloudApi,
  input: ResolveInput,
  context: RepositoryContext,
): Promise<Found<ResolvedContext>> {
  const { repo, revision } = context;
  const base = repoPath(repo);
  const entry = input.entry;

  if (revision.type === 'default') {
    const repository = await fetchRepository(api, input, repo);
    if (!repository.ok) return repository;
    const { main, visibility } = repository.value;
    const [heads, config] = await Promise.all([
      fetchRefs(api, base, [main], 'branch'),
      main.includes('/') ? Promise.resolve(undefined) : fetchConfigAt(api, base, main),
    ]);
    if (!heads.ok) return heads;
    const sha = heads.value.get(main)?.branch;
    if (sha === undefined) return err(emptyRepository(repo, entry));
    return finish(
      api,
      input,
      context,
      { defaultBranch: main, visibility, sha, ref: { name: main, type: 'branch' } },
      config,
    );
  }

  if (revision.type === 'commit') {
    const [repository, commit, hint, config, meta] = await Promise.all([
      fetchRepository(api, input, repo),
      fetchCommit(api, base, revision.sha),
      revision.branch === undefined
        ? Promise.resolve(ok(new Map<string, RefHeads>()))
        : fetchRefs(api, base, [revision.branch], 'branch'),
      fetchConfigAt(api, base, revision.sha),
      context.path?.kind === 'unknown'
        ? fetchPathKind(api, base, revision.sha, context.path.path)
        : Promise.resolve(undefined),
    ]);
    if (!repository.ok) return repository;
    if (!commit.ok) return commit;
    if (!hint.ok) return hint;
    const sha = commit.value;
    if (sha === undefined) return err(refNotFound(repo, entry, `commit ${revision.sha}`));
    const hinted = revision.branch === undefined ? undefined : hint.value.get(revision.branch)?.branch;
    const settled: Settled = {
      defaultBranch: repository.value.main,
      visibility: repository.value.visibility,
      sha,
    };
    if (revision.branch !== undefined && hinted === sha)
      settled.ref = { name: revision.branch, type: 'branch' };
    return finish(api, input, context, settled, config, meta);
  }

  // A named ref, or `src/a/b/c`: every candidate in one `refs?q=` query (branches and tags, whatever the URL
  // said, so a name both kinds share is noticed), next to the repository and, for a name the commit endpoint may
  // read as a hash, the commit lookup.
  const candidates =
    revision.type === 'ref'
      ? [{ ref: revision.name, path: '' }]
      : revision.candidates.filter((c) => c.ref !== '');
  const first = candidates[0];
  if (first === undefined) return err(refNotFound(repo, entry, 'an empty ref'));
  const kinds = revision.type === 'ref' ? revision.refType : 'any';
  const asCommit = kinds === 'any' && HEX_PREFIX.test(first.ref);
  // `src/<name>/…` reads a ref by name only when it has no slash; a slashed name waits for its commit.
  const simpleName = revision.type === 'ref' && !first.ref.includes('/') ? first.ref : undefined;
  const [repository, refs, commit, config, meta] = await Promise.all([
    fetchRepository(api, input, repo),
    fetchRefs(
      api,
      base,
      candidates.map((c) => c.ref),
      'any',
    ),
    asCommit ? fetchCommit(api, base, first.ref) : Promise.resolve(ok(undefined)),
    simpleName === undefined ? Promise.resolve(undefined) : fetchConfigAt(api, base, simpleName),
    simpleName !== undefined && context.path?.kind === 'unknown'
      ? fetchPathKind(api, base, simpleName, context.path.path)
      : Promise.resolve(undefined),
  ]);
  if (!repository.ok) return repository;
  if (!refs.ok) return refs;
  if (!commit.ok) return commit;
  const { main: defaultBranch, visibility } = repository.value;
  const heads = refs.value;

  // Shortest candidate that is a branch, else the shortest that is a tag, else the first as a commit.
  const branch = kinds === 'tag' ? undefined : candidates.find((c) => heads.get(c.ref)?.branch !== undefined);
  const tag =
    branch !== undefined || kinds === 'branch'
      ? undefined
      : candidates.find((c) => heads.get(c.ref)?.tag !== undefined);
  const winner = branch ?? tag;
  let settled: Settled;
  let chosen = first;
  if (winner !== undefined) {
    const found = heads.get(winner.ref) ?? {};
    const type = branch !== undefined ? 'branch' : 'tag';
    const sha = (type === 'branch' ? found.branch : found.tag) ?? '';
    settled = { defaultBranch, visibility, sha, ref: { name: winner.ref, type } };
    chosen = winner;
  } else if (commit.value !== undefined) {
    settled = { defaultBranch, visibility, sha: commit.value };
  } else {
    const wanted = revision.type === 'ref' ? revision.name : joinCandidate(candidates[candidates.length - 1]);
    return err(refNotFound(repo, entry, describeRef(wanted, kinds)));
  }
  // `src/<name>/` answers by git's own order for a bare name; when a branch and a tag share it, trust neither.
  const unsure = branchAndTag(heads.get(first.ref));
  const ownConfig = simpleName !== undefined && chosen === first && !unsure ? config : undefined;
  const ownMeta = simpleName !== undefined && chosen === first && !unsure ? meta : undefined;
  if (revision.type === 'ambiguous') {
    const target = chosen.path === '' ? undefined : { path: chosen.path, kind: 'unknown' as const };
    return finish(api, input, withPath(context, target), settled, ownConfig, ownMeta);
  }
  return finish(api, input, context, settled, ownConfig, ownMeta);
}

const branchAndTag = (heads: RefHeads | undefined): boolean =>
  heads?.branch !== undefined && heads.tag !== undefined;

const joinCandidate = (c: { ref: string; path: string } | undefined): string =>
  c === undefined ? '' : c.path === '' ? c.ref : `${c.ref}/${c.path}`;

function describeRef(name: string, kinds: 'branch' | 'tag' | 'any'): string {
  if (kinds === 'branch') return `branch '${name}'`;
  if (kinds === 'tag') return `tag '${name}'`;
  return `branch, tag or commit '${name}'`;
}

/** The context with the path the winning candidate names, so `finish` asks what it is. */
function withPath(context: RepositoryContext, path: PathTarget | undefined): RepositoryContext {
  const { path: _ignored, ...rest } = context;
  return path === undefined ? rest : { ...rest, path };
}

interface Settled {
  readonly defaultBranch: string;
  readonly visibility: ResolvedContext['visibility'];
  readonly sha: string;
  ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
}

/**
 * Completes a repository resolution: when the path's kind is still unknown, asks the host at the commit (one more
 * round trip, which also reads `.gitpod.yml` if it was not read yet); drops a path that does not exist.
 */
async function finish(
  api: CloudApi,
  input: ResolveInput,
  context: RepositoryContext,
  settled: Settled,
  config: ConfigAnswer | undefined,
  meta?: Found<PathKind>,
): Promise<Found<ResolvedContext>> {
  const base = repoPath(context.repo);
  let configAnswer = config;
  let kind: PathKind | undefined;
  const path = context.path;
  if (path !== undefined && path.kind !== 'unknown') kind = path.kind;
  else if (path !== undefined && meta?.ok === true) kind = meta.value;
  else if (path !== undefined) {
    const [asked, late] = await Promise.all([
      fetchPathKind(api, base, settled.sha, path.path),
      configAnswer === undefined ? fetchConfigAt(api, base, settled.sha) : Promise.resolve(configAnswer),
    ]);
    if (!asked.ok) return asked;
    kind = asked.value;
    configAnswer = late;
  }

  const resolved: { -readonly [K in keyof ResolvedContext]: ResolvedContext[K] } = {
    repo: context.repo,
    cloneUrl: hostFamilies['bitbucket-cloud'].cloneUrl(context.repo, input.entry),
    webUrl: hostFamilies['bitbucket-cloud'].webUrl(input.context, input.entry),
    defaultBranch: settled.defaultBranch,
    sha: settled.sha,
  };
  if (settled.visibility !== undefined) resolved.visibility = settled.visibility;
  if (settled.ref !== undefined) resolved.ref = settled.ref;
  if (path !== undefined && kind !== undefined && kind !== 'missing') {
    resolved.path = { path: path.path, kind };
    if (kind === 'file' && context.lines !== undefined) resolved.lines = context.lines;
  }
  if (configAnswer?.ok === true) resolved.configText = configAnswer.value;
  return ok(resolved);
}

// ---------------------------------------------------------------------------------------------------------------
// Pull requests: the PR and its repository, then the head repository, branch and full commit in parallel.

interface CloudPullSide {
  readonly branch?: { readonly name?: string } | null;
  readonly commit?: { readonly hash?: string } | null;
  readonly repository?: { readonly full_name?: string } | null;
}

interface CloudPull {
  readonly title?: string;
  readonly state?: string;
  readonly source?: CloudPullSide | null;
  readonly destination?: CloudPullSide | null;
}

async function resolvePullRequest(
  api: CloudApi,
  input: ResolveInput,
  context: Extract<RepoContext, { kind: 'pull-request' }>,
): Promise<Found<ResolvedContext>> {
  const { entry } = input;
  const baseRepo = context.repo;
  const [repository, pullAnswer] = await Promise.all([
    fetchRepository(api, input, baseRepo),
    api.get(`${repoPath(baseRepo)}/pullrequests/${context.number}`),
  ]);
  if (!repository.ok) return repository;
  if (!pullAnswer.ok) return pullAnswer;
  if (pullAnswer.value.status === 404) {
    return err(
      new LaunchError('pr-not-found', {
        title: `Pull request #${context.number} was not found`,
        detail: `${baseRepo.owner}/${baseRepo.name} has no pull request #${context.number} on Bitbucket. Check the number in the link.`,
        wayOut: { label: 'See its pull requests', href: `${webBase(baseRepo, entry)}/pull-requests/` },
      }),
    );
  }
  if (pullAnswer.value.status !== 200) {
    return err(
      repositoryError(pullAnswer.value.status, pullAnswer.value.text, baseRepo, entry, input.credentials),
    );
  }
  const pull = parseJsonObject<CloudPull>(pullAnswer.value.text);
  const headFullName = pull?.source?.repository?.full_name;
  const headRef = pull?.source?.branch?.name;
  const shortHead = pull?.source?.commit?.hash;
  const baseRef = pull?.destination?.branch?.name ?? repository.value.main;
  const title = pull?.title ?? '';
  const headDeleted = () => prHeadDeleted(context.number, headRef, baseRepo, entry);
  const headRepo = repoFromFullName(headFullName, entry);
  if (
    headRepo === undefined ||
    headRef === undefined ||
    shortHead === undefined ||
    !HEX_PREFIX.test(shortHead)
  ) {
    return err(headDeleted());
  }
  const fromFork = !sameRepo(headRepo, baseRepo);
  const headBase = repoPath(headRepo);
  // The API gives the head commit as a 12-digit hash; the commit endpoint expands it, the branch lookup says the
  // head branch still exists, and `.gitpod.yml` comes along in the same round trip.
  const [headRepository, commit, branch, config] = await Promise.all([
    fromFork ? fetchRepository(api, input, headRepo) : Promise.resolve(ok(repository.value)),
    fetchCommit(api, headBase, shortHead),
    fetchRefs(api, headBase, [headRef], 'branch'),
    fetchConfigAt(api, headBase, shortHead),
  ]);
  if (!headRepository.ok) {
    return headRepository.error.code === 'repo-not-found' ? err(headDeleted()) : headRepository;
  }
  if (!commit.ok) return commit;
  if (!branch.ok) return branch;
  const branchHead = branch.value.get(headRef)?.branch;
  const sha = commit.value ?? (branchHead?.startsWith(shortHead.toLowerCase()) ? branchHead : undefined);
  if (branchHead === undefined || sha === undefined) return err(headDeleted());

  const pullRequest: ResolvedPullRequest = {
    number: context.number,
    title,
    state: pullState(pull?.state),
    headRepo,
    headRef,
    headSha: sha,
    baseRepo,
    baseRef,
    fromFork,
  };
  const resolved: { -readonly [K in keyof ResolvedContext]: ResolvedContext[K] } = {
    repo: headRepo,
    cloneUrl: hostFamilies['bitbucket-cloud'].cloneUrl(headRepo, entry),
    webUrl: hostFamilies['bitbucket-cloud'].webUrl(context, entry),
    defaultBranch: headRepository.value.main,
    ref: { name: headRef, type: 'branch' },
    sha,
    pullRequest,
  };
  if (headRepository.value.visibility !== undefined) resolved.visibility = headRepository.value.visibility;
  if (config.ok) resolved.configText = config.value;
  return ok(resolved);
}

function pullState(state: string | undefined): ResolvedPullRequest['state'] {
  if (state === 'OPEN') return 'open';
  if (state === 'MERGED') return 'merged';
  return 'closed'; // DECLINED, SUPERSEDED
}

const prHeadDeleted = (
  number: number,
  headRef: string | undefined,
  baseRepo: RepoRef,
  entry: HostEntry,
): LaunchError => pullHeadDeleted(number, headRef, baseRepo, webBase(baseRepo, entry));

// ---------------------------------------------------------------------------------------------------------------
// Issues: the issue and its repository, then the main branch head; the workspace starts a new branch there.

interface CloudIssue {
  readonly title?: string;
  readonly reporter?: { readonly nickname?: string; readonly display_name?: string } | null;
}

async function resolveIssue(
  api: CloudApi,
  input: ResolveInput,
  context: Extract<RepoContext, { kind: 'issue' }>,
): Promise<Found<ResolvedContext>> {
  const { entry } = input;
  const repo = context.repo;
  const base = repoPath(repo);
  const [repository, issueAnswer] = await Promise.all([
    fetchRepository(api, input, repo),
    api.get(`${base}/issues/${context.number}`),
  ]);
  if (!repository.ok) return repository;
  if (!issueAnswer.ok) return issueAnswer;
  if (issueAnswer.value.status === 404) {
    const noTracker = /issue tracker/i.test(errorMessage(issueAnswer.value.text));
    return err(
      new LaunchError('issue-not-found', {
        title: `Issue #${context.number} was not found`,
        detail: noTracker
          ? `${repo.owner}/${repo.name} has no issue tracker on Bitbucket. Open a branch or a pull request instead.`
          : `${repo.owner}/${repo.name} has no issue #${context.number} on Bitbucket. Check the number in the link.`,
        wayOut: { label: `Open ${repo.owner}/${repo.name}`, href: webBase(repo, entry) },
      }),
    );
  }
  if (issueAnswer.value.status !== 200) {
    return err(
      repositoryError(issueAnswer.value.status, issueAnswer.value.text, repo, entry, input.credentials),
    );
  }
  const issue = parseJsonObject<CloudIssue>(issueAnswer.value.text);
  const title = issue?.title ?? '';
  const { main, visibility } = repository.value;
  const [heads, config] = await Promise.all([
    fetchRefs(api, base, [main], 'branch'),
    main.includes('/') ? Promise.resolve(undefined) : fetchConfigAt(api, base, main),
  ]);
  if (!heads.ok) return heads;
  const sha = heads.value.get(main)?.branch;
  if (sha === undefined) return err(emptyRepository(repo, entry));
  const author = issue?.reporter?.nickname ?? issue?.reporter?.display_name ?? repo.owner;
  const branch = issueBranchName(input.userName ?? author, context.number, title);
  const resolved: { -readonly [K in keyof ResolvedContext]: ResolvedContext[K] } = {
    repo,
    cloneUrl: hostFamilies['bitbucket-cloud'].cloneUrl(repo, entry),
    webUrl: hostFamilies['bitbucket-cloud'].webUrl(context, entry),
    defaultBranch: main,
    ref: { name: branch, type: 'branch' },
    sha,
    issue: { number: context.number, title, branch },
  };
  if (visibility !== undefined) resolved.visibility = visibility;
  if (config?.ok === true) resolved.configText = config.value;
  return ok(resolved);
}
