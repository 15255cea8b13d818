// Outbound fetch in worker tests, answered by fake hosts keyed by origin. Records every request and counts
// sequential round trips (a request that starts while none is in flight opens a new round trip). Anything without
// a fake is refused with 599, like the pool's outboundService.

import { vi } from 'vitest';

export type FakeHandler = (request: Request) => Response | Promise<Response>;

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly roundTrip: number;
  readonly headers: Headers;
}

export interface FakeHosts {
  readonly requests: RecordedRequest[];
  /** Sequential round trips since install (or the last reset). */
  roundTrips(): number;
  reset(): void;
  restore(): void;
}

export function installFakeHosts(routes: Readonly<Record<string, FakeHandler>>): FakeHosts {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let roundTrip = 0;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    if (inFlight === 0) roundTrip++;
    inFlight++;
    requests.push({ method: request.method, url: request.url, roundTrip, headers: request.headers });
    try {
      const handler = routes[new URL(request.url).origin];
      if (handler === undefined) {
        return new Response(`Launchpod tests refuse outbound requests: ${request.method} ${request.url}`, {
          status: 599,
        });
      }
      // A caller's timeout (AbortSignal.timeout) ends the wait as it would for a real slow host.
      const signal = request.signal;
      if (signal.aborted) throw signal.reason;
      return await new Promise<Response>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        Promise.resolve(handler(request)).then(resolve, reject);
      });
    } finally {
      inFlight--;
    }
  });
  return {
    requests,
    roundTrips: () => roundTrip,
    reset: () => {
      requests.length = 0;
      roundTrip = 0;
    },
    restore: () => spy.mockRestore(),
  };
}
