// GitLab's REST API v4 (gitlab.com and self-managed instances, under a base path too): a parsed GitLab context → the
// exact project, commit, branch, merge request or issue, in at most two sequential round trips. Never sends the token
// anywhere but the Authorization header, and never puts it in an error.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { GitContext, PathTarget, RefPathSplit, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { encodePath } from '../../../shared/url-encoding.ts';
import { LaunchError } from '../errors.ts';
import { hostFetch } from './host-http.ts';
import type {
  HostCredentials,
  HostResolver,
  HttpTuning,
  RepoContext,
  ResolveInput,
} from './host-resolver.ts';
import { CONFIG_FILE, repoNotFoundError } from './resolver-common.ts';

export const gitlabResolver: HostResolver = {
  async resolve(input) {
    const api = gitlabApi(input.entry, input.credentials, input.http);
    const readings = [input.context, ...input.alternatives.filter(isRepoContext)];
    // Every reading's first round trip starts now, side by side: a legacy route's deeper project costs no extra trip.
    const results = await Promise.all(readings.map((context) => resolveContext(api, context, input)));
    const primary = results[0] ?? never();
    if (primary.ok || primary.error.code !== 'repo-not-found') return primary;
    // The primary reading's project does not exist: the first other reading that does wins.
    return results.find((r) => r.ok || r.error.code !== 'repo-not-found') ?? primary;
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = gitlabApi(entry, credentials, http);
    const reply = await api.get(rawFilePath(projectPath(repo), path.replace(/^\/+/, '')), { ref: sha });
    if (!reply.ok) return reply;
    const { status, text } = reply.value;
    if (status === 200) return ok(text);
    if (status === 404) {
      const message = errorMessage(text);
      if (message === '404 File Not Found') return ok(null);
      if (message === '404 Project Not Found') return err(repoNotFound(api, repo));
      if (message === '404 Commit Not Found') return err(refNotFound(api, repo, sha));
    }
    return err(api.failure(reply.value, `${fullPath(repo)}/${path}`));
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = gitlabApi(entry, credentials, http);
    const reply = await api.get(`${projectPath(repo)}/repository/commits`, {
      ref_name: sha,
      per_page: String(Math.min(limit, 100)),
    });
    if (!reply.ok) return reply;
    if (reply.value.status === 404) return err(repoNotFound(api, repo));
    if (reply.value.status !== 200) return err(api.failure(reply.value, `${fullPath(repo)} history`));
    return ok(commitShas(reply.value.text, 'id', limit));
  },
};

// ---------------------------------------------------------------------------------------------------------------
// One reading of the URL

function resolveContext(
  api: GitLabApi,
  context: RepoContext,
  input: ResolveInput,
): Promise<Result<ResolvedContext, LaunchError>> {
  switch (context.kind) {
    case 'repository':
      return resolveRepository(api, context);
    case 'pull-request':
      return resolveMergeRequest(api, context);
    case 'issue':
      return resolveIssue(api, context, input.userName);
  }
}

type RepositoryContext = Extract<RepoContext, { kind: 'repository' }>;

interface Lookups {
  /** Exact branch and tag names to look up one by one. */
  readonly branches: readonly string[];
  readonly tags: readonly string[];
  /** Prefix to list branches and tags by (`^feature` finds `feature/x/y`), for ambiguous refs. */
  readonly listPrefix?: string;
  /** The ref text GitLab resolves the way it resolves `ref=` for files: `HEAD`, a name, a sha. */
  readonly probe: string;
}

function lookupsFor(revision: RepositoryContext['revision']): Lookups {
  switch (revision.type) {
    case 'default':
      return { branches: [], tags: [], probe: 'HEAD' };
    case 'ref':
      return {
        branches: revision.refType === 'tag' ? [] : [revision.name],
        tags: revision.refType === 'branch' ? [] : [revision.name],
        probe: revision.name,
      };
    case 'commit':
      return {
        branches: revision.branch === undefined ? [] : [revision.branch],
        tags: [],
        probe: revision.sha,
      };
    case 'ambiguous': {
      const refs = revision.candidates.map((c) => c.ref);
      const first = refs[0] ?? '';
      // GitLab's search turns a leading `^` into an anchor but also the first `$`: such names are looked up one by one.
      return first.includes('$')
        ? { branches: refs, tags: refs, probe: first }
        : { branches: [], tags: [], listPrefix: first, probe: first };
    }
  }
}

