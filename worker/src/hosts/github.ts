// GitHub (github.com and GitHub Enterprise) for the launcher: with a token, ONE GraphQL query per launch settles
// the revision, file or folder, pull request or issue and `.gitpod.yml`; anonymously (GraphQL needs a token), at
// most two rounds of parallel REST requests. Every request goes through hostFetch. Never puts a token anywhere but
// the Authorization header, nor in a message, an error or a log line.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import { isSha } from '../../../shared/hosts/path-grammar.ts';
import { issueBranchName } from '../../../shared/issue-branch.ts';
import type { RefPathSplit, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok } from '../../../shared/result.ts';
import { LaunchError } from '../errors.ts';
import { GitHubHttp, GitHubHttpError, GraphqlResponseError, HostFailure } from './github-http.ts';
import { type HostHttpOptions, rateLimit } from './host-http.ts';
import type {
  HostCredentials,
  HostResolver,
  HttpTuning,
  RepoContext,
  ResolveInput,
} from './host-resolver.ts';
import { CONFIG_FILE } from './resolver-common.ts';

export const githubResolver: HostResolver = {
  async resolve(input) {
    const api = new GitHubApi(input.entry, input.credentials, input.http);
    try {
      const settled =
        input.credentials.token !== undefined
          ? await resolveWithGraphql(api, input)
          : await resolveWithRest(api, input);
      return ok(settled);
    } catch (cause) {
      return err(api.launchError(cause, input.context.repo));
    }
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = new GitHubApi(entry, credentials, http);
    try {
      return ok(await api.rawFile(repo, path, sha));
    } catch (cause) {
      return err(api.launchError(cause, repo));
    }
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = new GitHubApi(entry, credentials, http);
    try {
      // With a token one GraphQL query; anonymously (GraphQL needs a token) one REST request.
      return ok(
        credentials.token !== undefined
          ? await api.graphqlHistory(repo, sha, limit)
          : await api.history(repo, sha, limit),
      );
    } catch (cause) {
      return err(api.launchError(cause, repo));
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------
// What the URL asks for, whichever API answers it

/** The revision of a repository context as lookups: which names may be branches, tags or a commit-ish. */
type Plan =
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

type RepositoryContext = Extract<RepoContext, { kind: 'repository' }>;

function planOf(context: RepositoryContext): Plan {
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
function pageKind(context: RepositoryContext): 'file' | 'folder' | 'unknown' {
  if (context.path !== undefined) return context.path.kind;
  return context.page === 'blob' ? 'file' : context.page === 'tree' ? 'folder' : 'unknown';
}

type PathKind = 'file' | 'folder' | 'missing';
type Visibility = NonNullable<ResolvedContext['visibility']>;
/** GitHub's `private` (REST) and `isPrivate` (GraphQL) are true for internal repositories too. */
const visibilityOf = (isPrivate: boolean): Visibility => (isPrivate ? 'private' : 'public');

/** A repository context once the host has answered. */
interface Settled {
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

function finish(input: ResolveInput, context: RepositoryContext, settled: Settled): ResolvedContext {
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

interface PullFacts {
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

function pullResult(input: ResolveInput, pull: PullFacts, configText?: string | null): ResolvedContext {
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

interface IssueFacts {
  readonly repo: RepoRef;
  readonly visibility: Visibility;
  readonly defaultBranch: string;
  readonly sha: string;
  readonly number: number;
  readonly title: string;
  readonly author: string | undefined;
}

function issueResult(input: ResolveInput, issue: IssueFacts, configText?: string | null): ResolvedContext {
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

// ---------------------------------------------------------------------------------------------------------------
// With a token: one GraphQL query

// A git object, peeled through up to two annotated tags to the commit.
const PEELED =
  '__typename oid ... on Tag { target { __typename oid ... on Tag { target { __typename oid } } } }';
const CONFIG = '__typename ... on Blob { text isTruncated }';
const REPOSITORY = 'name owner { login } isPrivate defaultBranchRef { name target { oid } }';

interface GqlObject {
  readonly __typename: string;
  readonly oid?: string;
  readonly target?: GqlObject | null;
  readonly text?: string | null;
  readonly isTruncated?: boolean;
}

interface GqlRepository {
  readonly name: string;
  readonly owner: { readonly login: string };
  readonly isPrivate: boolean;
  readonly defaultBranchRef: {
    readonly name: string;
    readonly target: { readonly oid: string } | null;
  } | null;
  readonly [alias: string]: unknown;
}

/** A query whose every interpolated string travels as a variable, never inside the query text. */
class GraphqlQuery {
  private readonly declarations: string[] = [];
  private readonly fields: string[] = [];
  readonly variables: Record<string, string | number> = {};

  variable(value: string | number): string {
    const name = `v${this.declarations.length}`;
    this.declarations.push(`$${name}: ${typeof value === 'number' ? 'Int!' : 'String!'}`);
    this.variables[name] = value;
    return `$${name}`;
  }

  field(text: string): void {
    this.fields.push(text);
  }

  text(owner: string, name: string): string {
    const o = this.variable(owner);
    const n = this.variable(name);
    return `query Launch(${this.declarations.join(', ')}) { repository(owner: ${o}, name: ${n}) { ${REPOSITORY} ${this.fields.join(' ')} } }`;
  }
}

async function resolveWithGraphql(api: GitHubApi, input: ResolveInput): Promise<ResolvedContext> {
  const context = input.context;
  const query = new GraphqlQuery();
  if (context.kind === 'repository') {
    const read = askRevision(query, planOf(context), input.entry, context);
    const repository = await api.graphqlRepository(query, context.repo);
    return finish(input, context, read(repository));
  }
  // `pull/<n>` may be an issue and `issues/<n>` a pull request: GitHub redirects either way, so do we.
  query.field(
    `head: object(expression: "HEAD") { oid } headConfig: object(expression: "HEAD:${CONFIG_FILE}") { ${CONFIG} }`,
  );
  query.field(
    `item: issueOrPullRequest(number: ${query.variable(context.number)}) { __typename ` +
      '... on PullRequest { number title state headRefName headRefOid isCrossRepository baseRefName ' +
      'headRef { name } headRepository { name owner { login } isPrivate defaultBranchRef { name } } } ' +
      '... on Issue { number title author { login } } }',
  );
  // The base repository keeps `refs/pull/<n>/head`; it is only trusted when it names the PR's head commit.
  query.field(`pullHead: object(expression: ${query.variable(`refs/pull/${context.number}/head`)}) { oid }`);
  query.field(
    `pullConfig: object(expression: ${query.variable(`refs/pull/${context.number}/head:${CONFIG_FILE}`)}) { ${CONFIG} }`,
  );
  const repository = await api.graphqlRepository(query, context.repo, context.kind);
  const repo = repoRefOf(input.entry, repository.owner.login, repository.name);
  const item = repository.item as Record<string, unknown> | null;
  if (item === null) throw itemNotFound(input.entry, context);
  if (item.__typename === 'PullRequest') {
    const pull = item as unknown as GqlPull;
    const headRepo = pull.headRepository;
    const pullHead = repository.pullHead as GqlObject | null;
    const facts: PullFacts = {
      number: pull.number,
      title: pull.title,
      state: pull.state === 'MERGED' ? 'merged' : pull.state === 'CLOSED' ? 'closed' : 'open',
      baseRepo: repo,
      baseRef: pull.baseRefName,
      headRef: pull.headRefName,
      headSha: pull.headRefOid,
      fromFork: pull.isCrossRepository,
      ...(headRepo !== null &&
        pull.headRef !== null && {
          head: {
            repo: repoRefOf(input.entry, headRepo.owner.login, headRepo.name),
            visibility: visibilityOf(headRepo.isPrivate),
            defaultBranch: headRepo.defaultBranchRef?.name ?? pull.baseRefName,
          },
        }),
    };
    const config = pullHead?.oid === pull.headRefOid ? configOf(repository.pullConfig) : undefined;
    return pullResult(input, facts, config);
  }
  const issue = item as unknown as GqlIssue;
  const { defaultBranch, sha } = defaultHead(input.entry, repository, context.repo);
  const head = repository.head as GqlObject | null;
  return issueResult(
    input,
    {
      repo,
      visibility: visibilityOf(repository.isPrivate),
      defaultBranch,
      sha,
      number: issue.number,
      title: issue.title,
      author: issue.author?.login,
    },
    head?.oid === sha ? configOf(repository.headConfig) : undefined,
  );
}

interface GqlPull {
  readonly number: number;
  readonly title: string;
  readonly state: 'OPEN' | 'CLOSED' | 'MERGED';
  readonly headRefName: string;
  readonly headRefOid: string;
  readonly isCrossRepository: boolean;
  readonly baseRefName: string;
  readonly headRef: { readonly name: string } | null;
  readonly headRepository: {
    readonly name: string;
    readonly owner: { readonly login: string };
    readonly isPrivate: boolean;
    readonly defaultBranchRef: { readonly name: string } | null;
  } | null;
}

interface GqlIssue {
  readonly number: number;
  readonly title: string;
  readonly author: { readonly login: string } | null;
}

/** Adds the aliases a revision needs to the query; returns how to read the answer. */
function askRevision(
  query: GraphqlQuery,
  plan: Plan,
  entry: HostEntry,
  context: RepositoryContext,
): (repository: GqlRepository) => Settled {
  // Each way to read the revision gets its object (peeled), its `.gitpod.yml` and what its path is, under one alias.
  const probe = (alias: string, field: string, rev: string, path: string) => {
    query.field(`${alias}: ${field}`);
    query.field(
      `${alias}Config: object(expression: ${query.variable(`${rev}:${CONFIG_FILE}`)}) { ${CONFIG} }`,
    );
    if (path !== '')
      query.field(`${alias}Path: object(expression: ${query.variable(`${rev}:${path}`)}) { __typename }`);
  };
  const probed = (repository: GqlRepository, alias: string, path: string) => ({
    path,
    ...(path !== '' && { pathKind: kindOf(repository[`${alias}Path`]) }),
    ...optional('configText', configOf(repository[`${alias}Config`])),
  });
  const base = (repository: GqlRepository) => ({
    repo: repoRefOf(entry, repository.owner.login, repository.name),
    visibility: visibilityOf(repository.isPrivate),
    defaultBranch: defaultHead(entry, repository, context.repo).defaultBranch,
  });

  switch (plan.kind) {
    case 'default': {
      probe('head', 'object(expression: "HEAD") { oid }', 'HEAD', plan.path);
      return (repository) => {
        const { defaultBranch, sha } = defaultHead(entry, repository, context.repo);
        const { configText, ...rest } = probed(repository, 'head', plan.path);
        return {
          ...base(repository),
          sha,
          ref: { name: defaultBranch, type: 'branch' },
          ...rest,
          // HEAD is the default branch; its config counts only when HEAD named the same commit.
          ...((repository.head as GqlObject | null)?.oid === sha && optional('configText', configText)),
        };
      };
    }
    case 'commit': {
      probe('commit', `object(expression: ${query.variable(plan.sha)}) { ${PEELED} }`, plan.sha, plan.path);
      const hint = plan.branchHint;
      if (hint !== undefined) {
        query.field(`hint: ref(qualifiedName: ${query.variable(`refs/heads/${hint}`)}) { target { oid } }`);
      }
      return (repository) => {
        const sha = peeledOid(repository.commit);
        if (sha === undefined || !sha.startsWith(plan.sha)) throw refNotFound(entry, context);
        const head = (repository.hint as { target: { oid: string } | null } | null | undefined)?.target?.oid;
        return {
          ...base(repository),
          sha,
          ...(hint !== undefined && head === sha && { ref: { name: hint, type: 'branch' as const } }),
          ...probed(repository, 'commit', plan.path),
        };
      };
    }
    case 'named': {
      const kinds = [
        ...(plan.branch ? [{ letter: 'b', prefix: 'refs/heads/', type: 'branch' as const }] : []),
        ...(plan.tag ? [{ letter: 't', prefix: 'refs/tags/', type: 'tag' as const }] : []),
      ];
      plan.candidates.forEach((candidate, i) => {
        for (const { letter, prefix } of kinds) {
          const rev = `${prefix}${candidate.ref}`;
          probe(
            `${letter}${i}`,
            `ref(qualifiedName: ${query.variable(rev)}) { target { ${PEELED} } }`,
            rev,
            candidate.path,
          );
        }
      });
      const first = plan.candidates[0];
      if (plan.commitish && first !== undefined) {
        probe(
          'commit',
          `object(expression: ${query.variable(first.ref)}) { ${PEELED} }`,
          first.ref,
          first.path,
        );
      }
      return (repository) => {
        // Shortest branch, else shortest tag, else the first candidate as a commit-ish.
        for (const { letter, type } of kinds) {
          for (const [i, candidate] of plan.candidates.entries()) {
            const ref = repository[`${letter}${i}`] as { target: GqlObject | null } | null;
            const sha = peeledOid(ref?.target);
            if (sha === undefined) continue;
            return {
              ...base(repository),
              sha,
              ref: { name: candidate.ref, type },
              ...probed(repository, `${letter}${i}`, candidate.path),
            };
          }
        }
        const sha = peeledOid(repository.commit);
        if (first !== undefined && sha?.startsWith(first.ref.toLowerCase())) {
          return { ...base(repository), sha, ...probed(repository, 'commit', first.path) };
        }
        throw refNotFound(entry, context);
      };
    }
  }
}

function defaultHead(entry: HostEntry, repository: GqlRepository, asked: RepoRef) {
  const ref = repository.defaultBranchRef;
  if (ref === null || ref.target === null) throw emptyRepository(entry, asked);
  return { defaultBranch: ref.name, sha: ref.target.oid };
}

function peeledOid(object: unknown): string | undefined {
  let current = object as GqlObject | null | undefined;
  for (let depth = 0; current !== null && current !== undefined && depth < 4; depth++) {
    if (current.__typename === 'Commit') return current.oid;
    if (current.__typename !== 'Tag') return undefined;
    current = current.target;
  }
  return undefined;
}

function kindOf(object: unknown): PathKind {
  const typename = (object as GqlObject | null | undefined)?.__typename;
  if (typename === 'Blob') return 'file';
  // A submodule's entry resolves to its commit; it opens as a folder.
  if (typename === 'Tree' || typename === 'Commit') return 'folder';
  return 'missing';
}

/** `.gitpod.yml`'s text, `null` when absent, undefined when GitHub cut it short (the caller then reads it). */
function configOf(object: unknown): string | null | undefined {
  const blob = object as GqlObject | null | undefined;
  if (blob === null || blob === undefined || blob.__typename !== 'Blob') return null;
  if (blob.isTruncated === true || typeof blob.text !== 'string') return undefined;
  return blob.text;
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

// ---------------------------------------------------------------------------------------------------------------
// Anonymous: REST, independent requests in parallel

async function resolveWithRest(api: GitHubApi, input: ResolveInput): Promise<ResolvedContext> {
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

// ---------------------------------------------------------------------------------------------------------------
// The API client: GitHub's REST and GraphQL through github-http.ts (every request through hostFetch)

interface RepoJson {
  readonly name: string;
  readonly full_name: string;
  readonly owner: { readonly login: string };
  readonly private: boolean;
  readonly default_branch: string;
}

interface PullJson {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly merged_at: string | null;
  readonly head: { readonly ref: string; readonly sha: string; readonly repo: RepoJson | null };
  readonly base: { readonly ref: string; readonly repo: RepoJson };
}

interface IssueJson {
  readonly number: number;
  readonly title: string;
  readonly user: { readonly login: string } | null;
  readonly pull_request?: unknown;
}

interface RefListing {
  readonly refs: readonly {
    readonly ref: string;
    readonly object: { readonly sha: string; readonly type: string };
  }[];
  /** GitHub paginated the answer: refs past the first page were not seen. */
  readonly truncated: boolean;
}

class GitHubApi {
  private readonly http: GitHubHttp;
  private readonly label: string;
  private readonly now: () => number;

  constructor(
    private readonly entry: HostEntry,
    private readonly credentials: HostCredentials,
    http: HttpTuning | undefined,
  ) {
    this.label = entry.builtin ? 'GitHub' : entry.hostname;
    this.now = http?.now ?? Date.now;
    const options: HostHttpOptions = {
      hostLabel: this.label,
      hostWebUrl: entry.origin + entry.basePath,
      ...(http?.backoffMs !== undefined && { backoffMs: http.backoffMs }),
      ...(http?.now !== undefined && { now: http.now }),
    };
    this.http = new GitHubHttp(entry.apiBaseUrl, credentials.token, options);
  }

  async graphqlRepository(
    query: GraphqlQuery,
    asked: RepoRef,
    itemKind?: 'pull-request' | 'issue',
  ): Promise<GqlRepository> {
    const text = query.text(asked.owner, asked.name);
    let data: { repository: GqlRepository | null } | undefined;
    try {
      data = await this.http.graphql<{ repository: GqlRepository | null }>(text, query.variables);
    } catch (cause) {
      if (!(cause instanceof GraphqlResponseError)) throw cause;
      const types = cause.errors.map((e) => e.type);
      if (types.includes('RATE_LIMITED')) throw this.rateLimited(cause.headers);
      const repositoryError = cause.errors.find((e) => e.path?.length === 1 && e.path[0] === 'repository');
      if (repositoryError?.type === 'NOT_FOUND') throw repoNotFound(this.entry, asked, this.credentials);
      if (types.includes('FORBIDDEN')) throw privateRepo(this.entry, asked, cause.errors[0]?.message);
      // An issue or pull request that does not exist is an error GitHub reports beside the partial data.
      const onlyItem = cause.errors.every((e) => e.type === 'NOT_FOUND' && e.path?.[1] === 'item');
      const partial = cause.data as { readonly repository?: GqlRepository | null } | null | undefined;
      if (!onlyItem || itemKind === undefined || partial?.repository == null) throw this.unexpected(types);
      data = { repository: partial.repository };
    }
    if (data?.repository == null) throw repoNotFound(this.entry, asked, this.credentials);
    return data.repository;
  }

  repo(repo: RepoRef): Promise<RepoJson | undefined> {
    return this.maybe(
      this.http.request<RepoJson>('GET /repos/{owner}/{repo}', { owner: repo.owner, repo: repo.name }),
    );
  }

  /** The repository, or the error that says it does not exist (or may be private). */
  required(found: RepoJson | undefined, asked: RepoRef): RepoJson {
    if (found === undefined) throw repoNotFound(this.entry, asked, this.credentials);
    return found;
  }

  /** The full sha a branch, tag, `HEAD` or abbreviated sha names (GitHub answers 422 for unknown refs). */
  async commitSha(repo: RepoRef, ref: string): Promise<string | undefined> {
    const body = await this.bodyText(
      this.http.request(
        'GET /repos/{owner}/{repo}/commits/{ref}',
        { owner: repo.owner, repo: repo.name, ref },
        { accept: 'application/vnd.github.sha', unparsed: true },
      ),
      [404, 422],
    );
    const sha = body?.text.trim().toLowerCase();
    return sha !== undefined && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  }

  async matchingRefs(repo: RepoRef, prefix: string): Promise<RefListing> {
    try {
      const response = await this.http.request<RefListing['refs']>(
        'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
        {
          owner: repo.owner,
          repo: repo.name,
          ref: prefix,
          per_page: 100,
        },
      );
      return { refs: response.data, truncated: /rel="next"/.test(response.headers.link ?? '') };
    } catch (cause) {
      // An empty repository has no refs at all.
      if (this.statusOf(cause) === 404 || this.statusOf(cause) === 409) return { refs: [], truncated: false };
      throw cause;
    }
  }

  /** `heads/x` or `tags/x` → the object it points at. */
  async ref(repo: RepoRef, ref: string): Promise<{ sha: string; type: string } | undefined> {
    const data = await this.maybe(
      this.http.request<{ object: { sha: string; type: string } }>(
        'GET /repos/{owner}/{repo}/git/ref/{ref}',
        {
          owner: repo.owner,
          repo: repo.name,
          ref,
        },
      ),
    );
    return data?.object;
  }

  /** An annotated tag object → its commit (through nested tags). */
  async peelTag(repo: RepoRef, sha: string): Promise<string | undefined> {
    let current = sha;
    for (let depth = 0; depth < 4; depth++) {
      const tag = await this.maybe(
        this.http.request<{ object: { sha: string; type: string } }>(
          'GET /repos/{owner}/{repo}/git/tags/{tag_sha}',
          {
            owner: repo.owner,
            repo: repo.name,
            tag_sha: current,
          },
        ),
      );
      if (tag === undefined) return undefined;
      if (tag.object.type === 'commit') return tag.object.sha;
      current = tag.object.sha;
    }
    return undefined;
  }

  async contentKind(repo: RepoRef, path: string, at: string): Promise<PathKind> {
    const data = await this.maybe(
      this.http.request<{ type: string } | unknown[]>('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: repo.owner,
        repo: repo.name,
        path,
        ref: at,
      }),
    );
    if (data === undefined) return 'missing';
    if (Array.isArray(data)) return 'folder';
    const type: string = data.type;
    return type === 'dir' || type === 'submodule' ? 'folder' : 'file';
  }

  async rawFile(repo: RepoRef, path: string, sha: string): Promise<string | null> {
    const body = await this.bodyText(
      this.http.request(
        'GET /repos/{owner}/{repo}/contents/{path}',
        { owner: repo.owner, repo: repo.name, path, ref: sha },
        { accept: 'application/vnd.github.raw+json', unparsed: true },
      ),
    );
    // A folder answers its JSON listing even in the raw media type: there is no file to read.
    if (body === undefined || /^application\/json\b/.test(body.type)) return null;
    return body.text;
  }

  /** One GraphQL query: `object(expression: sha) { ... on Commit { history(first: 100) { nodes { oid } } } }`. */
  async graphqlHistory(repo: RepoRef, sha: string, limit: number): Promise<string[]> {
    const query = new GraphqlQuery();
    const expression = query.variable(sha);
    const first = query.variable(Math.min(limit, 100));
    query.field(
      `commitHistory: object(expression: ${expression}) { ... on Commit { history(first: ${first}) { nodes { oid } } } }`,
    );
    const repository = await this.graphqlRepository(query, repo);
    const commit = repository.commitHistory as { history?: { nodes: { oid: string }[] } } | null;
    return (commit?.history?.nodes ?? []).map((n) => n.oid).slice(0, limit);
  }

  /** One REST request: `GET /repos/{o}/{r}/commits?sha=&per_page=100`, newest first. */
  async history(repo: RepoRef, sha: string, limit: number): Promise<string[]> {
    const response = await this.http.request<{ sha: string }[]>('GET /repos/{owner}/{repo}/commits', {
      owner: repo.owner,
      repo: repo.name,
      sha,
      per_page: Math.min(limit, 100),
    });
    return response.data.map((c) => c.sha).slice(0, limit);
  }

  pull(repo: RepoRef, number: number): Promise<PullJson | undefined> {
    return this.maybe(
      this.http.request<PullJson>('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: repo.owner,
        repo: repo.name,
        pull_number: number,
      }),
    ) as Promise<PullJson | undefined>;
  }

  issue(repo: RepoRef, number: number): Promise<IssueJson | undefined> {
    // 410: issues are disabled on this repository.
    return this.maybe(
      this.http.request<IssueJson>('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        owner: repo.owner,
        repo: repo.name,
        issue_number: number,
      }),
      [404, 410],
    ) as Promise<IssueJson | undefined>;
  }

  /** Any failure as the typed error a person can act on. */
  launchError(cause: unknown, repo?: RepoRef): LaunchError {
    const failure = hostFailureIn(cause);
    if (failure !== undefined) return failure.launchError;
    if (cause instanceof LaunchError) return cause;
    const status = this.statusOf(cause);
    if (status === 401) {
      return new LaunchError('private-repo', {
        title: `${this.label} did not accept the sign-in`,
        detail: `${this.label} refused the access token (it may have expired or been revoked). Sign in with ${this.label} again and retry.`,
        facts: { credentialsRejected: true },
      });
    }
    if (status === 403 && repo !== undefined) return privateRepo(this.entry, repo);
    if (status === 403) {
      return new LaunchError('private-repo', {
        title: `${this.label} refused access`,
        detail: `${this.label} answered that this account may not read the repository. Sign in with an account that can, or ask its owners for access.`,
      });
    }
    return this.unexpected(status === undefined ? [] : [`HTTP ${status}`]);
  }

  private unexpected(what: readonly (string | undefined)[]): LaunchError {
    const detail = what.filter((w) => w !== undefined).join(', ');
    return new LaunchError('host-unavailable', {
      title: `${this.label} gave an answer we could not use`,
      detail: `${this.label}'s API answered in a way Launchpod did not expect${detail === '' ? '' : ` (${detail})`}. Try again in a minute.`,
      retryAfterSeconds: 60,
      wayOut: { label: `Open ${this.label}`, href: this.entry.origin + this.entry.basePath },
    });
  }

  private rateLimited(headers: Record<string, string | number | undefined>): LaunchError {
    const plain: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) if (value !== undefined) plain[key] = String(value);
    const seconds = rateLimit(new Response(null, { status: 429, headers: plain }), this.now()) ?? 60;
    const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
    return new LaunchError('rate-limited', {
      title: `${this.label} is rate limiting requests`,
      detail: `${this.label} asked us to slow down. Try again in ${wait}.`,
      retryAfterSeconds: seconds,
    });
  }

  /** The request's data, or undefined when the host answered one of `missing` (404 by default). */
  private async maybe<T>(
    request: Promise<{ data: T }>,
    missing: readonly number[] = [404],
  ): Promise<T | undefined> {
    try {
      return (await request).data;
    } catch (cause) {
      const status = this.statusOf(cause);
      if (status !== undefined && missing.includes(status)) return undefined;
      throw cause;
    }
  }

  /**
   * A body read as text here, from the unread stream: workerd logs a warning for every non-`text/*` body read with
   * `.text()`, as GitHub's `vnd.github.raw` and `vnd.github.sha` bodies are.
   */
  private async bodyText(
    request: Promise<{ data: unknown; headers: { 'content-type'?: string } }>,
    missing: readonly number[] = [404],
  ): Promise<{ text: string; type: string } | undefined> {
    try {
      const response = await request;
      const text = await new Response(response.data as ReadableStream | null).text();
      return { text, type: response.headers['content-type'] ?? '' };
    } catch (cause) {
      const status = this.statusOf(cause);
      if (status !== undefined && missing.includes(status)) return undefined;
      throw cause;
    }
  }

  /** An HTTP status the host answered; undefined for our own failures (hostFetch's). */
  private statusOf(cause: unknown): number | undefined {
    return cause instanceof GitHubHttpError ? cause.status : undefined;
  }
}

function hostFailureIn(cause: unknown): HostFailure | undefined {
  let current = cause;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof HostFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors a person can act on

const repoRefOf = (entry: HostEntry, owner: string, name: string): RepoRef => ({
  host: entry.hostname,
  family: 'github',
  owner,
  name,
});

const siteOf = (entry: HostEntry): string => entry.origin + entry.basePath;
const labelOf = (entry: HostEntry): string => (entry.builtin ? 'GitHub' : entry.hostname);
const repoUrl = (entry: HostEntry, repo: RepoRef): string =>
  `${siteOf(entry)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

function repoNotFound(entry: HostEntry, repo: RepoRef, credentials: HostCredentials): LaunchError {
  const label = labelOf(entry);
  const name = `${repo.owner}/${repo.name}`;
  if (credentials.kind === 'user') {
    return new LaunchError('repo-not-found', {
      title: `Repository ${name} not found`,
      detail: `${label} has no repository ${name} that your account can see. Check the link for typos, or ask the owners for access.`,
      wayOut: { label: `Open ${label}`, href: siteOf(entry) },
    });
  }
  return new LaunchError('repo-not-found', {
    title: `Repository ${name} not found`,
    detail: `${label} has no public repository ${name}. It may be private: sign in with ${label} to open private repositories your account can read.`,
    wayOut: { label: `Open ${label}`, href: siteOf(entry) },
    facts: { maybePrivate: true },
  });
}

function privateRepo(entry: HostEntry, repo: RepoRef, reason?: string): LaunchError {
  const label = labelOf(entry);
  return new LaunchError('private-repo', {
    title: `No access to ${repo.owner}/${repo.name}`,
    detail: `${label} refused access to ${repo.owner}/${repo.name}${reason === undefined ? '' : ` (${reason})`}. Sign in with an account that can read it, or ask its owners for access.`,
    wayOut: { label: `Open ${repo.owner}/${repo.name}`, href: repoUrl(entry, repo) },
  });
}

function refNotFound(entry: HostEntry, context: RepositoryContext): LaunchError {
  const revision = context.revision;
  const repo = `${context.repo.owner}/${context.repo.name}`;
  const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  const missing =
    revision.type === 'commit'
      ? `no commit ${revision.sha}`
      : revision.type === 'ref'
        ? `no ${revision.refType === 'any' ? 'branch, tag or commit' : revision.refType} named '${revision.name}'`
        : revision.type === 'ambiguous'
          ? `no branch, tag or commit named ${quoted(revision.candidates.map((c) => c.ref))}`
          : 'no default branch';
  return new LaunchError('ref-not-found', {
    title: `Branch or commit not found in ${repo}`,
    detail: `${repo} has ${missing}. It may have been deleted or renamed; pick one from the repository's branches.`,
    wayOut: { label: `Branches of ${repo}`, href: `${repoUrl(entry, context.repo)}/branches` },
  });
}

function emptyRepository(entry: HostEntry, repo: RepoRef): LaunchError {
  const name = `${repo.owner}/${repo.name}`;
  return new LaunchError('ref-not-found', {
    title: `${name} is empty`,
    detail: `${name} has no commits yet, so there is nothing to open. Push a first commit and try again.`,
    wayOut: { label: `Open ${name}`, href: repoUrl(entry, repo) },
  });
}

function itemNotFound(entry: HostEntry, context: RepoContext): LaunchError {
  const name = `${context.repo.owner}/${context.repo.name}`;
  if (context.kind === 'issue') {
    return new LaunchError('issue-not-found', {
      title: `Issue #${context.number} not found`,
      detail: `${name} has no issue or pull request #${context.number}. Check the number, or open the issue list.`,
      wayOut: { label: `Issues of ${name}`, href: `${repoUrl(entry, context.repo)}/issues` },
    });
  }
  const number = context.kind === 'pull-request' ? context.number : 0;
  return new LaunchError('pr-not-found', {
    title: `Pull request #${number} not found`,
    detail: `${name} has no pull request or issue #${number}. Check the number, or open the pull request list.`,
    wayOut: { label: `Pull requests of ${name}`, href: `${repoUrl(entry, context.repo)}/pulls` },
  });
}

function headDeleted(entry: HostEntry, pull: PullFacts): LaunchError {
  const base = `${pull.baseRepo.owner}/${pull.baseRepo.name}`;
  return new LaunchError('pr-head-deleted', {
    title: `The branch of pull request #${pull.number} is gone`,
    detail: `The branch '${pull.headRef}' of pull request #${pull.number} (or the fork that held it) was deleted, so there is nothing to check out. Open ${base} instead, or restore the branch on ${labelOf(entry)}.`,
    wayOut: { label: `Open ${base}`, href: repoUrl(entry, pull.baseRepo) },
  });
}
