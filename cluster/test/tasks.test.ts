// Tasks as a user's `.gitpod.yml` describes them: before and init to completion, command in the background until
// stop, every line in the task's log, a clean environment; failures and timeouts name the task and the cause.

import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capNote } from '../src/capped-log.ts';
import { type Harness, makeHarness, processesOf, startRequest, workspaceUid } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

function setup(overrides = {}) {
  const h = makeHarness(overrides);
  open.push(h);
  const repo = makeRepo(tempDir());
  return { h, repo, sha: repo.git('rev-parse', 'HEAD') };
}

const log = (h: Harness, id: string, name: string) =>
  readFileSync(join(h.dataDir, 'workspaces', id, 'logs', name), 'utf8');

async function eventually(check: () => void, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('tasks', () => {
  it('runs before, then init, then starts command; each task logs to its own file in the checkout', async () => {
    const { h, repo, sha } = setup();
    process.env.CLUSTER_ONLY_SECRET = 'must-not-leak';
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [
        {
          name: 'install deps',
          before: 'echo before-ran; pwd',
          init: 'echo "init sees $GREETING"; echo built > built.txt',
          command: 'echo "command sees [$CLUSTER_ONLY_SECRET] $TASK_VAR"; cat built.txt; exec sleep 30',
          env: { TASK_VAR: 'from-task' },
        },
        { name: 'second', init: 'echo second-init' },
      ],
      extra: { env: [{ name: 'GREETING', value: 'hello' }] },
    });
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status.phase).toBe('running');
    expect(status.timings?.initMs).toBeGreaterThanOrEqual(0);
    expect(status.timings?.contentMs).toBeGreaterThan(0);

    await eventually(() => {
      const first = log(h, request.id, '1-install-deps.log');
      expect(first).toMatch(/before-ran\n\/workspace\/app\n/);
      expect(first.indexOf('before-ran')).toBeLessThan(first.indexOf('init sees hello'));
      expect(first).toContain('command sees [] from-task\nbuilt');
    });
    expect(log(h, request.id, '2-second.log')).toContain('second-init');
    expect(log(h, request.id, '0-git.log')).toContain('$ git clone');
    delete process.env.CLUSTER_ONLY_SECRET;
  });

  it("keeps a task's log to its cap when init prints far more; the step finishes and the workspace runs", async () => {
    // A small cap, so the test writes little; the cluster's default is MAX_LOG_BYTES (16 MiB).
    const cap = 64 * 1024;
    const { h, repo, sha } = setup({ logCapBytes: cap });
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [
        {
          name: 'flood',
          // Where its output goes, as the task sees it: a pipe to the cluster, never a host file it could reopen.
          init: 'readlink /proc/$$/fd/1 /proc/$$/fd/2; head -c 16777216 /dev/zero | tr "\\0" x; echo init-done >&2',
          command: 'echo command-ran; exec sleep 30',
        },
      ],
    });
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status.phase).toBe('running');
    const file = join(h.dataDir, 'workspaces', request.id, 'logs', '1-flood.log');
    await eventually(() =>
      expect(log(h, request.id, '1-flood.log')).toContain('── command (in its terminal) ──'),
    );
    const text = log(h, request.id, '1-flood.log');
    const lines = text.split('\n');
    expect(lines[0]).toBe('── init ──');
    expect(lines[1]).toMatch(/^(pipe|socket):\[\d+\]$/);
    expect(lines[2]).toMatch(/^(pipe|socket):\[\d+\]$/);
    expect(lines[3]).toMatch(/^x+$/);
    // Cut at the cap, said once for init; the step's own end line and the command's header follow.
    expect(readFileSync(file).indexOf(capNote(cap))).toBe(cap + 1);
    expect(text).toMatch(/── init finished in [\d.]+ s ──\n/);
    expect(text).not.toContain('init-done');
    expect(statSync(file).size).toBeLessThan(cap + 512);
    expect(await h.runInWorkspace(request.id, ['cat', '/proc/self/comm'])).toMatchObject({ stdout: 'cat\n' });
  });

  it('kills the command when the workspace stops', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'server', command: 'sleep 1000 & exec sleep 30' }],
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const uid = workspaceUid(h.dataDir, request.id);
    await eventually(() => expect(processesOf(uid).join('\n')).toContain('sleep 1000'));
    await h.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    expect((await h.waitFor(request.id, 'stopped')).phase).toBe('stopped');
    // Every process of the workspace's uid is gone, the one the command left in the background too.
    expect(processesOf(uid)).toEqual([]);
    expect(log(h, request.id, '1-server.log')).toContain('sleep 1000 & exec sleep 30');
  });

  it("ends every process of the workspace's uids when it stops, also one its sandbox did not start", async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'idle', command: 'exec sleep 30' }],
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const uid = workspaceUid(h.dataDir, request.id);
    // What a runtime can miss: a container's init a half-finished `podman rm` left, a sandbox whose monitor died.
    const stray = spawn('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'sleep', '977'], {
      cwd: '/',
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise((resolve) => stray.once('exit', resolve));
    await eventually(() => expect(processesOf(uid).join('\n')).toContain('sleep 977'));
    await h.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    expect((await h.waitFor(request.id, 'stopped')).phase).toBe('stopped');
    expect(processesOf(uid)).toEqual([]);
    expect(await exited).toBeNull();
    expect(stray.signalCode).toBe('SIGKILL');
  });

  it('fails the workspace when init fails, naming the task and exit code; command never starts', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'build', init: 'echo compiling; exit 3', command: 'echo should-not-run' }],
    });
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status.phase).toBe('failed');
    expect(status.failure).toMatch(/Task "build" \(task 1\) init failed with exit code 3/);
    const text = log(h, request.id, '1-build.log');
    expect(text).toContain('compiling');
    expect(text).not.toContain('should-not-run');
  });

  it('fails the workspace when a step runs past the task timeout', async () => {
    const { h, repo, sha } = setup({ taskTimeoutMs: 300 });
    const request = startRequest({ cloneUrl: repo.url, sha, tasks: [{ before: 'sleep 20' }] });
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status.phase).toBe('failed');
    expect(status.failure).toMatch(/Task task 1 before did not finish within 0\.3 s/);
  });

  it('stops a workspace while init is still running, without marking it failed', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({ cloneUrl: repo.url, sha, tasks: [{ init: 'sleep 20' }] });
    await h.start(request);
    await h.waitFor(request.id, 'initializing');
    await h.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    const status = await h.waitFor(request.id, 'stopped');
    expect(status.phase).toBe('stopped');
    expect(status.failure).toBeUndefined();
  });
});
