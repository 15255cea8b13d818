// Redeems a start request's one-time credential URL for git's username and password. Called at most once per
// workspace; the answer lives only in memory for that workspace's git commands. Never logs or stores it.

import {
  type CloneCredential,
  credentialRedemptionBody,
  EVENT_HEADERS,
  signEvent,
} from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';

export interface RedeemOptions {
  readonly fetch: typeof fetch;
  readonly clusterName: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly nowSeconds: () => number;
}

const WAY_OUT = 'Start the workspace again from the launcher to get a fresh one.';

export async function redeemCloneCredential(
  url: string,
  options: RedeemOptions,
): Promise<Result<CloneCredential, string>> {
  // The URL itself is the secret; the signature (same scheme as events, over a body naming the credential) lets
  // the launcher tell that this cluster, not whoever copied the URL, redeemed this credential and no other.
  const timestamp = options.nowSeconds();
  const redemption = credentialRedemptionBody(url);
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      body: redemption,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        [EVENT_HEADERS.cluster]: options.clusterName,
        [EVENT_HEADERS.timestamp]: String(timestamp),
        [EVENT_HEADERS.signature]: signEvent(options.secret, timestamp, redemption),
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch {
    return err(`The clone credential could not be fetched: the launcher did not answer. ${WAY_OUT}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return err(
      `The clone credential could not be redeemed (HTTP ${response.status}): it may have expired or been used. ${WAY_OUT}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return err(`The clone credential answer was not JSON. ${WAY_OUT}`);
  }
  const record = body as Partial<Record<keyof CloneCredential, unknown>> | null;
  if (
    typeof record?.username !== 'string' ||
    typeof record.password !== 'string' ||
    /[\n\0]/.test(record.username + record.password)
  ) {
    return err(`The clone credential answer had no username and password. ${WAY_OUT}`);
  }
  return ok({ username: record.username, password: record.password });
}
