// The fake GitHub's git objects and its GraphQL API: a subset of GitHub's schema (Repository, Ref, Commit, Tree,
// Blob, Tag, PullRequest, Issue, owners) executed for real by `graphql`, answering with GitHub's own error shapes.
// Never answers anonymous callers: github.com's GraphQL API needs a token, and so does this one.

import { sha1 } from '@oslojs/crypto/sha1';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { buildSchema, type GraphQLError, type GraphQLSchema, graphql } from 'graphql';
import { utf8Bytes } from '../../shared/digest.ts';
import {
  canSee,
  type FakeCommit,
  type FakeHostData,
  type FakeIssue,
  type FakePull,
  type FakeRepo,
  type FakeUser,
  findRepo,
  fullName,
  history,
  pathAt,
  resolveCommitish,
} from './model.ts';

/** Who is asking and how the fake is set up; shared by the REST and GraphQL halves. */
export interface GitHubWorld {
  readonly data: FakeHostData;
  /** The caller's token (already checked), or undefined when anonymous. */
  readonly token: string | undefined;
  /** `https://github.com`, `https://github.corp.example`: where `url` / `html_url` fields point. */
  readonly webOrigin: string;
  /** Serve every tag as an annotated tag object (peeled by the client) rather than a lightweight ref. */
  readonly annotatedTags: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Git objects

export type GitObject =
  | { readonly kind: 'commit'; readonly sha: string; readonly commit: FakeCommit }
  | { readonly kind: 'tag'; readonly sha: string; readonly name: string; readonly commit: FakeCommit }
  | { readonly kind: 'tree'; readonly sha: string; readonly commit: FakeCommit; readonly path: string }
  | { readonly kind: 'blob'; readonly sha: string; readonly path: string; readonly text: string };

const hex = (text: string): string => encodeHexLowerCase(sha1(utf8Bytes(text)));

/** Git's own blob id, so a blob's sha is what `git hash-object` would say. */
export const blobSha = (text: string): string => {
  const bytes = utf8Bytes(text);
  return encodeHexLowerCase(sha1(new Uint8Array([...utf8Bytes(`blob ${bytes.length}\0`), ...bytes])));
};
const treeSha = (commit: FakeCommit, path: string): string => hex(`tree\n${commit.sha}\n${path}`);
export const tagObjectSha = (repo: FakeRepo, name: string): string => hex(`tag\n${fullName(repo)}\n${name}`);

/** A commit of the repository or of its fork network (a fork's PR commits are readable from the base, as on GitHub). */
export function networkCommit(data: FakeHostData, repo: FakeRepo, sha: string): FakeCommit | undefined {
  const own = repo.commits[sha];
  if (own !== undefined) return own;
  const root = repo.forkOf ?? fullName(repo);
  for (const other of data.repos) {
    if (fullName(other) === root || other.forkOf === root) {
      const found = other.commits[sha];
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A named ref (`refs/heads/x`, `refs/tags/v1`) → the object it points at (a tag object for annotated tags). */
export function refTarget(world: GitHubWorld, repo: FakeRepo, qualified: string): GitObject | undefined {
  if (qualified.startsWith('refs/heads/')) {
    const sha = repo.branches[qualified.slice('refs/heads/'.length)];
    const commit = sha === undefined ? undefined : repo.commits[sha];
    return commit === undefined ? undefined : { kind: 'commit', sha: commit.sha, commit };
  }
  if (qualified.startsWith('refs/tags/')) {
    const name = qualified.slice('refs/tags/'.length);
    const sha = repo.tags[name];
    const commit = sha === undefined ? undefined : repo.commits[sha];
    if (commit === undefined) return undefined;
    return world.annotatedTags
      ? { kind: 'tag', sha: tagObjectSha(repo, name), name, commit }
      : { kind: 'commit', sha: commit.sha, commit };
  }
  const pull = /^refs\/pull\/([0-9]+)\/head$/.exec(qualified);
  if (pull !== null) {
    const found = repo.pulls.find((p) => p.number === Number(pull[1]));
    const commit = found === undefined ? undefined : networkCommit(world.data, repo, found.headSha);
    return commit === undefined ? undefined : { kind: 'commit', sha: commit.sha, commit };
  }
  return undefined;
}

/** What `git rev-parse <rev>` names: HEAD, a qualified ref, a bare branch/tag name, or a (short) sha. */
export function revision(world: GitHubWorld, repo: FakeRepo, rev: string): GitObject | undefined {
  if (rev === 'HEAD') return refTarget(world, repo, `refs/heads/${repo.defaultBranch}`);
  if (rev.startsWith('refs/')) return refTarget(world, repo, rev);
  const found = resolveCommitish(repo, rev);
  if (found === undefined) return undefined;
  if (found.kind === 'branch') return refTarget(world, repo, `refs/heads/${found.name}`);
  if (found.kind === 'tag') return refTarget(world, repo, `refs/tags/${found.name}`);
  const commit = repo.commits[found.sha];
  return commit === undefined ? undefined : { kind: 'commit', sha: commit.sha, commit };
}

/** `<rev>` or `<rev>:<path>`, as GitHub's `object(expression:)` reads it. */
export function revParse(world: GitHubWorld, repo: FakeRepo, expression: string): GitObject | undefined {
  const colon = expression.indexOf(':');
  if (colon === -1) return revision(world, repo, expression);
  const target = revision(world, repo, expression.slice(0, colon));
  if (target === undefined || (target.kind !== 'commit' && target.kind !== 'tag')) return undefined;
  return objectAtPath(target.commit, expression.slice(colon + 1));
}

export function objectAtPath(
  commit: FakeCommit,
  path: string,
): Extract<GitObject, { kind: 'tree' | 'blob' }> | undefined {
  const clean = path.replace(/^\/+|\/+$/g, '');
  if (clean === '') return { kind: 'tree', sha: treeSha(commit, ''), commit, path: '' };
  const found = pathAt(commit, clean);
  if (found === undefined) return undefined;
  return found.kind === 'file'
    ? { kind: 'blob', sha: blobSha(found.text), path: clean, text: found.text }
    : { kind: 'tree', sha: treeSha(commit, clean), commit, path: clean };
}

// ---------------------------------------------------------------------------------------------------------------
// GraphQL

const SDL = /* GraphQL */ `
  scalar GitObjectID
  scalar URI
  scalar DateTime

  type Query {
    repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
    viewer: User!
    rateLimit: RateLimit
  }

  type RateLimit {
    cost: Int!
    limit: Int!
    remaining: Int!
    used: Int!
    resetAt: DateTime!
  }

  interface Node {
    id: ID!
  }

  interface Actor {
    login: String!
    url: URI!
  }

  interface RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type User implements Node & Actor & RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type Organization implements Node & Actor & RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type Repository implements Node {
    id: ID!
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    isPrivate: Boolean!
    isFork: Boolean!
    parent: Repository
    url: URI!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
    object(expression: String, oid: GitObjectID): GitObject
    issueOrPullRequest(number: Int!): IssueOrPullRequest
    pullRequest(number: Int!): PullRequest
    issue(number: Int!): Issue
  }

  type Ref implements Node {
    id: ID!
    name: String!
    prefix: String!
    target: GitObject
    repository: Repository!
  }

  interface GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    repository: Repository!
  }

  type Commit implements Node & GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    repository: Repository!
    message: String!
    messageHeadline: String!
    committedDate: DateTime!
    url: URI!
    tree: Tree!
    "First-parent history from this commit, newest first (GitHub's own order for a linear history)."
    history(first: Int): CommitHistoryConnection!
  }

  type CommitHistoryConnection {
    totalCount: Int!
    nodes: [Commit!]!
  }

  type Tree implements Node & GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    repository: Repository!
    entries: [TreeEntry!]
  }

  type TreeEntry {
    name: String!
    path: String
    type: String!
    oid: GitObjectID!
    object: GitObject
  }

  type Blob implements Node & GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    repository: Repository!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    text: String
  }

  type Tag implements Node & GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    repository: Repository!
    name: String!
    message: String
    target: GitObject!
  }

  enum PullRequestState {
    OPEN
    CLOSED
    MERGED
  }

  enum IssueState {
    OPEN
    CLOSED
  }

  type PullRequest implements Node {
    id: ID!
    number: Int!
    title: String!
    state: PullRequestState!
    merged: Boolean!
    url: URI!
    author: Actor
    repository: Repository!
    baseRepository: Repository
    baseRefName: String!
    baseRefOid: GitObjectID!
    baseRef: Ref
    headRepository: Repository
    headRepositoryOwner: RepositoryOwner
    headRefName: String!
    headRefOid: GitObjectID!
    headRef: Ref
    isCrossRepository: Boolean!
  }

  type Issue implements Node {
    id: ID!
    number: Int!
    title: String!
    state: IssueState!
    url: URI!
    author: Actor
    repository: Repository!
  }

  union IssueOrPullRequest = Issue | PullRequest
`;

let schema: GraphQLSchema | undefined;

/** An error GitHub reports with a top-level `type` (`NOT_FOUND`, `FORBIDDEN`…) beside the message. */
class GitHubGraphqlError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export interface GraphqlAnswer {
  readonly data?: unknown;
  readonly errors?: readonly Record<string, unknown>[];
}

/** Runs one GraphQL request body for an authenticated caller. */
export async function executeGraphql(
  world: GitHubWorld,
  viewer: FakeUser,
  body: unknown,
): Promise<GraphqlAnswer> {
  schema ??= buildSchema(SDL);
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof request.query !== 'string') {
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  }
  const result = await graphql({
    schema,
    source: request.query,
    rootValue: {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = findRepo(world.data, owner, name);
        if (repo === undefined || !canSee(world.data, repo, world.token)) {
          throw new GitHubGraphqlError(
            'NOT_FOUND',
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          );
        }
        return repositoryView(world, repo);
      },
      viewer: () => userView(world, viewer.login, viewer.id),
      rateLimit: () => ({ cost: 1, limit: 5000, remaining: 4999, used: 1, resetAt: '2030-01-01T00:00:00Z' }),
    },
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
    ...(typeof request.operationName === 'string' && { operationName: request.operationName }),
  });
  const errors = result.errors?.map(githubErrorShape);
  return { ...(result.data !== undefined && { data: result.data }), ...(errors !== undefined && { errors }) };
}

function githubErrorShape(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError;
  if (original instanceof GitHubGraphqlError) {
    return { type: original.type, path: error.path, locations: error.locations, message: error.message };
  }
  return {
    path: error.path,
    locations: error.locations,
    ...(error.extensions !== undefined &&
      Object.keys(error.extensions).length > 0 && { extensions: error.extensions }),
    message: error.message,
  };
}

const nodeId = (type: string, key: string | number): string => btoa(`${type}:${key}`).replace(/=+$/, '');

/** The fake's owners of original (non-fork) repositories are organisations; everyone else is a user. */
export function isOrganization(data: FakeHostData, login: string): boolean {
  const lower = login.toLowerCase();
  return data.repos.some((r) => r.owner.toLowerCase() === lower && r.forkOf === undefined);
}

function userView(world: GitHubWorld, login: string, id: number | string = login) {
  const isOrg = isOrganization(world.data, login);
  return {
    __typename: isOrg ? 'Organization' : 'User',
    id: nodeId(isOrg ? 'Organization' : 'User', id),
    login,
    url: `${world.webOrigin}/${login}`,
  };
}

function repositoryView(world: GitHubWorld, repo: FakeRepo): Record<string, unknown> {
  const url = `${world.webOrigin}/${fullName(repo)}`;
  const parent = repo.forkOf === undefined ? undefined : findRepo(world.data, ...split(repo.forkOf));
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    name: repo.name,
    nameWithOwner: fullName(repo),
    owner: userView(world, repo.owner),
    isPrivate: repo.private,
    isFork: repo.forkOf !== undefined,
    parent: () =>
      parent !== undefined && canSee(world.data, parent, world.token) ? repositoryView(world, parent) : null,
    url,
    defaultBranchRef: () => refView(world, repo, `refs/heads/${repo.defaultBranch}`),
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      if (qualifiedName.startsWith('refs/')) return refView(world, repo, qualifiedName);
      return (
        refView(world, repo, `refs/heads/${qualifiedName}`) ??
        refView(world, repo, `refs/tags/${qualifiedName}`)
      );
    },
    object: ({ expression, oid }: { expression?: string; oid?: string }) => {
      const found =
        expression !== undefined
          ? revParse(world, repo, expression)
          : oid !== undefined && /^[0-9a-f]{40}$/.test(oid)
            ? revision(world, repo, oid)
            : undefined;
      return found === undefined ? null : objectView(world, repo, found);
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const pull = repo.pulls.find((p) => p.number === number);
      if (pull !== undefined) return pullView(world, repo, pull);
      const issue = repo.issues.find((i) => i.number === number);
      if (issue !== undefined) return issueView(world, repo, issue);
      throw new GitHubGraphqlError(
        'NOT_FOUND',
        `Could not resolve to an issue or pull request with the number of ${number}.`,
      );
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = repo.pulls.find((p) => p.number === number);
      if (pull !== undefined) return pullView(world, repo, pull);
      throw new GitHubGraphqlError(
        'NOT_FOUND',
        `Could not resolve to a PullRequest with the number of ${number}.`,
      );
    },
    issue: ({ number }: { number: number }) => {
      const issue = repo.issues.find((i) => i.number === number);
      if (issue !== undefined) return issueView(world, repo, issue);
      throw new GitHubGraphqlError(
        'NOT_FOUND',
        `Could not resolve to an Issue with the number of ${number}.`,
      );
    },
  };
}

