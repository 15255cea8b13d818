// A stranger's repository against the reference cluster, under every sandbox runtime this machine has: the
// hostile probe (dev/fakes/hostile-repo.ts) runs as a workspace's init beside a victim workspace, a prebuild
// snapshot, a concurrent private clone, the cluster's API and a launcher on loopback, and a service on the host's
// own address — and gets none of them. The same probe run on the host first proves it finds them when they are
// within reach, so a report of "nothing reached" means the sandbox held, not that the probe missed.

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileFiles, type ProbeReport, type ProbeTargets } from '../../dev/fakes/hostile-repo.ts';
import { missingPackages } from '../src/sandbox/host-tools.ts';
import type { RuntimeKind } from '../src/sandbox/sandbox.ts';
import {
  checkoutOf,
  type Harness,
  makeHarness,
  processesOf,
  SECRET,
  startRequest,
  workspaceUid,
} from './cluster-harness.ts';
import { git, makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';
import { gitHttpServer } from './git-http-server.ts';

const RUNTIMES = (['podman', 'bubblewrap'] as const).filter((kind) => missingPackages(kind).length === 0);
const MEMORY = 320 * 1024 ** 2;
const PIDS = 96;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((done) => server.listen(0, host, () => done((server.address() as AddressInfo).port)));
}

const hostAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

