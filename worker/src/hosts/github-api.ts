// GitHub's API for the launcher: REST and GraphQL through github-http.ts (every request through hostFetch), and
// what a failed request means to a person. Never puts a token anywhere but the Authorization header.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { LaunchError } from '../errors.ts';
import type { PathKind } from './github-context.ts';
import { privateRepo, repoNotFound } from './github-errors.ts';
import { type GqlRepository, GraphqlQuery } from './github-graphql.ts';
import { GitHubHttp, GitHubHttpError, GraphqlResponseError, HostFailure } from './github-http.ts';
import { type HostHttpOptions, rateLimit } from './host-http.ts';
import type { HostCredentials, HttpTuning } from './host-resolver.ts';

export interface RepoJson {
  readonly name: string;
  readonly full_name: string;
  readonly owner: { readonly login: string };
  readonly private: boolean;
  readonly default_branch: string;
}

export interface PullJson {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly merged_at: string | null;
  readonly head: { readonly ref: string; readonly sha: string; readonly repo: RepoJson | null };
  readonly base: { readonly ref: string; readonly repo: RepoJson };
}

export interface IssueJson {
  readonly number: number;
  readonly title: string;
  readonly user: { readonly login: string } | null;
  readonly pull_request?: unknown;
}

export interface RefListing {
  readonly refs: readonly {
    readonly ref: string;
    readonly object: { readonly sha: string; readonly type: string };
  }[];
  /** GitHub paginated the answer: refs past the first page were not seen. */
  readonly truncated: boolean;
}

export class GitHubApi {
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
