// Events as the launcher receives them: one per phase change, signed so `verifyEvent` accepts them, in order with
// a rising sequence, and retried with backoff when the launcher answers 500.

import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspacePhase } from '../../shared/cluster-contract.ts';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

const phasesOf = (h: Harness, id: string): WorkspacePhase[] =>
  h.launcher.events.filter((e) => e.workspace.id === id).map((e) => e.workspace.phase);

describe('events', () => {
  it('posts a signed event for every phase change, in order, with a rising sequence', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const request = startRequest({
      cloneUrl: repo.url,
      sha: repo.git('rev-parse', 'HEAD'),
      tasks: [{ init: 'true' }],
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    await h.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    await h.waitFor(request.id, 'stopped');

    await expect
      .poll(() => phasesOf(h, request.id), { timeout: 20_000 })
      .toEqual(['pending', 'creating', 'initializing', 'running', 'stopping', 'stopped']);
    const events = h.launcher.events.filter((e) => e.workspace.id === request.id);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.cluster === 'test')).toBe(true);
    expect(events[3]?.workspace).toMatchObject({
      startedFrom: 'git',
      url: `http://${request.id}.localhost:8788/`,
    });
    expect(h.launcher.rejected).toEqual([]);
  });

  it('retries after the launcher answers 500, without holding the workspace back', async () => {
    const h = makeHarness();
    open.push(h);
    h.launcher.failNext = 3;
    const repo = makeRepo(tempDir());
    const request = startRequest({ cloneUrl: repo.url, sha: repo.git('rev-parse', 'HEAD') });
    await h.start(request);
    expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
    await expect
      .poll(() => phasesOf(h, request.id), { timeout: 20_000 })
      .toEqual(['pending', 'creating', 'initializing', 'running']);
    expect(h.launcher.attempts).toBe(4 + 3);
  });
});