const split = (ownerSlashName: string): [string, string] => {
  const slash = ownerSlashName.lastIndexOf('/');
  return [ownerSlashName.slice(0, slash), ownerSlashName.slice(slash + 1)];
};

function refView(world: GitHubWorld, repo: FakeRepo, qualified: string): Record<string, unknown> | null {
  const target = refTarget(world, repo, qualified);
  if (target === undefined) return null;
  const prefix = qualified.startsWith('refs/heads/')
    ? 'refs/heads/'
    : qualified.startsWith('refs/tags/')
      ? 'refs/tags/'
      : 'refs/';
  return {
    __typename: 'Ref',
    id: nodeId('Ref', `${repo.id}:${qualified}`),
    name: qualified.slice(prefix.length),
    prefix,
    target: () => objectView(world, repo, target),
    repository: () => repositoryView(world, repo),
  };
}

function objectView(world: GitHubWorld, repo: FakeRepo, object: GitObject): Record<string, unknown> {
  const common = {
    id: nodeId(object.kind, object.sha),
    oid: object.sha,
    abbreviatedOid: object.sha.slice(0, 7),
    repository: () => repositoryView(world, repo),
  };
  switch (object.kind) {
    case 'commit':
      return {
        ...common,
        __typename: 'Commit',
        message: object.commit.message,
        messageHeadline: object.commit.message.split('\n')[0],
        committedDate: object.commit.date,
        url: `${world.webOrigin}/${fullName(repo)}/commit/${object.sha}`,
        history: ({ first }: { first?: number }) => {
          const commits = history(repo, object.sha, Math.min(first ?? 100, 100));
          return {
            totalCount: history(repo, object.sha, Number.MAX_SAFE_INTEGER).length,
            nodes: commits.map((c) => objectView(world, repo, { kind: 'commit', sha: c.sha, commit: c })),
          };
        },
        tree: () =>
          objectView(world, repo, {
            kind: 'tree',
            sha: treeSha(object.commit, ''),
            commit: object.commit,
            path: '',
          }),
      };
    case 'tag':
      return {
        ...common,
        __typename: 'Tag',
        name: object.name,
        message: `Release ${object.name}\n`,
        target: () =>
          objectView(world, repo, { kind: 'commit', sha: object.commit.sha, commit: object.commit }),
      };
    case 'tree': {
      const listing = pathAt(object.commit, object.path);
      return {
        ...common,
        __typename: 'Tree',
        entries: () =>
          listing?.kind === 'folder'
            ? listing.entries.map((entry) => {
                const path = object.path === '' ? entry.name : `${object.path}/${entry.name}`;
                const child = objectAtPath(object.commit, path);
                return {
                  name: entry.name,
                  path,
                  type: entry.kind === 'file' ? 'blob' : 'tree',
                  oid: child?.sha,
                  object: child === undefined ? null : objectView(world, repo, child),
                };
              })
            : [],
      };
    }
    case 'blob':
      return {
        ...common,
        __typename: 'Blob',
        byteSize: utf8Bytes(object.text).length,
        isBinary: false,
        isTruncated: false,
        text: object.text,
      };
  }
}