async function resolveRepository(
  api: GitLabApi,
  context: RepositoryContext,
): Promise<Result<ResolvedContext, LaunchError>> {
  const { repo, revision } = context;
  const project = projectPath(repo);
  const lookups = lookupsFor(revision);
  const unknownPath = unknownPathOf(context);
  // Round trip 1: the project, every ref reading, the commit the probe ref names, `.gitpod.yml` and the path's kind
  // at that ref. Whether the probes count is decided once the commit is known.
  const [projectReply, branchReplies, tagReplies, branchList, tagList, commitReply, configReply, pathProbe] =
    await Promise.all([
      api.get(project),
      Promise.all(
        lookups.branches.map((name) => api.get(`${project}/repository/branches/${encodeId(name)}`)),
      ),
      Promise.all(lookups.tags.map((name) => api.get(`${project}/repository/tags/${encodeId(name)}`))),
      lookups.listPrefix === undefined ? undefined : listRefs(api, project, 'branches', lookups.listPrefix),
      lookups.listPrefix === undefined ? undefined : listRefs(api, project, 'tags', lookups.listPrefix),
      api.get(`${project}/repository/commits/${encodeId(lookups.probe)}`),
      api.get(rawFilePath(project, CONFIG_FILE), { ref: lookups.probe }),
      unknownPath === undefined ? undefined : probePath(api, project, unknownPath, lookups.probe),
    ]);
  const found = readProject(api, projectReply, repo);
  if (!found.ok) return found;
  const defaultBranch = found.value.defaultBranch;
  if (defaultBranch === undefined) return err(emptyProject(api, repo));
  const commit = commitOf(api, commitReply, repo);
  if (!commit.ok) return commit;

  const picked = await pickRevision(api, context, {
    branchReplies,
    tagReplies,
    branchList,
    tagList,
    commit: commit.value,
    defaultBranch,
  });
  if (!picked.ok) return picked;
  const { sha, ref } = picked.value;
  const path = picked.value.path;

  // The probes read the tree GitLab resolved `probe` to; they speak for `sha` only when that is the same commit.
  const probesHold = commit.value === sha;
  let configText = readConfig(configReply, sha, probesHold);
  let known: ResolvedContext['path'] =
    path === undefined || path.kind === 'unknown' ? undefined : { path: path.path, kind: path.kind };
  if (path?.kind === 'unknown') {
    let kind: 'file' | 'folder' | undefined;
    if (pathProbe !== undefined && probesHold && path.path === unknownPath) {
      if (!pathProbe.ok) return pathProbe;
      kind = pathProbe.value;
    } else {
      // Round trip 2, only for a path whose kind the page does not tell: ask at the commit itself.
      const [probe, config] = await Promise.all([
        probePath(api, project, path.path, sha),
        configText === undefined ? api.get(rawFilePath(project, CONFIG_FILE), { ref: sha }) : undefined,
      ]);
      if (!probe.ok) return probe;
      kind = probe.value;
      if (config !== undefined) configText = readConfig(config, sha, true);
    }
    // A path that does not exist at this commit is dropped: the workspace still opens, at the project root.
    known = kind === undefined ? undefined : { path: path.path, kind };
  }

  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: found.value.repo,
      visibility: found.value.visibility,
      cloneUrl: family.cloneUrl(found.value.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch,
      ref,
      sha,
      path: known,
      lines: known?.kind === 'file' ? context.lines : undefined,
      configText,
    }),
  );
}

/**
 * The path whose kind the page does not tell (`/-/commits/<ref>/<path>`), to ask about in the first round trip: for
 * an ambiguous ref, the first candidate's, which counts only if that candidate wins.
 */
function unknownPathOf(context: RepositoryContext): string | undefined {
  const { revision, page } = context;
  if (revision.type !== 'ambiguous') return context.path?.kind === 'unknown' ? context.path.path : undefined;
  const first = revision.candidates[0];
  return page !== 'tree' && page !== 'blob' && first !== undefined && first.path !== ''
    ? first.path
    : undefined;
}

