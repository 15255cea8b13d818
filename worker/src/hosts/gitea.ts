// Gitea's and Forgejo's REST API v1 (codeberg.org and self-hosted instances, under a sub-path too): a parsed context
// → the exact repository, commit, branch, pull request or issue. The ref is found in the first round trip (a branch
// with slashes through the ref-prefix listing `git/refs/heads/<first segment>`, shortest existing prefix as Gitea
// itself picks); the second reads `.gitpod.yml` and what a path is at that commit. Never sends the token anywhere but
// the Authorization header, and never puts it in an error.

import { hostFamilies } from '../../../shared/host-registry.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { PathTarget, RefPathSplit } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { encodePath } from '../../../shared/url-encoding.ts';
import type { LaunchError } from '../errors.ts';
import {
  commitSha,
  field,
  firstCommit,
  fullName,
  type GiteaApi,
  giteaApi,
  parseJson,
  pathKind,
  type Reply,
  readConfig,
  readRepository,
  refList,
  refSha,
  repoPath,
  repositoryOf,
  resolved,
} from './gitea-api.ts';
import { emptyRepo, issueNotFound, pageOf, pullNotFound, refNotFound, repoNotFound } from './gitea-errors.ts';
import type { HostResolver, RepoContext, ResolveInput } from './host-resolver.ts';
import { FULL_SHA, HEX_PREFIX, pullHeadDeleted, sameRepo, unreadable } from './resolver-common.ts';

export const giteaResolver: HostResolver = {
  async resolve(input) {
    const api = giteaApi(input.entry, input.credentials, input.http);
    switch (input.context.kind) {
      case 'repository':
        return resolveRepository(api, input.context);
      case 'pull-request':
        return resolvePull(api, input.context, input.context.number);
      case 'issue':
        return resolveIssue(api, input.context, input);
    }
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = giteaApi(entry, credentials, http);
    const reply = await api.get(`${repoPath(repo)}/raw/${encodePath(path.replace(/^\/+/, ''))}`, {
      ref: sha,
    });
    if (!reply.ok) return reply;
    if (reply.value.status === 200) return ok(reply.value.text);
    if (reply.value.status === 404) return ok(null);
    return err(api.failure(reply.value, `${fullName(repo)}/${path}`));
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = giteaApi(entry, credentials, http);
    const reply = await api.get(`${repoPath(repo)}/commits`, {
      sha,
      limit: String(Math.min(limit, 50)),
      stat: 'false',
      verification: 'false',
      files: 'false',
    });
    if (!reply.ok) return reply;
    if (reply.value.status === 404) return err(repoNotFound(api, repo));
    if (reply.value.status !== 200) return err(api.failure(reply.value, `${fullName(repo)} history`));
    const list = parseJson(reply.value.text);
    return ok(
      (Array.isArray(list) ? list : [])
        .map((c) => field(c, 'sha'))
        .filter((s): s is string => typeof s === 'string' && FULL_SHA.test(s))
        .slice(0, limit),
    );
  },
};

type RepositoryContext = Extract<RepoContext, { kind: 'repository' }>;

interface Picked {
  readonly sha: string;
  readonly ref?: { readonly name: string; readonly type: 'branch' | 'tag' };
  readonly path?: PathTarget;
}

/** The requests that find a revision, all sent in the first round trip beside the repository. */
interface RefLookups {
  readonly branch?: Promise<Reply>;
  readonly tag?: Promise<Reply>;
  readonly commit?: Promise<Reply>;
  /** `git/refs/heads/<first>` and `git/refs/tags/<first>`: every ref starting with the first segment. */
  readonly headsList?: Promise<Reply>;
  readonly tagsList?: Promise<Reply>;
  /** The default branch's head (`commits?limit=1` without `sha`). */
  readonly defaultHead?: Promise<Reply>;
}