function pullView(world: GitHubWorld, repo: FakeRepo, pull: FakePull): Record<string, unknown> {
  const head = findRepo(world.data, ...split(pull.headRepo));
  const headVisible = head !== undefined && canSee(world.data, head, world.token);
  const headBranchExists = headVisible && !pull.headDeleted && head.branches[pull.headRef] !== undefined;
  return {
    __typename: 'PullRequest',
    id: nodeId('PullRequest', `${repo.id}:${pull.number}`),
    number: pull.number,
    title: pull.title,
    state: pull.state.toUpperCase(),
    merged: pull.state === 'merged',
    url: `${world.webOrigin}/${fullName(repo)}/pull/${pull.number}`,
    author: userView(world, pull.author),
    repository: () => repositoryView(world, repo),
    baseRepository: () => repositoryView(world, repo),
    baseRefName: pull.baseRef,
    baseRefOid: repo.branches[pull.baseRef] ?? '0'.repeat(40),
    baseRef: () => refView(world, repo, `refs/heads/${pull.baseRef}`),
    headRepository: () => (headVisible ? repositoryView(world, head) : null),
    headRepositoryOwner: () => (headVisible ? userView(world, head.owner) : null),
    headRefName: pull.headRef,
    headRefOid: pull.headSha,
    headRef: () => (headBranchExists ? refView(world, head, `refs/heads/${pull.headRef}`) : null),
    isCrossRepository: pull.headRepo.toLowerCase() !== fullName(repo).toLowerCase(),
  };
}

function issueView(world: GitHubWorld, repo: FakeRepo, issue: FakeIssue): Record<string, unknown> {
  return {
    __typename: 'Issue',
    id: nodeId('Issue', `${repo.id}:${issue.number}`),
    number: issue.number,
    title: issue.title,
    state: issue.state.toUpperCase(),
    url: `${world.webOrigin}/${fullName(repo)}/issues/${issue.number}`,
    author: userView(world, issue.author),
    repository: () => repositoryView(world, repo),
  };
}
