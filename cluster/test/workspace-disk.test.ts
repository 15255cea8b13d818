// Each workspace's own disk: a repository writing without end fills its own disk and gets "No space left on
// device", the cluster can still restart it (root's reserve), and the disk comes off with the cluster and goes with
// the workspace.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diskImage, isMounted, mountPoints } from '../src/workspace-disk.ts';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

const MiB = 1024 ** 2;

/** Starts a workspace whose one task sleeps, on a cluster with disks of `diskBytes`, and waits for it to run. */
async function startSleeping(diskBytes: number) {
  const h = makeHarness({ startEditor: false, workspaceDiskBytes: diskBytes });
  open.push(h);
  const repo = makeRepo(tempDir());
  const sha = repo.commit({ 'README.md': 'disk\n' });
  const request = startRequest({ cloneUrl: repo.url, sha, tasks: [{ command: 'exec sleep 600' }] });
  await h.start(request);
  await h.waitFor(request.id, 'running');
  return { h, request };
}

describe('mount points', () => {
  it('reads this process mount table', () => {
    expect(mountPoints()).toContain('/');
    expect(isMounted('/')).toBe(true);
    expect(isMounted('/no/such/folder')).toBe(false);
  });
});

describe('a workspace with its own disk', () => {
  it('fills only its own disk, restarts when full, and its disk comes off with the cluster and goes with it', async () => {
    const { h, request } = await startSleeping(64 * MiB);
    const dir = join(h.dataDir, 'workspaces', request.id);
    const image = diskImage(h.dataDir, request.id);
    expect(isMounted(dir)).toBe(true);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('711');

    // 100 MB into a 64 MiB disk: the write fails inside, and what it wrote stays within the disk.
    const filled = await h.runInWorkspace(request.id, [
      'sh',
      '-c',
      'head -c 100000000 /dev/zero > /workspace/fill; echo "exit $?"; ls /workspace',
    ]);
    expect(filled.stdout).toMatch(/^exit [1-9]/);
    expect(filled.stderr).toContain('No space left on device');
    expect(filled.stdout).not.toContain('lost+found');
    const kept = statSync(join(dir, 'workspace', 'fill')).size;
    expect(kept).toBeGreaterThan(30 * MiB);
    expect(kept).toBeLessThan(64 * MiB);
    // On the host the image holds what the workspace wrote, no more than its size.
    expect(statSync(image).blocks * 512).toBeLessThanOrEqual(64 * MiB);

    // Full as it is, it stops and restarts: the cluster's own writes there use root's reserve.
    expect((await h.call('POST', `/v1/workspaces/${request.id}/stop`, {})).status).toBe(200);
    await h.waitFor(request.id, 'stopped');
    expect((await h.call('POST', `/v1/workspaces/${request.id}/restart`, {})).status).toBe(200);
    await h.waitFor(request.id, 'running');
    // Deleting a file makes room again.
    const freed = await h.runInWorkspace(request.id, [
      'sh',
      '-c',
      'rm /workspace/fill && head -c 1000000 /dev/zero > /workspace/small; echo "exit $?"',
    ]);
    expect(freed.stdout.trim()).toBe('exit 0');

    // The cluster's close unmounts it; a cluster on the same data mounts it again with the files.
    await h.cluster.close();
    open.pop();
    expect(isMounted(dir)).toBe(false);
    const again = makeHarness({ startEditor: false, workspaceDiskBytes: 64 * MiB }, h);
    open.push(again);
    expect(isMounted(dir)).toBe(true);
    expect(statSync(join(dir, 'workspace', 'small')).size).toBe(1_000_000);

    // Deleted, its disk goes too.
    expect((await again.call('DELETE', `/v1/workspaces/${request.id}`)).status).toBe(200);
    expect(isMounted(dir)).toBe(false);
    expect(existsSync(image)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('has none with --workspace-disk 0: its files sit on the data disk as before', async () => {
    const { h, request } = await startSleeping(0);
    expect(isMounted(join(h.dataDir, 'workspaces', request.id))).toBe(false);
    expect(existsSync(diskImage(h.dataDir, request.id))).toBe(false);
  });
});
