// One call to a backend's API with its answer read as JSON, and every failure turned into a LaunchError a person can
// act on — no access, quota, unknown template, unreachable — whose way out is the plain hand-off link. Never puts a
// token in a message.

import { err, ok, type Result } from '../../../shared/result.ts';
import { LaunchError, type LaunchErrorCode } from '../errors.ts';
import type { BackendConfig } from './backend.ts';

const TIMEOUT_MS = 10_000;

export interface BackendCall {
  readonly method?: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface BackendAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** `fetch` the call; 2xx and the statuses in `accept` answer, anything else is a LaunchError. */
export async function callBackend(
  config: BackendConfig,
  call: BackendCall,
  wayOut: string | undefined,
  explain: (
    status: number,
    json: Record<string, unknown>,
  ) => { code: LaunchErrorCode; detail: string } | undefined,
  accept: readonly number[] = [],
  fetcher: typeof fetch = fetch,
): Promise<Result<BackendAnswer, LaunchError>> {
  let response: Response;
  try {
    response = await fetcher(call.url, {
      method: call.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(call.body !== undefined && { 'content-type': 'application/json' }),
        ...call.headers,
      },
      ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return err(
      backendError(
        config,
        'cluster-unavailable',
        `${config.displayName} did not answer. Try again in a minute.`,
        wayOut,
      ),
    );
  }
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    // An empty or non-JSON body: the status decides.
  }
  if (response.ok || accept.includes(response.status)) return ok({ status: response.status, json });
  const explained = explain(response.status, json);
  return err(
    backendError(
      config,
      explained?.code ?? 'cluster-unavailable',
      explained?.detail ??
        `${config.displayName} answered HTTP ${response.status}. Try again, or use the link instead.`,
      wayOut,
    ),
  );
}

export function backendError(
  config: BackendConfig,
  code: LaunchErrorCode,
  detail: string,
  handoffUrl: string | undefined,
): LaunchError {
  return new LaunchError(code, {
    title: `${config.displayName} could not start the workspace`,
    detail,
    wayOut:
      handoffUrl === undefined
        ? { label: 'Back to the start', href: '/' }
        : { label: `Open it on ${config.displayName} with the link instead`, href: handoffUrl },
    ...(code === 'no-capacity' && { retryAfterSeconds: 60 }),
  });
}

/** The backend's own message (`message`, Coder's `detail`), short and on one line, never a token. */
export function messageOf(json: Record<string, unknown>): string {
  const parts = [json.message, json.detail].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.join(': ').replace(/\s+/g, ' ').slice(0, 300);
}
