// Delivers signed phase-change events to each workspace's launcher, in order per workspace, retrying with backoff
// until a 2xx — but not an answer that says retrying cannot help (409: already applied or stale; 4xx refusals), so
// one lost acknowledgement never holds the later events back. Never blocks or fails a workspace: a launcher that
// stays down only loses events after the last try.

import { setTimeout as sleep } from 'node:timers/promises';
import { type ClusterEvent, EVENT_HEADERS, signEvent } from '../../shared/cluster-contract.ts';

export interface RetryPolicy {
  /** Wait before the second attempt; doubled after each failure up to `maxMs`. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Attempts per event, including the first. */
  readonly attempts: number;
}

/** 0.5 s doubling to 30 s over 12 attempts: about four minutes of launcher downtime is bridged. */
export const DEFAULT_EVENT_RETRY: RetryPolicy = { initialMs: 500, maxMs: 30_000, attempts: 12 };

const ATTEMPT_TIMEOUT_MS = 10_000;

export interface EventDeliveryOptions {
  readonly clusterName: string;
  readonly secret: string;
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly nowSeconds: () => number;
  readonly log: (entry: Record<string, unknown>) => void;
}

interface Pending {
  readonly url: string;
  readonly event: ClusterEvent;
}

export class EventOutbox {
  readonly #options: EventDeliveryOptions;
  readonly #queues = new Map<string, Pending[]>();
  readonly #closing = new AbortController();

  constructor(options: EventDeliveryOptions) {
    this.#options = options;
  }

  /** Queues the event behind this workspace's earlier ones; returns at once. */
  enqueue(url: string, event: ClusterEvent): void {
    if (this.#closing.signal.aborted) return;
    const id = event.workspace.id;
    const queue = this.#queues.get(id);
    if (queue !== undefined) {
      queue.push({ url, event });
      return;
    }
    this.#queues.set(id, [{ url, event }]);
    void this.#drain(id);
  }

  /** Abandons undelivered events (they are not persisted: the launcher also polls status). */
  close(): void {
    this.#closing.abort();
    this.#queues.clear();
  }

  async #drain(id: string): Promise<void> {
    const queue = this.#queues.get(id);
    while (queue !== undefined && queue.length > 0 && !this.#closing.signal.aborted) {
      const next = queue[0] as Pending;
      await this.#deliver(next);
      queue.shift();
    }
    if (this.#queues.get(id) === queue) this.#queues.delete(id);
  }

  async #deliver({ url, event }: Pending): Promise<void> {
    const { retry, log } = this.#options;
    const body = JSON.stringify(event);
    let wait = retry.initialMs;
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      if (this.#closing.signal.aborted) return;
      const { problem, final } = await this.#attempt(url, body);
      if (problem === undefined) return;
      if (final) {
        log({
          level: 'warn',
          message: `event ${event.sequence} for ${event.workspace.id} refused by the launcher: ${problem}`,
        });
        return;
      }
      if (attempt === retry.attempts) {
        log({
          level: 'warn',
          message: `event ${event.sequence} for ${event.workspace.id} dropped after ${attempt} attempts: ${problem}`,
        });
        return;
      }
      try {
        await sleep(wait, undefined, { signal: this.#closing.signal });
      } catch {
        return;
      }
      wait = Math.min(wait * 2, retry.maxMs);
    }
  }

  /**
   * One signed POST; answers what went wrong (undefined on a 2xx) and whether it is final: a 4xx other than 408 and
   * 429 (409 for an event the launcher already applied, 404 for a workspace it does not know) does not change with
   * a retry.
   */
  async #attempt(url: string, body: string): Promise<{ problem: string | undefined; final: boolean }> {
    // Signed per attempt: a retry half an hour later must not carry a timestamp the launcher calls stale.
    const timestamp = this.#options.nowSeconds();
    try {
      const response = await this.#options.fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          [EVENT_HEADERS.cluster]: this.#options.clusterName,
          [EVENT_HEADERS.timestamp]: String(timestamp),
          [EVENT_HEADERS.signature]: signEvent(this.#options.secret, timestamp, body),
        },
        signal: AbortSignal.any([AbortSignal.timeout(ATTEMPT_TIMEOUT_MS), this.#closing.signal]),
      });
      await response.body?.cancel();
      if (response.ok) return { problem: undefined, final: false };
      const final =
        response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      return { problem: `HTTP ${response.status}`, final };
    } catch (cause) {
      return { problem: cause instanceof Error ? cause.message : String(cause), final: false };
    }
  }
}