interface Readings {
  readonly branchReplies: readonly Reply[];
  readonly tagReplies: readonly Reply[];
  readonly branchList: Result<RefList, LaunchError> | undefined;
  readonly tagList: Result<RefList, LaunchError> | undefined;
  /** The commit the probe ref resolved to, undefined when GitLab found none. */
  readonly commit: string | undefined;
  readonly defaultBranch: string;
}

interface Picked {
  readonly sha: string;
  readonly ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
  readonly path?: PathTarget;
}

/** The revision rules: a branch, then a tag (peeled), then a commit-ish; for ambiguous refs the shortest wins. */
async function pickRevision(
  api: GitLabApi,
  context: RepositoryContext,
  readings: Readings,
): Promise<Result<Picked, LaunchError>> {
  const { repo, revision } = context;
  const branches = refShas(api, readings.branchReplies, repo);
  if (!branches.ok) return branches;
  const tags = refShas(api, readings.tagReplies, repo);
  if (!tags.ok) return tags;
  const path = context.path;
  switch (revision.type) {
    case 'default':
      return readings.commit === undefined
        ? err(emptyProject(api, repo))
        : ok(withPath({ sha: readings.commit, ref: { name: readings.defaultBranch, type: 'branch' } }, path));
    case 'ref': {
      const branch = revision.refType === 'tag' ? undefined : branches.value[0];
      if (branch !== undefined)
        return ok(withPath({ sha: branch, ref: { name: revision.name, type: 'branch' } }, path));
      const tag = revision.refType === 'branch' ? undefined : tags.value[0];
      if (tag !== undefined)
        return ok(withPath({ sha: tag, ref: { name: revision.name, type: 'tag' } }, path));
      if (revision.refType === 'any' && readings.commit !== undefined) {
        return ok(withPath({ sha: readings.commit }, path));
      }
      return err(refNotFound(api, repo, revision.name, revision.refType));
    }
    case 'commit': {
      if (readings.commit === undefined) return err(refNotFound(api, repo, revision.sha));
      const hinted = branches.value[0];
      return ok(
        withPath(
          hinted !== undefined && hinted === readings.commit && revision.branch !== undefined
            ? { sha: readings.commit, ref: { name: revision.branch, type: 'branch' } }
            : { sha: readings.commit },
          path,
        ),
      );
    }
    case 'ambiguous': {
      const candidates = revision.candidates;
      const byName = await ambiguousRefs(api, context, readings, branches.value, tags.value);
      if (!byName.ok) return byName;
      const pageKind = context.page === 'tree' ? 'folder' : context.page === 'blob' ? 'file' : 'unknown';
      const at = (candidate: RefPathSplit, picked: Picked): Picked =>
        withPath(picked, candidate.path === '' ? undefined : { path: candidate.path, kind: pageKind });
      for (const candidate of candidates) {
        const sha = byName.value.branches.get(candidate.ref);
        if (sha !== undefined)
          return ok(at(candidate, { sha, ref: { name: candidate.ref, type: 'branch' } }));
      }
      for (const candidate of candidates) {
        const sha = byName.value.tags.get(candidate.ref);
        if (sha !== undefined) return ok(at(candidate, { sha, ref: { name: candidate.ref, type: 'tag' } }));
      }
      const first = candidates[0];
      if (first !== undefined && readings.commit !== undefined)
        return ok(at(first, { sha: readings.commit }));
      const text = first === undefined ? '' : first.path === '' ? first.ref : `${first.ref}/${first.path}`;
      return err(refNotFound(api, repo, text, 'prefix'));
    }
  }
}

/**
 * Branch and tag heads among the candidates, by name. From the prefix lists when they hold every match; a list cut
 * by pagination (over 100 names start with the prefix) costs a second round trip of exact lookups.
 */
