// GitHub's REST and GraphQL as the GitHub client calls them, over hostFetch (retries, rate limits, the host's
// failures as LaunchErrors) — what it used Octokit's `request` and `graphql` for, request for request: route
// templates with their parameters encoded, the rest as the query, `token` authorization, JSON bodies, GraphQL errors
// beside partial data. Never sends the token anywhere but the Authorization header, nor puts it in an error.
//
// Written out instead of depending on @octokit/core: those two calls were all the launcher used of it, and the
// library (with its endpoint, request and JSON packages) was 8 KiB of the Worker's gzipped bundle, evaluated on every
// cold start. The other host families' clients talk to their APIs the same way.

import type { LaunchError } from '../errors.ts';
import { type HostHttpOptions, hostFetch } from './host-http.ts';

export interface GitHubResponse<T> {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: T;
}

type Parameter = string | number | undefined;

export interface RequestOptions {
  /** Replaces the default `accept: application/vnd.github.v3+json`, e.g. `application/vnd.github.sha`. */
  readonly accept?: string;
  /** The body as a stream, unread: for the raw and sha media types, whose text the caller reads itself. */
  readonly unparsed?: boolean;
}

/** GitHub answered 4xx or 5xx (or 304): `status` is what it answered, `data` its body. */
export class GitHubHttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {
    super(errorMessage(data));
  }
}

/** A GraphQL answer with `errors`, beside whatever `data` it still carried (GitHub answers both, with HTTP 200). */
export class GraphqlResponseError extends Error {
  override readonly name = 'GraphqlResponseError';
  constructor(
    readonly errors: readonly GraphqlError[],
    readonly data: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(
      `Request failed due to following response errors:\n${errors.map((e) => ` - ${e.message}`).join('\n')}`,
    );
  }
}

export interface GraphqlError {
  readonly type?: string;
  readonly path?: readonly (string | number)[];
  readonly message?: string;
}

/** hostFetch's typed error (host down, rate limited, a path that folds), carried to the client's error handling. */
export class HostFailure extends Error {
  override readonly name = 'HostFailure';
  constructor(readonly launchError: LaunchError) {
    super(launchError.message);
  }
}

export class GitHubHttp {
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    private readonly baseUrl: string,
    token: string | undefined,
    private readonly options: HostHttpOptions,
  ) {
    this.headers = {
      accept: 'application/vnd.github.v3+json',
      'user-agent': 'launchpod',
      ...(token !== undefined && { authorization: authorization(token) }),
    };
  }

  /**
   * `request('GET /repos/{owner}/{repo}/commits', { owner, repo, sha, per_page: 100 })`: the route's `{names}` are
   * filled in (each value percent-encoded whole, so `heads/a b` is `heads%2Fa%20b`), the other parameters become
   * the query. Throws GitHubHttpError for 304 and 4xx/5xx answers, HostFailure when hostFetch gave up.
   */
  async request<T>(
    route: string,
    parameters: Readonly<Record<string, Parameter>>,
    options: RequestOptions = {},
  ): Promise<GitHubResponse<T>> {
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const used = new Set<string>();
    // A trailing slash left by an empty last parameter is dropped, as RFC 6570 expansion in Octokit did.
    const path = route
      .slice(space + 1)
      .replace(/\{(\w+)\}/g, (_, name: string) => {
        used.add(name);
        const value = parameters[name];
        return value === undefined ? '' : encodeUnreserved(String(value));
      })
      .replace(/\/$/, '');
    const query: string[] = [];
    for (const [name, value] of Object.entries(parameters)) {
      if (!used.has(name) && value !== undefined) query.push(`${name}=${encodeURIComponent(value)}`);
    }
    const url = `${this.baseUrl}${path}${query.length === 0 ? '' : `?${query.join('&')}`}`;
    const headers = options.accept === undefined ? this.headers : { ...this.headers, accept: options.accept };
    return this.send<T>(url, { method, headers }, options.unparsed === true);
  }

  /** One GraphQL query; `data` when GitHub answered without errors. Enterprise serves it at `/api/graphql`. */
  async graphql<T>(query: string, variables: Readonly<Record<string, unknown>>): Promise<T> {
    const url = GHES_V3.test(this.baseUrl)
      ? this.baseUrl.replace(GHES_V3, '/api/graphql')
      : `${this.baseUrl}/graphql`;
    const body: Record<string, unknown> = { query };
    if (Object.keys(variables).length > 0) body.variables = variables;
    const response = await this.send<{ data?: T; errors?: GraphqlError[] }>(
      url,
      {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      },
      false,
    );
    const answer = response.data;
    if (answer.errors) throw new GraphqlResponseError(answer.errors, answer.data, response.headers);
    return answer.data as T;
  }

  private async send<T>(url: string, init: RequestInit, unparsed: boolean): Promise<GitHubResponse<T>> {
    const fetched = await hostFetch(url, init, this.options);
    if (!fetched.ok) throw new HostFailure(fetched.error);
    const response = fetched.value;
    const headers: Record<string, string> = {};
    for (const [key, value] of response.headers) headers[key] = value;
    const { status } = response;
    if (status === 204 || status === 205) {
      await response.body?.cancel();
      return { status, headers, data: '' as T };
    }
    if (status === 304 || status >= 400) throw new GitHubHttpError(status, await bodyOf(response));
    const data = unparsed ? response.body : await bodyOf(response);
    return { status, headers, data: data as T };
  }
}

const GHES_V3 = /\/api\/v3\/?$/;

/** `token <t>`, or `bearer <t>` for a JWT (three dot-separated parts), as GitHub expects each. */
const authorization = (token: string): string =>
  token.split('.').length === 3 ? `bearer ${token}` : `token ${token}`;

/** encodeURIComponent, and `!'()*` too (RFC 3986 unreserved characters only stay). */
const encodeUnreserved = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** JSON for JSON media types (the text when it does not parse), text for text, bytes otherwise. */
async function bodyOf(response: Response): Promise<unknown> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '') return response.text().catch(() => '');
  if (type === 'application/json' || type === 'application/scim+json') {
    const text = await response.text().catch(() => '');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  const charset = /;\s*charset\s*=\s*"?utf-8"?/i.test(response.headers.get('content-type') ?? '');
  if (type.startsWith('text/') || (charset && type !== 'application/octet-stream'))
    return response.text().catch(() => '');
  return response.arrayBuffer().catch(() => new ArrayBuffer(0));
}

function errorMessage(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data !== null && typeof data === 'object' && 'message' in data) return String(data.message);
  return 'Unknown error';
}
