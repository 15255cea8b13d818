// Talking to a git host's API: bounded retries with backoff when the host is down, rate limits turned into a typed
// error that says when to retry (from the host's own headers), and no token ever in an error or a log line.

import { err, ok, type Result } from '../../../shared/result.ts';
import { LaunchError } from '../errors.ts';

export interface HostHttpOptions {
  /** "GitHub", "gitlab.corp.example"… for messages. */
  readonly hostLabel: string;
  /** Where the user can check the host's state, for the way out of "host unavailable". */
  readonly hostWebUrl: string;
  readonly fetch?: typeof fetch;
  /** Attempts for network errors and 5xx answers (default 3: two retries). */
  readonly attempts?: number;
  /** Waits between attempts, in ms (default 150, 450). Tests pass zeros. */
  readonly backoffMs?: readonly number[];
  readonly now?: () => number;
}

export const defaultBackoffMs: readonly number[] = [150, 450];

// `..`, `.`, `%2e%2E`, `.%2e` — segments a URL parser folds (`a/b/../c` is `a/c`).
const FOLDING_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Whether fetching `url` would ask for another path than the one built: a segment of its path folds. The grammar
 * already refuses dot segments in what users paste; this also covers names a host's own answer put in a path.
 */
export function foldsPath(url: string): boolean {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*/i, '');
  const path = rest.split(/[?#]/, 1)[0] ?? '';
  // Browsers and the URL parser read `\` as `/` in http(s) URLs.
  return path.split(/[/\\]/).some((segment) => FOLDING_SEGMENT.test(segment));
}

/**
 * Fetches with retries. Answers the response for 2xx, 3xx and the 4xx a caller interprets itself (404, 403 that
 * is not a rate limit, 401, 409, 422); turns rate limits into `rate-limited` and persistent 5xx or network
 * failures into `host-unavailable`.
 */
export async function hostFetch(
  url: string,
  init: RequestInit,
  options: HostHttpOptions,
): Promise<Result<Response, LaunchError>> {
  if (foldsPath(url)) {
    return err(
      new LaunchError('invalid-input', {
        title: "A '.' or '..' cannot be part of this path",
        detail: `A name in this request to ${options.hostLabel} is '.' or '..', which would ask for a different path (another repository, possibly). Git refuses such names too.`,
        wayOut: { label: 'Paste another URL', href: '/' },
      }),
    );
  }
  const doFetch = options.fetch ?? fetch;
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = options.backoffMs ?? defaultBackoffMs;
  let lastProblem = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(backoff[Math.min(attempt - 1, backoff.length - 1)] ?? 0);
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      // The error's own text may name addresses; its kind is enough to act on.
      lastProblem =
        cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
          ? 'it timed out'
          : 'no connection';
      continue;
    }
    const limited = rateLimit(response, options.now?.() ?? Date.now());
    if (limited !== undefined) {
      await response.body?.cancel();
      return err(
        new LaunchError('rate-limited', {
          title: `${options.hostLabel} is rate limiting requests`,
          detail: `${options.hostLabel} asked us to slow down. Try again in ${describeSeconds(limited)}, or sign in with ${options.hostLabel} so requests count against your own limit.`,
          retryAfterSeconds: limited,
        }),
      );
    }
    if (response.status >= 500 || response.status === 408) {
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
      continue;
    }
    return ok(response);
  }
  return err(
    new LaunchError('host-unavailable', {
      title: `${options.hostLabel} is not answering`,
      detail: `${options.hostLabel}'s API failed ${attempts} times (${lastProblem}). It may be down or overloaded; try again in a minute.`,
      retryAfterSeconds: 60,
      wayOut: { label: `Open ${options.hostLabel}`, href: options.hostWebUrl },
    }),
  );
}

/**
 * A launcher on this machine's loopback is someone's `npm start`: when a host does not answer, this machine may be
 * offline, and the offline demo is the way to try Launchpod anyway. Any other launcher's visitors never see this.
 */
export function withOfflineDemoHint(error: LaunchError, launcherOrigin: string): LaunchError {
  if (error.code !== 'host-unavailable' || !isLoopback(launcherOrigin)) return error;
  return new LaunchError('host-unavailable', {
    title: error.title,
    detail: `${error.detail} This launcher runs on this machine: if the machine is offline, “npm run demo” (or “npm start -- --demo”) runs Launchpod offline, against fake GitHub, GitLab and Bitbucket hosts.`,
    ...(error.wayOut !== undefined && { wayOut: error.wayOut }),
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    facts: { ...error.facts, offlineDemo: 'npm run demo' },
  });
}

function isLoopback(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * Seconds until the host accepts requests again, when this response says we are limited:
 * `429` (any host), or GitHub's `403` with `x-ratelimit-remaining: 0`. Reads `retry-after` (seconds or date),
 * then `x-ratelimit-reset` / `ratelimit-reset` (epoch seconds). Undefined when not limited.
 */
export function rateLimit(response: Response, nowMs: number): number | undefined {
  const h = response.headers;
  const exhausted = h.get('x-ratelimit-remaining') === '0' || h.get('ratelimit-remaining') === '0';
  if (response.status !== 429 && !(response.status === 403 && exhausted)) return undefined;
  const retryAfter = h.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(1, Math.ceil((date - nowMs) / 1000));
  }
  const reset = Number(h.get('x-ratelimit-reset') ?? h.get('ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    // GitHub and GitLab send an epoch; some proxies send a delta. A value below 10^9 cannot be an epoch.
    return Math.max(1, reset > 1e9 ? Math.ceil(reset - nowMs / 1000) : Math.ceil(reset));
  }
  return 60;
}

function describeSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

const sleep = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