async function ambiguousRefs(
  api: GitLabApi,
  context: RepositoryContext,
  readings: Readings,
  exactBranches: readonly (string | undefined)[],
  exactTags: readonly (string | undefined)[],
): Promise<Result<{ branches: Map<string, string>; tags: Map<string, string> }, LaunchError>> {
  const revision = context.revision;
  if (revision.type !== 'ambiguous') return never();
  const names = revision.candidates.map((c) => c.ref);
  const project = projectPath(context.repo);
  const fromExact = (shas: readonly (string | undefined)[]) => {
    const heads = new Map<string, string>();
    names.forEach((name, i) => {
      const sha = shas[i];
      if (sha !== undefined) heads.set(name, sha);
    });
    return heads;
  };
  const settle = async (
    list: Result<RefList, LaunchError> | undefined,
    exact: readonly (string | undefined)[],
    kind: 'branches' | 'tags',
  ): Promise<Result<Map<string, string>, LaunchError>> => {
    if (list === undefined) return ok(fromExact(exact));
    if (!list.ok) return list;
    if (!list.value.truncated) return ok(list.value.heads);
    const replies = await Promise.all(
      names.map((name) => api.get(`${project}/repository/${kind}/${encodeId(name)}`)),
    );
    const shas = refShas(api, replies, context.repo);
    return shas.ok ? ok(fromExact(shas.value)) : shas;
  };
  const [branches, tags] = await Promise.all([
    settle(readings.branchList, exactBranches, 'branches'),
    settle(readings.tagList, exactTags, 'tags'),
  ]);
  if (!branches.ok) return branches;
  if (!tags.ok) return tags;
  return ok({ branches: branches.value, tags: tags.value });
}

async function resolveMergeRequest(
  api: GitLabApi,
  context: Extract<RepoContext, { kind: 'pull-request' }>,
): Promise<Result<ResolvedContext, LaunchError>> {
  const project = projectPath(context.repo);
  const [projectReply, mrReply] = await Promise.all([
    api.get(project),
    api.get(`${project}/merge_requests/${context.number}`),
  ]);
  const target = readProject(api, projectReply, context.repo);
  if (!target.ok) return target;
  if (!mrReply.ok) return mrReply;
  if (mrReply.value.status === 404) return err(mergeRequestNotFound(api, context.repo, context.number));
  if (mrReply.value.status !== 200) return err(api.failure(mrReply.value, fullPath(context.repo)));
  const mr = readMergeRequest(parseJson(mrReply.value.text));
  if (mr === undefined) return err(unreadable(api, `merge request !${context.number}`));
  const baseRepo = target.value.repo;
  if (mr.sourceProjectId === undefined)
    return err(headDeleted(api, baseRepo, context.number, mr.sourceBranch));

  // Round trip 2: the source project (a fork's, when it differs), whether its branch still exists, and the config.
  const fromFork = mr.sourceProjectId !== target.value.id;
  const source = `/projects/${mr.sourceProjectId}`;
  const [sourceReply, branchReply, configReply] = await Promise.all([
    fromFork ? api.get(source) : undefined,
    api.get(`${source}/repository/branches/${encodeId(mr.sourceBranch)}`),
    mr.headSha === undefined ? undefined : api.get(rawFilePath(source, CONFIG_FILE), { ref: mr.headSha }),
  ]);
  let head = target.value;
  if (sourceReply !== undefined) {
    if (!sourceReply.ok) return sourceReply;
    if (sourceReply.value.status === 404)
      return err(headDeleted(api, baseRepo, context.number, mr.sourceBranch));
    const fork = readProject(api, sourceReply, baseRepo);
    if (!fork.ok) return fork;
    head = fork.value;
  }
  const branch = refShas(api, [branchReply], head.repo);
  if (!branch.ok) return branch;
  const branchSha = branch.value[0];
  if (branchSha === undefined) return err(headDeleted(api, baseRepo, context.number, mr.sourceBranch));
  const sha = mr.headSha ?? branchSha;
  const defaultBranch = head.defaultBranch;
  if (defaultBranch === undefined) return err(emptyProject(api, head.repo));

  const pullRequest: ResolvedPullRequest = {
    number: context.number,
    title: mr.title,
    state: mr.state,
    headRepo: head.repo,
    headRef: mr.sourceBranch,
    headSha: sha,
    baseRepo,
    baseRef: mr.targetBranch,
    fromFork,
  };
  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: head.repo,
      visibility: head.visibility,
      cloneUrl: family.cloneUrl(head.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch,
      ref: { name: mr.sourceBranch, type: 'branch' },
      sha,
      pullRequest,
      configText: configReply === undefined ? undefined : readConfig(configReply, sha, true),
    }),
  );
}

