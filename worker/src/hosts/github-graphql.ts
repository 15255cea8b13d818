// GitHub with a token: ONE GraphQL query per launch settles the revision, file or folder, pull request or issue and
// `.gitpod.yml`. Every interpolated string travels as a variable.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { GitHubApi } from './github-api.ts';
import {
  finish,
  issueResult,
  type PathKind,
  type Plan,
  type PullFacts,
  planOf,
  pullResult,
  type RepositoryContext,
  type Settled,
  visibilityOf,
} from './github-context.ts';
import { emptyRepository, itemNotFound, refNotFound, repoRefOf } from './github-errors.ts';
import type { ResolveInput } from './host-resolver.ts';
import { CONFIG_FILE } from './resolver-common.ts';

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

export interface GqlRepository {
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
export class GraphqlQuery {
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

export async function resolveWithGraphql(api: GitHubApi, input: ResolveInput): Promise<ResolvedContext> {
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