function lookups(api: GiteaApi, context: RepositoryContext): RefLookups {
  const base = repoPath(context.repo);
  const { revision } = context;
  const commit = (sha: string) => api.get(`${base}/git/commits/${encodeURIComponent(sha)}`, NO_EXTRAS);
  switch (revision.type) {
    case 'default':
      return { defaultHead: api.get(`${base}/commits`, { limit: '1', ...NO_EXTRAS }) };
    case 'commit':
      return { commit: commit(revision.sha) };
    case 'ref': {
      if (revision.name === 'HEAD')
        return { defaultHead: api.get(`${base}/commits`, { limit: '1', ...NO_EXTRAS }) };
      const name = encodePath(revision.name);
      return {
        ...(revision.refType !== 'tag' && { branch: api.get(`${base}/branches/${name}`) }),
        ...(revision.refType !== 'branch' && { tag: api.get(`${base}/tags/${name}`) }),
        ...(revision.refType === 'any' &&
          HEX_PREFIX.test(revision.name) && { commit: commit(revision.name) }),
      };
    }
    case 'ambiguous': {
      const first = revision.candidates[0]?.ref.split('/')[0] ?? '';
      const prefix = encodePath(first);
      return {
        ...(first === 'HEAD' && { defaultHead: api.get(`${base}/commits`, { limit: '1', ...NO_EXTRAS }) }),
        ...(revision.refType !== 'tag' && { headsList: api.get(`${base}/git/refs/heads/${prefix}`) }),
        ...(revision.refType !== 'branch' && { tagsList: api.get(`${base}/git/refs/tags/${prefix}`) }),
        ...(revision.refType === undefined && HEX_PREFIX.test(first) && { commit: commit(first) }),
      };
    }
  }
}

const NO_EXTRAS = { stat: 'false', verification: 'false', files: 'false' } as const;

async function resolveRepository(
  api: GiteaApi,
  context: RepositoryContext,
): Promise<Result<ResolvedContext, LaunchError>> {
  const { repo } = context;
  const refs = lookups(api, context);
  const [repoReply, picked] = await Promise.all([api.get(repoPath(repo)), pickRevision(api, context, refs)]);
  const found = readRepository(api, repoReply, repo);
  if (!found.ok) return found;
  if (!picked.ok) return picked;
  const { sha, ref } = picked.value;
  // Round trip 2: `.gitpod.yml` at the commit, and whether the path is a file or a folder there.
  const path = picked.value.path;
  const [config, kind] = await Promise.all([
    readConfig(api, found.value.repo, sha),
    path === undefined ? undefined : pathKind(api, found.value.repo, path.path, sha),
  ]);
  if (!config.ok) return config;
  if (kind !== undefined && !kind.ok) return kind;
  const known =
    path === undefined || kind?.ok !== true || kind.value === undefined
      ? undefined
      : { path: path.path, kind: kind.value };
  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: found.value.repo,
      visibility: found.value.visibility,
      cloneUrl: family.cloneUrl(found.value.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch: found.value.defaultBranch,
      ref:
        ref ??
        (context.revision.type === 'default'
          ? { name: found.value.defaultBranch, type: 'branch' }
          : undefined),
      sha,
      path: known,
      lines: known?.kind === 'file' ? context.lines : undefined,
      configText: config.value,
    }),
  );
}

