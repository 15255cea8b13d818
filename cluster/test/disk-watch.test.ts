// The data disk's floor: a repository writing until the disk is full is stopped before it gets there, a quiet
// workspace beside it is not, and no workspace starts while the disk is under its floor.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dataDiskFree,
  diskState,
  folderUsage,
  GROWTH_SLACK_BYTES,
  growing,
  roughSize,
} from '../src/disk-watch.ts';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

const MiB = 1024 ** 2;

describe('the rules', () => {
  it('watches from twice the floor down and is low under it; an unknown free space is no alarm', () => {
    expect(diskState(undefined, 100)).toBe('plenty');
    expect(diskState(200, 100)).toBe('plenty');
    expect(diskState(199, 100)).toBe('watch');
    expect(diskState(100, 100)).toBe('watch');
    expect(diskState(99, 100)).toBe('low');
    expect(diskState(0, 0)).toBe('plenty');
  });

  it('names the folders that grew past the slack since the last look, and none without one', () => {
    const before = new Map([
      ['grew', 10 * MiB],
      ['same', 10 * MiB],
      ['shrank', 10 * MiB],
      ['barely', 10 * MiB],
    ]);
    const now = new Map([
      ['grew', 10 * MiB + GROWTH_SLACK_BYTES + 1],
      ['same', 10 * MiB],
      ['shrank', 1],
      ['barely', 10 * MiB + GROWTH_SLACK_BYTES],
      ['new', 900 * MiB],
    ]);
    expect(growing(before, now)).toStrictEqual(['grew']);
    expect(growing(new Map(), now)).toStrictEqual([]);
  });

  it('measures a folder on its disk and the free space of the data disk', async () => {
    const dir = tempDir();
    const empty = (await folderUsage(dir)) ?? Number.NaN;
    writeFileSync(join(dir, 'four-mib'), Buffer.alloc(4 * MiB, 1));
    const filled = (await folderUsage(dir)) ?? Number.NaN;
    expect(filled - empty).toBeGreaterThanOrEqual(4 * MiB);
    expect(await folderUsage(join(dir, 'missing'))).toBeUndefined();
    expect(dataDiskFree(dir)()).toBeGreaterThan(0);
    expect(dataDiskFree(join(dir, 'missing'))()).toBeUndefined();
  });

  it('says sizes as people read them', () => {
    expect(roughSize(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(roughSize(300 * MiB)).toBe('300 MiB');
    expect(roughSize(-5)).toBe('0 MiB');
  });
});

describe('a cluster whose disk runs low', () => {
  it('stops the workspace that keeps writing, keeps the quiet one, and starts nothing until there is room', async () => {
    let free = 50 * 1024 ** 3;
    const h = makeHarness({
      startEditor: false,
      diskFloorBytes: 1024 ** 3,
      diskCheckMs: 100,
      diskFree: () => free,
    });
    open.push(h);
    const repo = makeRepo(tempDir());
    const sha = repo.commit({ 'README.md': 'disk\n' });
    const writer = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ command: 'while sleep 0.1; do head -c 2000000 /dev/zero >> /workspace/fill; done' }],
    });
    const quiet = startRequest({ cloneUrl: repo.url, sha, tasks: [{ command: 'exec sleep 600' }] });
    for (const request of [writer, quiet]) await h.start(request);
    for (const request of [writer, quiet]) await h.waitFor(request.id, 'running');

    // Under twice the floor the cluster measures; under the floor it acts on what grew since.
    free = 1.5 * 1024 ** 3;
    await new Promise((r) => setTimeout(r, 500));
    free = 300 * MiB;
    const stopped = await h.waitFor(writer.id, 'stopped');
    expect(stopped.stopReason).toMatch(
      /^Stopped: the cluster's disk was nearly full \(300 MiB free\) while this workspace's files kept growing \(\d+ MiB\)\. Restart it and delete what you do not need\.$/,
    );
    expect((await h.status(quiet.id)).phase).toBe('running');

    const another = startRequest({ cloneUrl: repo.url, sha });
    const refused = await h.call('POST', '/v1/workspaces', another);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toStrictEqual({
      message:
        "Cluster test's disk is nearly full (300 MiB free); try another cluster, or ask its operator to free space.",
    });
    const restart = await h.call('POST', `/v1/workspaces/${writer.id}/restart`, {});
    expect(restart.status).toBe(503);

    // With room again, it starts.
    free = 50 * 1024 ** 3;
    expect((await h.call('POST', '/v1/workspaces', another)).status).toBeLessThan(300);
    await h.waitFor(another.id, 'running');
  });
});