describe.each(RUNTIMES)('a hostile repository under %s', (runtime: RuntimeKind) => {
  let h: Harness;
  const closers: (() => unknown)[] = [];
  let report: ProbeReport;
  let control: ProbeReport;
  let victimId = '';
  let cloneId = '';

  beforeAll(async () => {
    const processSecret = `proc-${randomBytes(8).toString('hex')}`;
    const victimSecret = `victim-${randomBytes(8).toString('hex')}`;
    const credential = `tok-${randomBytes(12).toString('hex')}`;
    // The cluster's environment as `main.ts` is started with it (the in-process cluster's own is the test
    // runner's): a process on the host holding the secret in its environment, as /proc shows it.
    const standIn = spawn('sleep', ['600'], {
      env: { LAUNCHPOD_CLUSTER_SECRET: SECRET, LAUNCHPOD_PROBE_PROCESS_SECRET: processSecret },
      stdio: 'ignore',
    });
    closers.push(() => {
      standIn.kill('SIGKILL');
    });

    h = makeHarness({
      runtime,
      limits: { memoryBytes: MEMORY, pids: PIDS },
      taskTimeoutMs: 120_000,
      cloneTimeoutMs: 120_000,
    });
    closers.push(() => h.cluster.close());

    // The cluster's API on loopback for real, a launcher beside it with its data folder, a service on the host's
    // own address (bound to every interface, as many local services are).
    const api = serve({ fetch: h.cluster.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => api.once('listening', r));
    const apiPort = (api.address() as AddressInfo).port;
    closers.push(() => new Promise((r) => api.close(r)));
    const launcherData = tempDir('launchpod-launcher-');
    writeFileSync(join(launcherData, 'launcher.env'), `TOKEN_KEYS='{"k":"${processSecret}"}'\n`);
    const launcher = createServer((_, res) => res.end('launcher'));
    const launcherPort = await listen(launcher, '127.0.0.1');
    const everywhere = createServer((_, res) => res.end('host service'));
    const everywherePort = await listen(everywhere, '0.0.0.0');
    closers.push(() => new Promise((r) => launcher.close(r)));
    closers.push(() => new Promise((r) => everywhere.close(r)));

    // A victim: someone else's workspace with a secret in its files and in its running command's environment.
    const victimRepo = makeRepo(tempDir(), 'victim');
    victimRepo.commit({ 'secret.txt': victimSecret });
    const victimSha = victimRepo.git('rev-parse', 'HEAD');
    const victim = startRequest({
      cloneUrl: victimRepo.url,
      sha: victimSha,
      context: { repo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'victim' } },
      tasks: [{ name: 'serve', command: 'sleep 3600', env: { VICTIM_TOKEN: victimSecret } }],
    });
    victimId = victim.id;
    await h.start(victim);
    expect((await h.waitWithin(120_000, victim.id, 'running')).phase).toBe('running');
    // And a prebuild's snapshot in the store.
    const prebuild = startRequest({
      cloneUrl: victimRepo.url,
      sha: victimSha,
      context: { repo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'victim' } },
      tasks: [{ init: 'echo built > build.txt' }],
      extra: { type: 'prebuild', prebuildId: 'pb-victim' },
    });
    await h.start(prebuild);
    expect((await h.waitWithin(120_000, prebuild.id, 'stopped')).snapshot?.prebuildId).toBe('pb-victim');

    // A private repository on a slow server: its clone runs on the host, credential in git's environment, for
    // the whole time the probe watches. Each of its authenticated requests waits 8 s: the hostile workspace that
    // starts after the clone must reach its probe before the clone ends, on a loaded machine too.
    const privateRoot = tempDir();
    makeRepo(privateRoot, 'private.git');
    const slow = await gitHttpServer(privateRoot, 'x-access-token', credential, 8000);
    closers.push(() => slow.close());

    const data = h.dataDir;
    const victimDir = join(data, 'workspaces', victim.id);
    const targets: ProbeTargets = {
      secrets: [SECRET, processSecret, victimSecret],
      credential,
      watchMs: 8000,
      readFiles: [
        {
          label: "the victim's secret file",
          path: join(checkoutOf(data, victim.id, 'victim'), 'secret.txt'),
        },
        { label: 'the cluster state', path: join(data, 'state.json') },
        { label: 'the snapshot store', path: join(data, 'snapshots', 'pb-victim.tar.gz') },
        { label: "the launcher's secrets", path: join(launcherData, 'launcher.env') },
      ],
      listDirs: [
        { label: 'the other workspaces', path: join(data, 'workspaces') },
        { label: "the victim's folder", path: victimDir },
        { label: 'the snapshot store', path: join(data, 'snapshots') },
        { label: "the launcher's data", path: launcherData },
      ],
      writePaths: [
        {
          label: "into the victim's checkout",
          path: join(checkoutOf(data, victim.id, 'victim'), 'pwned.txt'),
        },
        { label: 'into the snapshot store', path: join(data, 'snapshots', 'pb-evil.tar.gz') },
        { label: 'beside its own folder', path: '/workspace/../escaped.txt' },
      ],
      findNames: ['state.json', 'launcher.env', 'pb-victim.tar.gz', 'secret.txt'],
      connect: [
        { label: 'the cluster API', host: '127.0.0.1', port: apiPort },
        { label: 'the launcher', host: '127.0.0.1', port: launcherPort },
        { label: 'the cluster API through slirp', host: '10.0.2.2', port: apiPort },
        {
          label: "a service on the host's address",
          host: hostAddress() ?? '127.0.0.1',
          port: everywherePort,
        },
      ],
      loopbackPort: apiPort,
      pidsLimit: PIDS,
      memoryLimitBytes: MEMORY,
      outsidePids: [process.pid, standIn.pid ?? 0],
    };

    const hostileRepo = makeRepo(tempDir(), 'hostile');
    const hostileSha = hostileRepo.commit(hostileFiles(targets));

    // The control: the same probe, run on the host while the same clone runs, reaches what the sandbox hides.
    const controlDir = tempDir('launchpod-probe-control-');
    for (const [name, text] of Object.entries(
      hostileFiles({ ...targets, hostControl: true, findRoot: data }),
    ))
      writeFileSync(join(controlDir, name), text);
    const controlClone = startRequest({
      cloneUrl: `${slow.url}/private.git`,
      sha: git(join(privateRoot, 'private.git'), 'rev-parse', 'HEAD'),
      context: { repo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'private' } },
      extra: {
        credentialUrl: h.launcher.credentialUrl({ username: 'x-access-token', password: credential }).url,
      },
    });
    await h.start(controlClone);
    // Asynchronously: the cluster runs in this process, and its clone must go on while the control watches.
    await new Promise((done, fail) => {
      execFile(
        process.execPath,
        [join(controlDir, 'probe.js')],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROBE_MARKER: 'present' }, timeout: 60_000 },
        (error) => (error === null ? done(undefined) : fail(error)),
      );
    });
    control = JSON.parse(readFileSync(join(controlDir, '.probe-report.json'), 'utf8')) as ProbeReport;
    await h.waitWithin(120_000, controlClone.id, 'running');

    // The real thing: the private clone starts, then the hostile workspace while it runs.
    const clone = startRequest({
      cloneUrl: `${slow.url}/private.git`,
      sha: controlClone.context.sha,
      context: { repo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'private' } },
      extra: {
        credentialUrl: h.launcher.credentialUrl({ username: 'x-access-token', password: credential }).url,
      },
    });
    cloneId = clone.id;
    await h.start(clone);
    const hostile = startRequest({
      cloneUrl: hostileRepo.url,
      sha: hostileSha,
      context: { repo: { host: 'git.example.test', family: 'github', owner: 'stranger', name: 'hostile' } },
      tasks: [{ name: 'probe', env: { PROBE_MARKER: 'present' }, init: 'node probe.js' }],
      extra: { image: { kind: 'image', name: 'node:20' } },
    });
    await h.start(hostile);
    const done = await h.waitWithin(120_000, hostile.id, 'running');
    expect(done.failure).toBeUndefined();
    report = JSON.parse(
      readFileSync(join(checkoutOf(data, hostile.id, 'hostile'), '.probe-report.json'), 'utf8'),
    );
  }, 240_000);

  // Stopping a workspace the probe filled with processes (its fork bomb held at the limit) takes a while on a
  // busy machine: the cluster waits for each sandbox to be gone before it answers (over 120 s once under bubblewrap,
  // in a fresh-clone CI run).
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    removeTempDirs();
  }, 360_000);

  it('the probe finds everything when it runs on the host (the control)', () => {
    const got = new Set(control.attempts.filter((a) => a.succeeded).map((a) => a.name));
    for (const name of [
      'read secrets from other processes',
      "read the victim's secret file",
      'read the cluster state',
      'read the snapshot store',
      "read the launcher's secrets",
      'list the other workspaces',
      'find the cluster or launcher state',
      'connect the cluster API',
      'connect the launcher',
      "connect a service on the host's address",
      "read another user's clone credential",
      'see processes outside the workspace',
    ])
      expect(got, `control should reach: ${name}`).toContain(name);
  });

  it('gets nothing from inside the sandbox', () => {
    expect(report.controls.every((c) => c.ok)).toBe(true);
    expect(report.attempts.length).toBeGreaterThanOrEqual(25);
    // Among them: writing anywhere on a disk but its own folders (podman's container layer was one such place).
    expect(report.attempts.map((a) => a.name)).toContain('write to a disk outside its own folders');
    const through = report.attempts.filter((a) => a.succeeded);
    expect(through).toEqual([]);
  });

  it('watched for the credential while the private clone was running on the host', async () => {
    // The clone may still be going: its phases are read once it is done.
    await h.waitFor(cloneId, 'running');
    const { from, to } = report.watch;
    const phaseAt = (phase: string) =>
      Date.parse(
        h.launcher.events.find((e) => e.workspace.id === cloneId && e.workspace.phase === phase)?.workspace
          .updatedAt ?? '',
      );
    // The clone began before the watch ended and finished after it began: git held the credential meanwhile.
    expect(phaseAt('creating')).toBeLessThan(to ?? 0);
    expect(phaseAt('initializing')).toBeGreaterThan(from ?? Number.POSITIVE_INFINITY);
  });

  it('was held by its limits, and the cluster and the other workspaces stayed healthy', async () => {
    const bomb = report.attempts.find((a) => a.name === 'fork past the process limit');
    const memory = report.attempts.find((a) => a.name === 'allocate past the memory limit');
    expect(bomb?.detail).toMatch(/most processes seen at once: \d+ \(limit 96\)/);
    expect(memory?.detail).toMatch(/ended with SIGKILL/);
    expect((await h.call('GET', '/v1/cluster')).status).toBe(200);
    expect((await h.status(victimId)).phase).toBe('running');
    expect(processesOf(workspaceUid(h.dataDir, victimId)).join('\n')).toContain('sleep 3600');
    expect((await h.waitFor(cloneId, 'running')).phase).toBe('running');
    expect(readFileSync(join(checkoutOf(h.dataDir, victimId, 'victim'), 'secret.txt'), 'utf8')).toMatch(
      /^victim-/,
    );
  });
});

it('runs under at least one sandbox runtime on this machine', () => {
  expect(RUNTIMES.length).toBeGreaterThan(0);
});