/** Branch, then tag, then commit; for a split ref the shortest existing name, as Gitea's own pages choose. */
async function pickRevision(
  api: GiteaApi,
  context: RepositoryContext,
  refs: RefLookups,
): Promise<Result<Picked, LaunchError>> {
  const { repo, revision } = context;
  const path = context.path;
  const withPath = (picked: Picked, target: PathTarget | undefined): Picked =>
    target === undefined ? picked : { ...picked, path: target };
  if (refs.defaultHead !== undefined && revision.type !== 'ambiguous') {
    const head = await firstCommit(api, refs.defaultHead, repo);
    if (!head.ok) return head;
    if (head.value === undefined) return err(emptyRepo(api, repo));
    return ok(withPath({ sha: head.value }, path));
  }
  switch (revision.type) {
    case 'default':
      return err(emptyRepo(api, repo));
    case 'commit': {
      const sha = await commitSha(api, refs.commit, repo);
      if (!sha.ok) return sha;
      return sha.value === undefined
        ? err(refNotFound(api, repo, revision.sha))
        : ok(withPath({ sha: sha.value }, path));
    }
    case 'ref': {
      const [branch, tag, commit] = await Promise.all([
        refSha(api, refs.branch, repo, 'commit', 'id'),
        refSha(api, refs.tag, repo, 'commit', 'sha'),
        commitSha(api, refs.commit, repo),
      ]);
      if (!branch.ok) return branch;
      if (!tag.ok) return tag;
      if (!commit.ok) return commit;
      if (branch.value !== undefined)
        return ok(withPath({ sha: branch.value, ref: { name: revision.name, type: 'branch' } }, path));
      if (tag.value !== undefined)
        return ok(withPath({ sha: tag.value, ref: { name: revision.name, type: 'tag' } }, path));
      if (commit.value !== undefined) return ok(withPath({ sha: commit.value }, path));
      return err(refNotFound(api, repo, revision.name, revision.refType));
    }
    case 'ambiguous': {
      const candidates = revision.candidates;
      const at = (candidate: RefPathSplit, picked: Picked): Picked =>
        withPath(picked, candidate.path === '' ? undefined : { path: candidate.path, kind: 'unknown' });
      const [heads, tags, commit, head] = await Promise.all([
        refList(api, refs.headsList, repo, 'refs/heads/'),
        refList(api, refs.tagsList, repo, 'refs/tags/'),
        commitSha(api, refs.commit, repo),
        refs.defaultHead === undefined ? ok(undefined) : firstCommit(api, refs.defaultHead, repo),
      ]);
      if (!heads.ok) return heads;
      if (!tags.ok) return tags;
      if (!commit.ok) return commit;
      if (!head.ok) return head;
      for (const candidate of candidates) {
        const branch = heads.value.get(candidate.ref);
        if (branch !== undefined)
          return ok(at(candidate, { sha: branch.sha, ref: { name: candidate.ref, type: 'branch' } }));
      }
      // `branch/HEAD/<path>` is the default branch (Gitea's own reading).
      const first = candidates[0];
      if (first !== undefined && first.ref === 'HEAD' && head.value !== undefined)
        return ok(at(first, { sha: head.value }));
      for (const candidate of candidates) {
        const tag = tags.value.get(candidate.ref);
        if (tag === undefined) continue;
        // An annotated tag's ref names the tag object: peel it (one more request, only for annotated tags).
        const sha =
          tag.type === 'commit'
            ? ok(tag.sha)
            : await refSha(
                api,
                api.get(`${repoPath(repo)}/tags/${encodePath(candidate.ref)}`),
                repo,
                'commit',
                'sha',
              );
        if (!sha.ok) return sha;
        if (sha.value !== undefined)
          return ok(at(candidate, { sha: sha.value, ref: { name: candidate.ref, type: 'tag' } }));
      }
      if (first !== undefined && commit.value !== undefined) return ok(at(first, { sha: commit.value }));
      const text = first === undefined ? '' : first.path === '' ? first.ref : `${first.ref}/${first.path}`;
      return err(refNotFound(api, repo, text, revision.refType ?? 'prefix'));
    }
  }
}

