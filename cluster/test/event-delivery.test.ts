// The outbox against a launcher that answers each event its own way: retries what may pass later (network, 5xx,
// 429), gives up at once on what cannot (409 already applied, 404 unknown), and keeps later events moving.

import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../shared/cluster-contract.ts';
import { EventOutbox } from '../src/event-delivery.ts';

const event = (sequence: number): ClusterEvent => ({
  cluster: 'test',
  sequence,
  workspace: { id: 'ws-1', phase: 'running', url: 'http://127.0.0.1/workspaces/ws-1', updatedAt: '' },
});

function outbox(answers: Record<number, number[]>) {
  const seen: number[] = [];
  const logs: string[] = [];
  const box = new EventOutbox({
    clusterName: 'test',
    secret: 'secret-0123456789abcdef',
    retry: { initialMs: 1, maxMs: 2, attempts: 5 },
    nowSeconds: () => 1_800_000_000,
    log: (entry) => logs.push(String(entry.message)),
    fetch: async (_url, init) => {
      const { sequence } = JSON.parse(String(init?.body)) as ClusterEvent;
      seen.push(sequence);
      const status = answers[sequence]?.shift() ?? 200;
      return new Response(null, { status });
    },
  });
  return { box, seen, logs };
}

describe('event delivery', () => {
  it('does not retry an event the launcher refused for good, and delivers the next one', async () => {
    const { box, seen, logs } = outbox({ 1: [409], 2: [404] });
    box.enqueue('http://launcher/api/v1/cluster-events', event(1));
    box.enqueue('http://launcher/api/v1/cluster-events', event(2));
    box.enqueue('http://launcher/api/v1/cluster-events', event(3));
    await expect.poll(() => seen).toEqual([1, 2, 3]);
    expect(logs.join('\n')).toContain('event 1 for ws-1 refused by the launcher: HTTP 409');
  });

  it('retries what may pass later: 5xx, 429 and 408', async () => {
    const { box, seen } = outbox({ 1: [503, 429, 408] });
    box.enqueue('http://launcher/api/v1/cluster-events', event(1));
    box.enqueue('http://launcher/api/v1/cluster-events', event(2));
    await expect.poll(() => seen).toEqual([1, 1, 1, 1, 2]);
  });
});
