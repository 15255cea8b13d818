// GitLab's REST API v4 (gitlab.com and self-managed instances, under a base path too): a parsed GitLab context → the
// exact project, commit, branch, merge request or issue, in at most two sequential round trips. Never sends the token
// anywhere but the Authorization header, and never puts it in an error.

import { hostFamilies } from '../../../shared/host-registry.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { GitContext, PathTarget, RefPathSplit } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { LaunchError } from '../errors.ts';
import {
  commitOf,
  encodeId,
  errorMessage,
  field,
  fullPath,
  type GitLabApi,
  gitlabApi,
  listRefs,
  parseJson,
  probePath,
  projectPath,
  type RefList,
  type Reply,
  rawFilePath,
  readConfig,
  readMergeRequest,
  readProject,
  refShas,
  resolved,
  withPath,
} from './gitlab-api.ts';
import {
  commitShas,
  emptyProject,
  headDeleted,
  issueNotFound,
  mergeRequestNotFound,
  refNotFound,
  repoNotFound,
} from './gitlab-errors.ts';
import type { HostResolver, RepoContext, ResolveInput } from './host-resolver.ts';
import { CONFIG_FILE, unreadable } from './resolver-common.ts';

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

export interface Picked {
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

function isRepoContext(context: GitContext): context is RepoContext {
  return context.kind !== 'snapshot';
}

function never(): never {
  throw new Error('unreachable');
}
