// The hostile sample repository through the way a user reaches it: launched anonymously through the launcher on
// the whole local stack (as `npm start -- --demo` runs it), beside someone else's workspace. Its probe looks for
// the cluster's secret in every process's environment and command line, the launcher's keys (its env file, its
// D1 database, wrangler's command line), the cluster's state and other workspaces, and connects to the launcher,
// the cluster, the fake hosts and the git server on loopback — and reaches none of them; everything keeps running.
// (The concurrent private clone and every runtime are covered in cluster/test/hostile.test.ts.)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport, ProbeTargets } from '../../dev/fakes/hostile-repo.ts';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn } from '../git-head.ts';
import { callApi, launchAndWait } from './launcher-api.ts';

let stack: Stack;
let dataDir: string;
const victimOwner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}2`;
const strangerOwner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}3`;
let report: ProbeReport;
let victimId = '';

/** Every file under `dir` whose name ends with `suffix` (the launcher's D1 database files). */
function filesEndingWith(dir: string, suffix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

const portOf = (url: string) => Number(new URL(url).port);

beforeAll(async () => {
  ({ stack, dataDir } = await startDemoStack('launchpod-hostile-', {
    clusterArgs: ['--workspace-memory', '384m', '--workspace-pids', '128'],
  }));
  const victim = await launchAndWait(stack, victimOwner, 'https://github.com/launchpod-samples/node-app');
  expect(victim.status.phase, JSON.stringify(victim.status)).toBe('running');
  victimId = victim.id;

  // The launcher's secrets as `npm start` hands them over: in its env file, never on a command line.
  const envFile = readFileSync(join(dataDir, 'launcher.env'), 'utf8');
  const secretOf = (name: string) => new RegExp(`^${name}=.(.*).$`, 'm').exec(envFile)?.[1] ?? '';
  const tokenKeys = JSON.parse(secretOf('TOKEN_KEYS')) as Record<string, string>;
  const clusterData = join(dataDir, 'cluster');
  const fakes = stack.fakes;
  if (fakes === undefined) throw new Error('the demo stack has fake hosts');
  const targets: ProbeTargets = {
    secrets: [stack.clusterSecret, secretOf('SESSION_SECRET'), ...Object.values(tokenKeys)],
    readFiles: [
      { label: "the launcher's env file", path: join(dataDir, 'launcher.env') },
      ...filesEndingWith(join(dataDir, 'wrangler'), '.sqlite').map((path) => ({
        label: "the launcher's D1 database",
        path,
      })),
      { label: 'the cluster state', path: join(clusterData, 'state.json') },
      { label: "the victim's checkout", path: join(checkoutIn(clusterData, victim.id), 'README.md') },
    ],
    listDirs: [
      { label: "the launcher's data", path: join(dataDir, 'wrangler') },
      { label: 'the other workspaces', path: join(clusterData, 'workspaces') },
    ],
    writePaths: [
      { label: "into the victim's checkout", path: join(checkoutIn(clusterData, victim.id), 'x') },
    ],
    connect: [
      { label: 'the launcher', host: '127.0.0.1', port: portOf(stack.launcherUrl) },
      { label: 'the cluster API', host: '127.0.0.1', port: portOf(stack.clusterUrl) },
      { label: 'the fake GitHub API', host: '127.0.0.1', port: portOf(fakes.apis.github) },
      { label: 'the git server', host: '127.0.0.1', port: portOf(fakes.gitBase) },
      { label: 'the launcher through slirp', host: '10.0.2.2', port: portOf(stack.launcherUrl) },
    ],
    loopbackPort: portOf(stack.clusterUrl),
    pidsLimit: 128,
    memoryLimitBytes: 384 * 1024 ** 2,
  };
  expect(targets.readFiles?.filter((f) => f.label === "the launcher's D1 database").length).toBeGreaterThan(
    0,
  );
  // The stranger's repository gets a commit naming what to try: a branch the launch link points at.
  const pushed = await fetch(`${fakes.gitBase}/_push`, {
    method: 'POST',
    body: JSON.stringify({
      host: 'github',
      commit: {
        owner: 'launchpod-samples',
        name: 'hostile',
        branch: 'probe/targets',
        message: 'Targets',
        files: { 'probe-targets.json': JSON.stringify(targets) },
      },
    }),
  });
  expect(pushed.status).toBe(201);

  const hostile = await launchAndWait(
    stack,
    strangerOwner,
    'https://github.com/launchpod-samples/hostile/tree/probe/targets',
  );
  expect(hostile.status.phase, `${JSON.stringify(hostile.status)}\n${stack.output().slice(-3000)}`).toBe(
    'running',
  );
  report = JSON.parse(
    readFileSync(join(checkoutIn(clusterData, hostile.id, 'hostile'), '.probe-report.json'), 'utf8'),
  ) as ProbeReport;
}, 240_000);

afterAll(stopDemoStacks);

describe('a hostile repository launched through the launcher', () => {
  it('reaches none of the launcher, the cluster, the fakes or the other workspace', () => {
    expect(report.controls.every((c) => c.ok)).toBe(true);
    expect(report.attempts.length).toBeGreaterThanOrEqual(20);
    expect(report.attempts.filter((a) => a.succeeded)).toEqual([]);
  });

  it('leaves the launcher, the cluster and the other workspace working', async () => {
    expect((await fetch(`${stack.launcherUrl}/robots.txt`)).status).toBe(200);
    const described = await fetch(`${stack.clusterUrl}/v1/cluster`, {
      headers: { authorization: `Bearer ${stack.clusterSecret}` },
    });
    expect(described.status).toBe(200);
    expect((await callApi(stack, victimOwner, `/api/v1/workspaces/${victimId}`)).body.phase).toBe('running');
  });
});
