// A cluster restarted on the same data dir: running workspaces stay listed with their commands started again (in a
// new sandbox);
// workspaces caught part-way through creation are failed, never reported as ready.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

describe('restart recovery', () => {
  // A new sandbox per running workspace after the restart: on a busy machine (a fresh-clone CI run) its command
  // started again more than 5 s after the cluster did.
  it('keeps running workspaces (restarting their commands) and fails half-made ones', async () => {
    const first = makeHarness();
    const repo = makeRepo(tempDir());
    const sha = repo.git('rev-parse', 'HEAD');
    const running = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'serve', command: 'echo serving; exec sleep 30' }],
    });
    const halfMade = startRequest({ cloneUrl: repo.url, sha, tasks: [{ name: 'slow', init: 'sleep 30' }] });
    const stopped = startRequest({ cloneUrl: repo.url, sha });
    await first.start(running);
    await first.start(halfMade);
    await first.start(stopped);
    await first.waitFor(running.id, 'running');
    // Its command has run before the cluster goes down (running is reported as its terminal starts).
    const serveLog = join(first.dataDir, 'workspaces', running.id, 'logs', '1-serve.log');
    const outputs = () => readFileSync(serveLog, 'utf8').match(/^serving$/gm)?.length;
    await expect.poll(outputs, { timeout: 30_000 }).toBe(1);
    await first.waitFor(halfMade.id, 'initializing');
    await first.waitFor(stopped.id, 'running');
    await first.call('POST', `/v1/workspaces/${stopped.id}/stop`, {});
    await first.waitFor(stopped.id, 'stopped');
    const sequenceBefore = Math.max(
      ...first.launcher.events.filter((e) => e.workspace.id === halfMade.id).map((e) => e.sequence),
    );
    await first.cluster.close();

    const state = JSON.parse(readFileSync(join(first.dataDir, 'state.json'), 'utf8')) as {
      workspaces: unknown[];
    };
    expect(state.workspaces).toHaveLength(3);

    const second = makeHarness({}, { dataDir: first.dataDir, launcher: first.launcher });
    open.push(second);
    expect(await second.status(running.id)).toMatchObject({ phase: 'running' });
    expect(await second.status(stopped.id)).toMatchObject({ phase: 'stopped' });
    const failed = await second.status(halfMade.id);
    expect(failed.phase).toBe('failed');
    expect(failed.failure).toBe(
      'The cluster restarted while this workspace was being created; start it again.',
    );

    // Output lines, not the command as typed into the terminal (it shows there too).
    await expect.poll(outputs, { timeout: 30_000 }).toBe(2);
    const log = readFileSync(serveLog, 'utf8');
    expect(log).toContain('the cluster restarted; command started again');
    // Typed once its shell shows its prompt, the command shows once per run: after the prompt, not also before it.
    expect(log.match(/echo serving; exec sleep 30/g)).toHaveLength(2);
    expect(log.match(/\$ echo serving; exec sleep 30$/gm)).toHaveLength(2);

    // The restarted cluster tells the launcher, with the sequence continuing where it left off.
    await expect
      .poll(
        () =>
          second.launcher.events.find(
            (e) => e.workspace.id === halfMade.id && e.workspace.phase === 'failed',
          ),
        { timeout: 30_000 },
      )
      .toMatchObject({ sequence: sequenceBefore + 1 });

    // Capacity after the restart counts only the running one.
    const list = await (await second.call('GET', '/v1/cluster')).json();
    expect(list).toMatchObject({ score: 75 });
  }, 120_000);

  it('refuses to start on a state file it cannot read, saying how to recover', async () => {
    const h = makeHarness();
    await h.cluster.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.dataDir, 'state.json'), '{broken');
    expect(() => makeHarness({}, { dataDir: h.dataDir, launcher: h.launcher })).toThrow(
      /Move .*state\.json aside/,
    );
  });
});