async function resolveIssue(
  api: GitLabApi,
  context: Extract<RepoContext, { kind: 'issue' }>,
  userName: string | undefined,
): Promise<Result<ResolvedContext, LaunchError>> {
  const project = projectPath(context.repo);
  const [projectReply, issueReply, headReply, configReply] = await Promise.all([
    api.get(project),
    api.get(`${project}/issues/${context.number}`),
    api.get(`${project}/repository/commits/HEAD`),
    api.get(rawFilePath(project, CONFIG_FILE), { ref: 'HEAD' }),
  ]);
  const found = readProject(api, projectReply, context.repo);
  if (!found.ok) return found;
  if (!issueReply.ok) return issueReply;
  if (issueReply.value.status === 404) return err(issueNotFound(api, context.repo, context.number));
  if (issueReply.value.status !== 200) return err(api.failure(issueReply.value, fullPath(context.repo)));
  const issue = parseJson(issueReply.value.text);
  const title = field(issue, 'title');
  if (typeof title !== 'string') return err(unreadable(api, `issue #${context.number}`));
  const author = field(field(issue, 'author'), 'username');
  const head = commitOf(api, headReply, context.repo);
  if (!head.ok) return head;
  const defaultBranch = found.value.defaultBranch;
  if (head.value === undefined || defaultBranch === undefined) return err(emptyProject(api, context.repo));
  const branch = issueBranchName(
    userName ?? (typeof author === 'string' ? author : ''),
    context.number,
    title,
  );
  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: found.value.repo,
      visibility: found.value.visibility,
      cloneUrl: family.cloneUrl(found.value.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch,
      ref: { name: branch, type: 'branch' },
      sha: head.value,
      issue: { number: context.number, title, branch },
      configText: readConfig(configReply, head.value, true),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The API client: every request through hostFetch, the token only in the Authorization header.

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

type Reply = Result<Answer, LaunchError>;

interface GitLabApi {
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  /** "GitLab", or "GitLab at code.example.org" for a self-managed instance. */
  readonly label: string;
  /** `https://code.example.org/gitlab`: where the instance's pages live. */
  readonly site: string;
  get(path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  head(path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  /** An answer none of the callers expects (400, 401, 403, 409…), as an error a person can act on. */
  failure(answer: Answer, what: string): LaunchError;
}

function gitlabApi(entry: HostEntry, credentials: HostCredentials, http: HttpTuning | undefined): GitLabApi {
  const label = entry.builtin ? 'GitLab' : `GitLab at ${entry.hostname}`;
  const site = `${entry.origin}${entry.basePath}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials.token !== undefined && credentials.token !== '') {
    headers.authorization = `Bearer ${credentials.token}`;
  }
  const request = async (
    method: 'GET' | 'HEAD',
    path: string,
    query: Readonly<Record<string, string>> = {},
  ): Promise<Reply> => {
    const search = new URLSearchParams(query).toString();
    const url = `${entry.apiBaseUrl}${path}${search === '' ? '' : `?${search}`}`;
    const reply = await hostFetch(
      url,
      { method, headers },
      { hostLabel: label, hostWebUrl: site, backoffMs: http?.backoffMs, now: http?.now },
    );
    if (!reply.ok) return reply;
    try {
      const text = method === 'HEAD' ? '' : await reply.value.text();
      return ok({ status: reply.value.status, headers: reply.value.headers, text });
    } catch {
      return err(unavailable(label, site, 'the answer broke off'));
    }
  };
  const api: GitLabApi = {
    entry,
    credentials,
    label,
    site,
    get: (path, query) => request('GET', path, query),
    head: (path, query) => request('HEAD', path, query),
    failure(answer, what) {
      if (answer.status === 401) {
        return new LaunchError('private-repo', {
          title: `${label} did not accept the sign-in`,
          detail:
            credentials.kind === 'user'
              ? `${label} refused your sign-in token while opening ${what}; it may have expired or been revoked. Sign in with ${label} again.`
              : `${label} refused the launcher's access token while opening ${what}. Ask the launcher's operator to renew it.`,
          wayOut: { label: `Open ${label}`, href: site },
          facts: { tokenRejected: true },
        });
      }
      if (answer.status === 403) {
        return new LaunchError('private-repo', {
          title: 'No access to this project',
          detail: `${label} does not let ${credentials.kind === 'user' ? 'your account' : 'the launcher'} read ${what}. Ask a maintainer for at least Reporter access, or open a project you can read.`,
          wayOut: { label: `Open ${label}`, href: site },
        });
      }
      return unavailable(label, site, `HTTP ${answer.status} for ${what}`);
    },
  };
  return api;
}

/** Project ids are the URL-encoded full path: `group%2Fsub%2Fproject`. */
const projectPath = (repo: RepoRef): string => `/projects/${encodeId(fullPath(repo))}`;
const fullPath = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;
/** Branch names, refs and file paths are one URL segment each: `feature/x` → `feature%2Fx`. */
const encodeId = (text: string): string => encodeURIComponent(text).replaceAll('.', '%2E');
const rawFilePath = (project: string, path: string): string =>
  `${project}/repository/files/${encodeId(path)}/raw`;

function resolved(parts: { [K in keyof ResolvedContext]: ResolvedContext[K] | undefined }): ResolvedContext {
  // Only the fields that are set: `toStrictEqual` and JSON both see what the resolver knows, nothing more.
  return Object.fromEntries(
    Object.entries(parts).filter(([, v]) => v !== undefined),
  ) as unknown as ResolvedContext;
}

function withPath(picked: Picked, path: PathTarget | undefined): Picked {
  return path === undefined ? picked : { ...picked, path };
}

interface Project {
  readonly id: number;
  readonly repo: RepoRef;
  /** GitLab's `internal` (any signed-in user) counts as private: git needs an account. */
  readonly visibility: ResolvedContext['visibility'];
  readonly defaultBranch: string | undefined;
}

function readProject(api: GitLabApi, reply: Reply, asked: RepoRef): Result<Project, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return err(repoNotFound(api, asked));
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(asked)));
  const body = parseJson(reply.value.text);
  const id = field(body, 'id');
  const path = field(body, 'path_with_namespace');
  const defaultBranch = field(body, 'default_branch');
  const visibility = field(body, 'visibility');
  if (typeof id !== 'number' || typeof path !== 'string' || !path.includes('/')) {
    return err(unreadable(api, fullPath(asked)));
  }
  const slash = path.lastIndexOf('/');
  return ok({
    id,
    repo: {
      host: api.entry.hostname,
      family: 'gitlab',
      owner: path.slice(0, slash),
      name: path.slice(slash + 1),
    },
    visibility:
      visibility === 'public'
        ? 'public'
        : visibility === 'private' || visibility === 'internal'
          ? 'private'
          : undefined,
    defaultBranch: typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined,
  });
}

/** The full sha a `commits/:ref` answer names; undefined when GitLab has no such commit. */
function commitOf(api: GitLabApi, reply: Reply, repo: RepoRef): Result<string | undefined, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(repo)));
  const id = field(parseJson(reply.value.text), 'id');
  return typeof id === 'string' && FULL_SHA.test(id) ? ok(id) : err(unreadable(api, fullPath(repo)));
}

/** The commit each branch or tag answer points at (tags peeled: `commit.id`, not `target`), undefined for 404. */
function refShas(
  api: GitLabApi,
  replies: readonly Reply[],
  repo: RepoRef,
): Result<(string | undefined)[], LaunchError> {
  const shas: (string | undefined)[] = [];
  for (const reply of replies) {
    if (!reply.ok) return reply;
    if (reply.value.status === 404) {
      shas.push(undefined);
      continue;
    }
    if (reply.value.status !== 200) return err(api.failure(reply.value, fullPath(repo)));
    const sha = headOf(parseJson(reply.value.text));
    if (sha === undefined) return err(unreadable(api, fullPath(repo)));
    shas.push(sha);
  }
  return ok(shas);
}

const headOf = (ref: unknown): string | undefined => {
  const id = field(field(ref, 'commit'), 'id');
  return typeof id === 'string' && FULL_SHA.test(id) ? id : undefined;
};

interface RefList {
  /** Exact name → commit, for every listed ref. */
  readonly heads: Map<string, string>;
  /** More refs match than one page holds. */
  readonly truncated: boolean;
}

/** Branches or tags whose names start with `prefix` (GitLab's `search=^prefix`, case-insensitive), one page. */
async function listRefs(
  api: GitLabApi,
  project: string,
  kind: 'branches' | 'tags',
  prefix: string,
): Promise<Result<RefList, LaunchError>> {
  const order: Record<string, string> = kind === 'tags' ? { order_by: 'name', sort: 'asc' } : {};
  const reply = await api.get(`${project}/repository/${kind}`, {
    search: `^${prefix}`,
    per_page: '100',
    ...order,
  });
  if (!reply.ok) return reply;
  if (reply.value.status !== 200) return err(api.failure(reply.value, project));
  const list = parseJson(reply.value.text);
  if (!Array.isArray(list)) return err(unreadable(api, `the ${kind} list`));
  const heads = new Map<string, string>();
  for (const item of list) {
    const name = field(item, 'name');
    const sha = headOf(item);
    if (typeof name === 'string' && sha !== undefined) heads.set(name, sha);
  }
  const next = reply.value.headers.get('x-next-page');
  return ok({ heads, truncated: next !== null && next !== '' });
}

/** Whether `path` is a file or a folder at `ref`, or absent: the files metadata (HEAD) and a one-entry tree. */
async function probePath(
  api: GitLabApi,
  project: string,
  path: string,
  ref: string,
): Promise<Result<'file' | 'folder' | undefined, LaunchError>> {
  const [file, tree] = await Promise.all([
    api.head(`${project}/repository/files/${encodeId(path)}`, { ref }),
    api.get(`${project}/repository/tree`, { path, ref, per_page: '1' }),
  ]);
  if (!file.ok) return file;
  if (!tree.ok) return tree;
  if (file.value.status === 200) return ok('file');
  const entries = tree.value.status === 200 ? parseJson(tree.value.text) : undefined;
  return ok(Array.isArray(entries) && entries.length > 0 ? 'folder' : undefined);
}

/**
 * `.gitpod.yml` from a raw-file answer, when it is known to be the file at `sha`: GitLab names the commit it read in
 * `X-Gitlab-Commit-Id`; a 404 says nothing about which commit, so it counts only when `probeIsSha`.
 */
function readConfig(reply: Reply | undefined, sha: string, probeIsSha: boolean): string | null | undefined {
  if (reply === undefined || !reply.ok) return undefined;
  const { status, headers, text } = reply.value;
  if (status === 200) return probeIsSha || headers.get('x-gitlab-commit-id') === sha ? text : undefined;
  if (status === 404 && probeIsSha && errorMessage(text) === '404 File Not Found') return null;
  return undefined;
}

interface MergeRequest {
  readonly title: string;
  readonly state: ResolvedPullRequest['state'];
  /** Undefined when the source project is gone. */
  readonly sourceProjectId: number | undefined;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly headSha: string | undefined;
}

function readMergeRequest(body: unknown): MergeRequest | undefined {
  const title = field(body, 'title');
  const state = field(body, 'state');
  const source = field(body, 'source_project_id');
  const sourceBranch = field(body, 'source_branch');
  const targetBranch = field(body, 'target_branch');
  if (typeof title !== 'string' || typeof sourceBranch !== 'string' || typeof targetBranch !== 'string') {
    return undefined;
  }
  const head = field(field(body, 'diff_refs'), 'head_sha') ?? field(body, 'sha');
  return {
    title,
    // `locked` is the moment a merge is in progress: still open.
    state: state === 'merged' ? 'merged' : state === 'closed' ? 'closed' : 'open',
    sourceProjectId: typeof source === 'number' ? source : undefined,
    sourceBranch,
    targetBranch,
    headSha: typeof head === 'string' && FULL_SHA.test(head) ? head : undefined,
  };
}

const FULL_SHA = /^[0-9a-f]{40}$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** GitLab's error bodies: `{"message":"404 Project Not Found"}`. */
function errorMessage(text: string): string | undefined {
  const message = field(parseJson(text), 'message');
  return typeof message === 'string' ? message : undefined;
}

function isRepoContext(context: GitContext): context is RepoContext {
  return context.kind !== 'snapshot';
}

function never(): never {
  throw new Error('unreachable');
}

// ---------------------------------------------------------------------------------------------------------------
// Errors a person can act on

const pageOf = (api: GitLabApi, repo: RepoRef, suffix = ''): string =>
  `${api.site}/${encodePath(fullPath(repo))}${suffix}`;

function repoNotFound(api: GitLabApi, repo: RepoRef): LaunchError {
  return repoNotFoundError({
    where: pageOf(api, repo),
    label: api.label,
    site: api.site,
    signedIn: api.credentials.kind === 'user',
    noun: 'Project',
  });
}

function refNotFound(
  api: GitLabApi,
  repo: RepoRef,
  name: string,
  kind: 'branch' | 'tag' | 'any' | 'prefix' = 'any',
): LaunchError {
  const what =
    kind === 'branch'
      ? `branch named '${name}'`
      : kind === 'tag'
        ? `tag named '${name}'`
        : kind === 'prefix'
          ? `branch, tag or commit at the start of '${name}'`
          : `branch, tag or commit named '${name}'`;
  return new LaunchError('ref-not-found', {
    title: 'Branch or tag not found',
    detail: `${fullPath(repo)} on ${api.label} has no ${what}. It may have been deleted or renamed; pick one from the project's branches.`,
    wayOut: { label: 'See the branches', href: pageOf(api, repo, '/-/branches') },
  });
}

function emptyProject(api: GitLabApi, repo: RepoRef): LaunchError {
  return new LaunchError('ref-not-found', {
    title: 'The project has no commits yet',
    detail: `${fullPath(repo)} on ${api.label} is empty. Push a first commit, then open it again.`,
    wayOut: { label: 'Open the project', href: pageOf(api, repo) },
  });
}

function mergeRequestNotFound(api: GitLabApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('pr-not-found', {
    title: 'Merge request not found',
    detail: `${fullPath(repo)} on ${api.label} has no merge request !${number}, or you cannot see it. Check the number.`,
    wayOut: { label: 'See the merge requests', href: pageOf(api, repo, '/-/merge_requests') },
  });
}

function headDeleted(api: GitLabApi, baseRepo: RepoRef, number: number, branch: string): LaunchError {
  return new LaunchError('pr-head-deleted', {
    title: "The merge request's source branch is gone",
    detail: `Merge request !${number} in ${fullPath(baseRepo)} was opened from '${branch}', which has been deleted (or its fork was). Open the target project instead.`,
    wayOut: { label: `Open ${fullPath(baseRepo)}`, href: pageOf(api, baseRepo) },
  });
}

function issueNotFound(api: GitLabApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('issue-not-found', {
    title: 'Issue not found',
    detail: `${fullPath(repo)} on ${api.label} has no issue #${number}, or you cannot see it (issues may be turned off or confidential).`,
    wayOut: { label: 'See the issues', href: pageOf(api, repo, '/-/issues') },
  });
}

function unreadable(api: GitLabApi, what: string): LaunchError {
  return unavailable(api.label, api.site, `an answer about ${what} we could not read`);
}

function unavailable(label: string, site: string, problem: string): LaunchError {
  return new LaunchError('host-unavailable', {
    title: `${label} answered unexpectedly`,
    detail: `${label}'s API sent ${problem}. It may be misconfigured or mid-upgrade; try again in a minute.`,
    wayOut: { label: `Open ${label}`, href: site },
  });
}

/** Full shas from a JSON list of commits (`[{id}]` on GitLab, `{values: [{hash}]}` elsewhere), at most `limit`. */
function commitShas(text: string, field: string, limit: number): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(body) ? body : [];
  return list
    .map((c) => (c as Record<string, unknown>)[field])
    .filter((s): s is string => typeof s === 'string' && /^[0-9a-f]{40}$/.test(s))
    .slice(0, limit);
}
