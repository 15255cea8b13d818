// bench/prebuild: time from a start request to `running` on the reference cluster, for the sample repository whose
// init takes ~5 s — from a clean clone, from a prebuild of the same commit, and from a prebuild one commit behind
// (incremental) — under each sandbox runtime installed here, with the sandbox's own start (container or bubblewrap
// namespaces, network, firewall) reported on its own. Talks to the cluster over its HTTP contract, like the
// launcher. Prints figures; asserts nothing.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { missingPackages } from '../cluster/src/sandbox/host-tools.ts';
import { GITPOD_YML } from '../dev/fakes/sample-data.ts';
import { freePort } from '../dev/stack.ts';
import { headOf } from '../e2e/git-head.ts';
import {
  CLUSTER_CONTRACT_VERSION,
  type Initializer,
  type StartWorkspaceRequest,
  type WorkspaceStatus,
} from '../shared/cluster-contract.ts';
import { parseGitpodConfig } from '../shared/gitpod-config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'launchpod-bench-prebuild-'));
chmodSync(dir, 0o711);
const children: ChildProcess[] = [];
const RUNTIMES = (['podman', 'bubblewrap'] as const).filter((kind) => missingPackages(kind).length === 0);

function start(command: string, args: string[]): Promise<string> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim().startsWith('{')) done(line.trim());
    });
    child.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code}`)));
  });
}

try {
  const fakes = JSON.parse(await start('tsx', ['dev/fakes/serve.ts', '--root', join(dir, 'git')])) as {
    gitBase: string;
    gitRewrites: { base: string; insteadOf: string }[];
  };
  const gitConfig = join(dir, 'gitconfig');
  writeFileSync(
    gitConfig,
    fakes.gitRewrites.map((r) => `[url "${r.base}"]\n\tinsteadOf = ${r.insteadOf}\n`).join(''),
  );
  const head = (ref: string) => headOf(fakes.gitBase, 'github.com/launchpod-samples/node-app.git', ref);
  const main = head('refs/heads/main');
  const ahead = head('refs/heads/d1'); // main + one commit
  const config = parseGitpodConfig(GITPOD_YML);
  if (!config.ok) throw new Error('sample .gitpod.yml is invalid');

  const request = (
    type: 'regular' | 'prebuild',
    sha: string,
    branch: string,
    initializer: Initializer,
    prebuildId?: string,
  ): StartWorkspaceRequest => ({
    contractVersion: CLUSTER_CONTRACT_VERSION,
    id: randomUUID(),
    type,
    ...(prebuildId !== undefined && { prebuildId }),
    owner: { id: 'bench' },
    context: {
      repo: { host: 'github.com', family: 'github', owner: 'launchpod-samples', name: 'node-app' },
      cloneUrl: 'https://github.com/launchpod-samples/node-app.git',
      webUrl: 'https://github.com/launchpod-samples/node-app',
      defaultBranch: 'main',
      ref: { name: branch, type: 'branch' },
      sha,
    },
    initializer,
    image: config.value.image,
    tasks: config.value.tasks,
    ports: config.value.ports,
    env: [],
    eventsUrl: 'http://127.0.0.1:9/unused',
  });

  for (const runtime of RUNTIMES) {
    const port = await freePort();
    const secret = randomBytes(16).toString('hex');
    const clusterUrl = `http://127.0.0.1:${port}`;
    await start('tsx', [
      'cluster/src/main.ts',
      ...['--name', 'bench', '--region', 'local', '--port', String(port), '--public-origin', clusterUrl],
      ...['--data', join(dir, `cluster-${runtime}`), '--secret', secret, '--git-config', gitConfig],
      ...[
        '--max-workspaces',
        '16',
        '--runtime',
        runtime,
        '--image-map',
        'node:20=default',
        '--image-pull',
        'never',
      ],
    ]);

    async function run(
      body: StartWorkspaceRequest,
      until: WorkspaceStatus['phase'],
    ): Promise<{ ms: number; status: WorkspaceStatus }> {
      const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
      const began = performance.now();
      const started = await fetch(`${clusterUrl}/v1/workspaces`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (!started.ok) throw new Error(`start: ${started.status} ${await started.text()}`);
      for (;;) {
        const status = (await (
          await fetch(`${clusterUrl}/v1/workspaces/${body.id}`, { headers })
        ).json()) as WorkspaceStatus;
        if (status.phase === until) return { ms: performance.now() - began, status };
        if (status.phase === 'failed') throw new Error(`workspace failed: ${status.failure}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    const results: Record<string, number[]> = {
      clean: [],
      prebuildSameCommit: [],
      prebuildOneCommitAhead: [],
      prebuild: [],
    };
    const sandbox: number[] = [];
    const stop = (id: string) =>
      fetch(`${clusterUrl}/v1/workspaces/${id}/stop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}` },
      });
    for (let round = 0; round < ROUNDS; round++) {
      const clean = await run(request('regular', main, 'main', { kind: 'git' }), 'running');
      results.clean?.push(clean.ms);
      sandbox.push(clean.status.timings?.sandboxMs ?? Number.NaN);
      await stop(clean.status.id);
      const prebuildId = `pb-${round}-${randomUUID().slice(0, 8)}`;
      results.prebuild?.push(
        (await run(request('prebuild', main, 'main', { kind: 'git' }, prebuildId), 'stopped')).ms,
      );
      const fromSnapshot: Initializer = {
        kind: 'prebuild-snapshot-with-git-fallback',
        prebuildId,
        snapshotSha: main,
      };
      const same = await run(request('regular', main, 'main', fromSnapshot), 'running');
      if (same.status.startedFrom !== 'prebuild')
        throw new Error(`expected a prebuild start, got ${same.status.startedFrom}`);
      results.prebuildSameCommit?.push(same.ms);
      sandbox.push(same.status.timings?.sandboxMs ?? Number.NaN);
      await stop(same.status.id);
      const next = await run(request('regular', ahead, 'd1', fromSnapshot), 'running');
      if (next.status.startedFrom !== 'prebuild')
        throw new Error(`expected an incremental prebuild start, got ${next.status.startedFrom}`);
      results.prebuildOneCommitAhead?.push(next.ms);
      sandbox.push(next.status.timings?.sandboxMs ?? Number.NaN);
      await stop(next.status.id);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const clean = median(results.clean ?? []);
    console.log(
      JSON.stringify(
        {
          bench: 'prebuild',
          runtime,
          rounds: ROUNDS,
          sandboxStartMsMedian: Math.round(median(sandbox)),
          msToRunningMedian: Object.fromEntries(
            Object.entries(results).map(([k, v]) => [k, Math.round(median(v))]),
          ),
          speedup: {
            sameCommit: Number((clean / median(results.prebuildSameCommit ?? [])).toFixed(1)),
            oneCommitAhead: Number((clean / median(results.prebuildOneCommitAhead ?? [])).toFixed(1)),
          },
        },
        null,
        2,
      ),
    );
  }
} finally {
  // The clusters remove their workspaces' sandboxes on SIGTERM: wait for them to exit.
  await Promise.all(
    children.map((child) =>
      child.exitCode !== null
        ? undefined
        : new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}