/** A pull request: its head branch in its own repository (a fork, maybe), or `refs/pull/<n>/head` once it is gone. */
async function resolvePull(
  api: GiteaApi,
  context: RepoContext,
  number: number,
): Promise<Result<ResolvedContext, LaunchError>> {
  const base = repoPath(context.repo);
  const [repoReply, pullReply] = await Promise.all([api.get(base), api.get(`${base}/pulls/${number}`)]);
  const target = readRepository(api, repoReply, context.repo);
  if (!target.ok) return target;
  if (!pullReply.ok) return pullReply;
  if (pullReply.value.status === 404) return err(pullNotFound(api, context.repo, number));
  if (pullReply.value.status !== 200) return err(api.failure(pullReply.value, fullName(context.repo)));
  const pull = parseJson(pullReply.value.text);
  const head = field(pull, 'head');
  const title = field(pull, 'title');
  const sha = field(head, 'sha');
  const headRef = field(head, 'ref');
  const label = field(head, 'label');
  const baseRef = field(field(pull, 'base'), 'ref');
  if (
    typeof title !== 'string' ||
    typeof sha !== 'string' ||
    typeof headRef !== 'string' ||
    typeof baseRef !== 'string'
  )
    return err(unreadable(api, `pull request #${number}`));
  const baseRepo = target.value.repo;
  const pullRef = `refs/pull/${number}/head`;
  if (!FULL_SHA.test(sha))
    return err(
      pullHeadDeleted(number, typeof label === 'string' ? label : undefined, baseRepo, pageOf(api, baseRepo)),
    );
  const headJson = field(head, 'repo');
  const headRepo = headJson === undefined || headJson === null ? undefined : repositoryOf(api, headJson);
  // The head branch (or the fork) is gone: the base repository keeps the pull request's commits at its pull ref.
  const gone = headRepo === undefined || headRef === pullRef;
  const from = gone ? target.value : headRepo;
  const fromFork = !gone && !sameRepo(from.repo, baseRepo);
  const config = await readConfig(api, gone ? baseRepo : from.repo, sha);
  if (!config.ok) return config;
  const state =
    field(pull, 'merged') === true ? 'merged' : field(pull, 'state') === 'closed' ? 'closed' : 'open';
  const pullRequest: ResolvedPullRequest = {
    number,
    title,
    state,
    headRepo: from.repo,
    headRef: gone ? pullRef : headRef,
    headSha: sha,
    baseRepo,
    baseRef,
    fromFork,
  };
  const family = hostFamilies[api.entry.family];
  const prContext: RepoContext =
    context.kind === 'pull-request' ? context : { kind: 'pull-request', repo: context.repo, number };
  return ok(
    resolved({
      repo: from.repo,
      visibility: from.visibility,
      cloneUrl: family.cloneUrl(from.repo, api.entry),
      webUrl: family.webUrl(prContext, api.entry),
      defaultBranch: from.defaultBranch,
      // Detached at the head commit when only the pull ref holds it; the workspace fetches that commit.
      ref: gone ? undefined : { name: headRef, type: 'branch' },
      sha,
      pullRequest,
      configText: config.value,
    }),
  );
}

async function resolveIssue(
  api: GiteaApi,
  context: Extract<RepoContext, { kind: 'issue' }>,
  input: ResolveInput,
): Promise<Result<ResolvedContext, LaunchError>> {
  const base = repoPath(context.repo);
  const [repoReply, issueReply, headReply] = await Promise.all([
    api.get(base),
    api.get(`${base}/issues/${context.number}`),
    api.get(`${base}/commits`, { limit: '1', ...NO_EXTRAS }),
  ]);
  const found = readRepository(api, repoReply, context.repo);
  if (!found.ok) return found;
  if (!issueReply.ok) return issueReply;
  if (issueReply.value.status === 404) return err(issueNotFound(api, context.repo, context.number));
  if (issueReply.value.status !== 200) return err(api.failure(issueReply.value, fullName(context.repo)));
  const issue = parseJson(issueReply.value.text);
  // `issues/<n>` that is a pull request: Gitea's page redirects to `pulls/<n>`, and so do we.
  const asPull = field(issue, 'pull_request');
  if (asPull !== null && asPull !== undefined) return resolvePull(api, context, context.number);
  const title = field(issue, 'title');
  if (typeof title !== 'string') return err(unreadable(api, `issue #${context.number}`));
  const author = field(field(issue, 'user'), 'login');
  const head = await firstCommit(api, Promise.resolve(headReply), context.repo);
  if (!head.ok) return head;
  if (head.value === undefined) return err(emptyRepo(api, context.repo));
  const config = await readConfig(api, found.value.repo, head.value);
  if (!config.ok) return config;
  const branch = issueBranchName(
    input.userName ?? (typeof author === 'string' ? author : ''),
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
      defaultBranch: found.value.defaultBranch,
      ref: { name: branch, type: 'branch' },
      sha: head.value,
      issue: { number: context.number, title, branch },
      configText: config.value,
    }),
  );
}
