// Prebuilds for real: a prebuild runs before + init and stores a checksummed snapshot; a workspace started from it
// skips init (same commit, or a newer one fetched on top); a missing or corrupt snapshot falls back to a clone.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartWorkspaceRequest } from '../../shared/cluster-contract.ts';
import type { Task } from '../../shared/gitpod-config.ts';
import { checkoutOf, type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { git, makeRepo, removeTempDirs, type TestRepo, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

// init leaves build output (untracked) that a workspace from the snapshot must still have.
const TASKS: Task[] = [
  {
    name: 'build',
    before: 'echo before-step',
    init: 'echo init-step; git rev-parse HEAD > build-output.txt',
    command: 'sleep 30',
  },
];

async function prebuild(h: Harness, repo: TestRepo, sha: string, prebuildId: string) {
  const request = startRequest({
    cloneUrl: repo.url,
    sha,
    tasks: TASKS,
    extra: { type: 'prebuild', prebuildId },
  });
  await h.start(request);
  return h.waitFor(request.id, 'stopped');
}

function fromPrebuild(
  repo: TestRepo,
  sha: string,
  prebuildId: string,
  snapshotSha: string,
): StartWorkspaceRequest {
  return startRequest({
    cloneUrl: repo.url,
    sha,
    tasks: TASKS,
    extra: { initializer: { kind: 'prebuild-snapshot-with-git-fallback', prebuildId, snapshotSha } },
  });
}

const workspaceFile = (h: Harness, id: string, ...path: string[]) =>
  readFileSync(join(h.dataDir, 'workspaces', id, ...path), 'utf8');

describe('prebuilds', () => {
  it('stores a checksummed snapshot, then starts a workspace from it at the same commit without init', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const sha = repo.git('rev-parse', 'HEAD');

    const done = await prebuild(h, repo, sha, 'pb-1');
    expect(done).toMatchObject({
      phase: 'stopped',
      snapshot: { prebuildId: 'pb-1', sha },
      startedFrom: 'git',
    });
    expect(done.timings?.initMs).toBeGreaterThanOrEqual(0);
    const archive = join(h.dataDir, 'snapshots', 'pb-1.tar.gz');
    const digest = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(readFileSync(`${archive}.sha256`, 'utf8')).toBe(`${digest}  pb-1.tar.gz\n`);

    const request = fromPrebuild(repo, sha, 'pb-1', sha);
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status).toMatchObject({
      phase: 'running',
      startedFrom: 'prebuild',
      timings: { initSkipped: true },
    });
    expect(status.timings?.initMs).toBeUndefined();
    expect(status.fallbackReason).toBeUndefined();
    const dir = checkoutOf(h.dataDir, request.id);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(sha);
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(workspaceFile(h, request.id, 'workspace', 'app', 'build-output.txt').trim()).toBe(sha);
    const taskLog = workspaceFile(h, request.id, 'logs', '1-build.log');
    expect(taskLog).toContain('before-step');
    expect(taskLog).not.toContain('init-step');
  });

  it('brings a snapshot forward to a newer commit with a fetch, still skipping init', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const old = repo.git('rev-parse', 'HEAD');
    await prebuild(h, repo, old, 'pb-old');
    const newer = repo.commit({ 'feature.txt': 'new work' });

    const request = fromPrebuild(repo, newer, 'pb-old', old);
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status).toMatchObject({
      phase: 'running',
      startedFrom: 'prebuild',
      timings: { initSkipped: true },
    });
    const dir = checkoutOf(h.dataDir, request.id);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(newer);
    expect(workspaceFile(h, request.id, 'workspace', 'app', 'feature.txt')).toBe('new work');
    // init's output from the older commit is still there: that is the point of an incremental start.
    expect(workspaceFile(h, request.id, 'workspace', 'app', 'build-output.txt').trim()).toBe(old);
    expect(workspaceFile(h, request.id, 'logs', '0-git.log')).toContain('$ git fetch');
  });

  it('falls back to a clean clone and runs init when the snapshot is corrupt or missing', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const sha = repo.git('rev-parse', 'HEAD');
    await prebuild(h, repo, sha, 'pb-bad');
    const archive = join(h.dataDir, 'snapshots', 'pb-bad.tar.gz');
    const bytes = readFileSync(archive);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(archive, bytes);

    const corrupt = fromPrebuild(repo, sha, 'pb-bad', sha);
    const missing = fromPrebuild(repo, sha, 'pb-never-built', sha);
    await h.start(corrupt);
    await h.start(missing);

    const a = await h.waitFor(corrupt.id, 'running');
    expect(a).toMatchObject({ phase: 'running', startedFrom: 'prebuild-fallback-git' });
    expect(a.fallbackReason).toMatch(
      /pb-bad's snapshot failed its checksum \(corrupt\), so the repository was cloned and init ran/,
    );
    expect(a.timings?.initSkipped).toBeUndefined();
    expect(a.timings?.initMs).toBeGreaterThanOrEqual(0);
    expect(workspaceFile(h, corrupt.id, 'logs', '1-build.log')).toContain('init-step');

    const b = await h.waitFor(missing.id, 'running');
    expect(b).toMatchObject({ phase: 'running', startedFrom: 'prebuild-fallback-git' });
    expect(b.fallbackReason).toMatch(/pb-never-built has no snapshot on this cluster/);
    expect(git(checkoutOf(h.dataDir, missing.id), 'rev-parse', 'HEAD')).toBe(sha);
  });

  it('clones instead when the unpacked snapshot is not at the commit it was said to be, in a sandbox over the clone', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const first = repo.git('rev-parse', 'HEAD');
    await prebuild(h, repo, first, 'pb-first');
    const second = repo.commit({ 'later.txt': 'later\n' });
    // The launcher names the snapshot as at `second`: unpacked, git finds it at `first`. The workspace's sandbox made
    // beside those git steps mounted the snapshot's folder, which the clone replaced; init must run over the clone.
    const request = fromPrebuild(repo, second, 'pb-first', second);
    await h.start(request);
    const status = await h.waitFor(request.id, 'running', 'failed');
    expect(status).toMatchObject({ phase: 'running', startedFrom: 'prebuild-fallback-git' });
    expect(status.fallbackReason).toMatch(/pb-first's snapshot is not at commit/);
    expect(workspaceFile(h, request.id, 'workspace', 'app', 'build-output.txt').trim()).toBe(second);
    expect(workspaceFile(h, request.id, 'workspace', 'app', 'later.txt')).toBe('later\n');
  });

  it('fails a prebuild whose init fails, storing no snapshot', async () => {
    const h = makeHarness();
    open.push(h);
    const repo = makeRepo(tempDir());
    const request = startRequest({
      cloneUrl: repo.url,
      sha: repo.git('rev-parse', 'HEAD'),
      tasks: [{ name: 'build', init: 'exit 1' }],
      extra: { type: 'prebuild', prebuildId: 'pb-fail' },
    });
    await h.start(request);
    const status = await h.waitFor(request.id, 'stopped');
    expect(status.phase).toBe('failed');
    expect(status.snapshot).toBeUndefined();
    expect(existsSync(join(h.dataDir, 'snapshots', 'pb-fail.tar.gz'))).toBe(false);
  });
});
