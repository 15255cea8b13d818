// Every failure a user can hit, as a typed value with a message a person can act on and a way out. One place
// (app.ts onError) turns them into an HTML page or a problem+json body. Never carries a token.

export type LaunchErrorCode =
  | 'invalid-input'
  | 'unsupported-host'
  | 'repo-not-found'
  | 'private-repo'
  | 'ref-not-found'
  | 'path-not-found'
  | 'pr-not-found'
  | 'pr-head-deleted'
  | 'issue-not-found'
  | 'rate-limited'
  | 'host-unavailable'
  | 'invalid-config'
  | 'no-capacity'
  | 'workspace-not-found'
  | 'payload-too-large'
  | 'bad-request'
  | 'not-found'
  | 'sign-in-required'
  | 'forbidden'
  /** The workspace cannot do that now (restart a deleted one). */
  | 'conflict'
  /** Its cluster did not answer. */
  | 'cluster-unavailable'
  /** A bug or an outage of our own: the one code that answers 500. */
  | 'internal';

const STATUS: Record<LaunchErrorCode, number> = {
  'invalid-input': 400,
  'unsupported-host': 400,
  'repo-not-found': 404,
  'private-repo': 403,
  'ref-not-found': 404,
  'path-not-found': 404,
  'pr-not-found': 404,
  'pr-head-deleted': 410,
  'issue-not-found': 404,
  'rate-limited': 429,
  'host-unavailable': 502,
  'invalid-config': 422,
  'no-capacity': 503,
  'workspace-not-found': 404,
  'payload-too-large': 413,
  'bad-request': 400,
  'not-found': 404,
  'sign-in-required': 401,
  forbidden: 403,
  conflict: 409,
  'cluster-unavailable': 502,
  internal: 500,
};

export interface WayOut {
  readonly label: string;
  /** A path on the launcher or a URL on the git host the user came from; never built from unchecked input. */
  readonly href: string;
}

export interface LaunchErrorInit {
  readonly title: string;
  readonly detail: string;
  readonly wayOut?: WayOut;
  readonly retryAfterSeconds?: number;
  /** Facts for the API body (e.g. `{ line: 12 }` for an invalid config); plain data only. */
  readonly facts?: Readonly<Record<string, unknown>>;
}

export class LaunchError extends Error {
  readonly code: LaunchErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly wayOut: WayOut | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly facts: Readonly<Record<string, unknown>>;

  constructor(code: LaunchErrorCode, init: LaunchErrorInit) {
    super(`${code}: ${init.detail}`);
    this.name = 'LaunchError';
    this.code = code;
    this.status = STATUS[code];
    this.title = init.title;
    this.detail = init.detail;
    this.wayOut = init.wayOut;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.facts = init.facts ?? {};
  }

  /** RFC 9457 problem details. */
  toProblem(instance?: string): Record<string, unknown> {
    return {
      type: `https://launchpod.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance !== undefined && { instance }),
      ...(this.retryAfterSeconds !== undefined && { retryAfter: this.retryAfterSeconds }),
      ...(this.wayOut !== undefined && { wayOut: this.wayOut }),
      ...this.facts,
    };
  }
}
