// The command line: flags and environment read into options, and the real server — it prints where it listens,
// serves the contract, and on SIGTERM kills its workspaces' processes and exits cleanly.

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { readCliOptions } from '../src/cli-options.ts';
import { processesOf, SECRET, startRequest, workspaceUid } from './cluster-harness.ts';
import { fixtureGitConfig, makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

afterEach(() => removeTempDirs());

describe('readCliOptions', () => {
  it('reads flags, falling back to LAUNCHPOD_CLUSTER_* variables and defaults', () => {
    const parsed = readCliOptions(
      ['--name', 'eu-1', '--port', '9000', '--max-workspaces', '2', '--clone-timeout', '5'],
      {
        LAUNCHPOD_CLUSTER_SECRET: SECRET,
        LAUNCHPOD_CLUSTER_REGION: 'europe',
        LAUNCHPOD_CLUSTER_NAME: 'ignored-because-flag-wins',
      },
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        port: 9000,
        cluster: {
          name: 'eu-1',
          region: 'europe',
          secret: SECRET,
          dataDir: '.launchpod/cluster',
          publicOrigin: 'http://workspaces.localhost:9000',
          maxWorkspaces: 2,
          cloneTimeoutMs: 5000,
          taskTimeoutMs: 1_800_000,
          diskFloorBytes: 2 * 1024 ** 3,
          workspaceDiskBytes: 20 * 1024 ** 3,
        },
      },
    });
    const floor = readCliOptions(['--secret', SECRET, '--disk-floor', '500m'], {});
    expect(floor.ok && floor.value.cluster.diskFloorBytes).toBe(500 * 1024 ** 2);
  });

  it.each([
    [[], /secret of at least 16/],
    [['--secret', SECRET, '--port', 'eighty'], /--port must be a whole number/],
    [['--secret', SECRET, '--max-workspaces', '0'], /--max-workspaces must be a whole number of at least 1/],
    [['--secret', SECRET, '--public-origin', 'http://x/path'], /--public-origin must be an origin/],
    [['--secret', SECRET, '--port', '0'], /--port 0 needs --public-origin/],
    [['--secret', SECRET, '--bogus', 'x'], /Unknown option/],
    [['--secret', SECRET, '--disk-floor', 'lots'], /--disk-floor must be a size like 2g/],
    [['--secret', SECRET, '--workspace-disk', '1m'], /--workspace-disk must be a size of at least 64m/],
  ])('explains what to fix for %j', (argv, message) => {
    const parsed = readCliOptions(argv, {});
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('main', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('listens, serves the contract, and on SIGTERM (relayed twice) kills workspace processes and exits 0', async () => {
    const data = tempDir('launchpod-main-');
    chmodSync(data, 0o711);
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../src/main.ts'),
        '--port',
        '0',
        '--data',
        data,
        '--public-origin',
        'http://localhost:1',
        '--git-config',
        fixtureGitConfig(),
      ],
      {
        // From the repository root, as `npm start` runs it: the root tsconfig (no JSX settings) applies.
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, LAUNCHPOD_CLUSTER_SECRET: SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { listening } = JSON.parse(first) as { listening: string };
    expect(listening).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const repo = makeRepo(tempDir());
    const request = startRequest({
      cloneUrl: repo.url,
      sha: repo.git('rev-parse', 'HEAD'),
      tasks: [{ command: 'echo started > ../command.started; exec sleep 30' }],
      extra: { eventsUrl: 'http://127.0.0.1:1/events' },
    });
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const started = await fetch(`${listening}/v1/workspaces`, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
    });
    expect(started.status).toBe(201);
    const startedFile = join(data, 'workspaces', request.id, 'workspace', 'command.started');
    await expect.poll(() => existsSync(startedFile), { timeout: 10_000 }).toBe(true);
    const uid = workspaceUid(data, request.id);
    expect(processesOf(uid).join('\n')).toContain('sleep 30');
    // The cluster's own origin only points at the workspace's origin, where its owner gets in.
    const page = await fetch(`${listening}/workspaces/${request.id}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`http://${request.id}.localhost:1/`);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    // The same signal again at once, as a wrapper relays it (npm, `tsx`, systemd and a terminal both): one stop.
    await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(processesOf(uid)).toEqual([]);
  });
});
