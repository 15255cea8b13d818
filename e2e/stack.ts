// The whole local stack in one call: the launcher under `wrangler dev` (local D1 migrated first), the reference
// cluster, and — in demo mode — the fake git hosts with real git repositories, all on loopback. Used by
// `npm start`, the end-to-end tests and the benchmarks. Stops everything it started, leaving no process behind.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface StackOptions {
  /** Offline: fake GitHub, GitLab, Bitbucket Cloud and Bitbucket Server with real git repositories. */
  readonly demo: boolean;
  /** Where the stack keeps its state (local D1/KV, cluster workspaces, demo repositories). */
  readonly dataDir: string;
  readonly launcherPort?: number;
  readonly clusterPort?: number;
  /** Host name used in URLs printed to people (`localhost`) — the servers listen on 127.0.0.1. */
  readonly publicHost?: string;
  /** Echo children's output, prefixed (npm start); tests keep it quiet and print it only on failure. */
  readonly echo?: boolean;
  /** Init timeouts etc. for the cluster, as CLI flags. */
  readonly clusterArgs?: readonly string[];
}

export interface FakeHostsInfo {
  readonly apis: { github: string; gitlab: string; bitbucketCloud: string; bitbucketServer: string };
  readonly gitBase: string;
  readonly gitRewrites: readonly { base: string; insteadOf: string }[];
}

export interface Stack {
  readonly launcherUrl: string;
  readonly clusterUrl: string;
  readonly clusterSecret: string;
  readonly fakes?: FakeHostsInfo;
  /** Everything the children printed, for a failing test's report. */
  readonly output: () => string;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const QUIET_WRANGLER = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
};

/** A free loopback port (asked of the OS, then released: a tiny race no local run has hit). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const children: ChildProcess[] = [];
  const log: string[] = [];
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const publicHost = options.publicHost ?? '127.0.0.1';
  let launcherUrl = '';
  let clusterUrl = '';
  const clusterSecret = randomBytes(24).toString('hex');

  const run = (name: string, command: string, args: readonly string[], env: Record<string, string> = {}) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.push(`[${name}] ${line}`);
        if (options.echo) console.log(`[${name}] ${line}`);
      });
    }
    return child;
  };

  const stop = async () => {
    await Promise.all(children.map((child) => terminate(child)));
  };

  try {
    let fakes: FakeHostsInfo | undefined;
    const gitConfig = join(dataDir, 'cluster.gitconfig');
    writeFileSync(gitConfig, '');
    if (options.demo) {
      const child = run('fake-hosts', BIN('tsx'), ['e2e/fakes/serve.ts', '--root', join(dataDir, 'git')]);
      fakes = JSON.parse(await firstJsonLine(child, 'fake-hosts', 60_000)) as FakeHostsInfo;
      // Host URLs in clone URLs go to the local git server, as git itself rewrites them.
      writeFileSync(
        gitConfig,
        fakes.gitRewrites.map((r) => `[url "${r.base}"]\n\tinsteadOf = ${r.insteadOf}\n`).join(''),
      );
    }

    // Ports are picked right before each server starts (the fakes took theirs already); a port another process
    // grabbed in between is retried with a fresh one.
    for (let attempt = 0; ; attempt++) {
      const clusterPort = options.clusterPort ?? (await freePort());
      clusterUrl = `http://${publicHost}:${clusterPort}`;
      const cluster = run(
        'cluster',
        BIN('tsx'),
        [
          'cluster/src/main.ts',
          ...[
            '--name',
            'local',
            '--region',
            'local',
            '--port',
            String(clusterPort),
            '--public-origin',
            clusterUrl,
          ],
          ...['--data', join(dataDir, 'cluster'), '--git-config', gitConfig],
          ...(options.clusterArgs ?? []),
        ],
        { LAUNCHPOD_CLUSTER_SECRET: clusterSecret },
      );
      try {
        await firstJsonLine(cluster, 'cluster', 30_000);
        break;
      } catch (error) {
        const portTaken = log.some((line) => line.includes('EADDRINUSE'));
        if (attempt >= 2 || options.clusterPort !== undefined || !portTaken) throw error;
      }
    }
    const launcherPort = options.launcherPort ?? (await freePort());
    launcherUrl = `http://${publicHost}:${launcherPort}`;

    const hosts = fakes === undefined ? [] : demoHosts(fakes);
    const vars: Record<string, string> = {
      LAUNCHER_ORIGIN: launcherUrl,
      HOSTS: JSON.stringify(hosts),
      CLUSTERS: JSON.stringify([
        { name: 'local', baseUrl: clusterUrl, region: 'local', latitude: 0, longitude: 0 },
      ]),
      CLUSTER_SECRETS: JSON.stringify({ local: clusterSecret }),
    };
    const persist = join(dataDir, 'wrangler');
    await exec(
      BIN('wrangler'),
      [
        'd1',
        'migrations',
        'apply',
        'launchpod',
        '--local',
        '--persist-to',
        persist,
        '--config',
        'worker/wrangler.jsonc',
      ],
      QUIET_WRANGLER,
      log,
    );
    run(
      'launcher',
      BIN('wrangler'),
      [
        'dev',
        '--config',
        'worker/wrangler.jsonc',
        '--ip',
        '127.0.0.1',
        '--port',
        String(launcherPort),
        '--persist-to',
        persist,
        '--show-interactive-dev-session=false',
        ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
      ],
      QUIET_WRANGLER,
    );
    await waitForHttp(`http://127.0.0.1:${launcherPort}/robots.txt`, 60_000, () =>
      children.some((c) => c.exitCode !== null),
    );
    return {
      launcherUrl,
      clusterUrl,
      clusterSecret,
      ...(fakes !== undefined && { fakes }),
      output: () => log.join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- stack output ---\n${log.join('\n')}`,
    );
  }
}

/** The launcher's HOSTS for the demo: the built-in hosts' APIs pointed at the fakes, plus the Bitbucket Server. */
export function demoHosts(fakes: FakeHostsInfo) {
  return [
    { hostname: 'github.com', family: 'github', apiBaseUrl: fakes.apis.github },
    { hostname: 'gitlab.com', family: 'gitlab', apiBaseUrl: `${fakes.apis.gitlab}/api/v4` },
    { hostname: 'bitbucket.org', family: 'bitbucket-cloud', apiBaseUrl: `${fakes.apis.bitbucketCloud}/2.0` },
    {
      hostname: 'bitbucket.launchpod.test',
      family: 'bitbucket-server',
      apiBaseUrl: `${fakes.apis.bitbucketServer}/rest/api/1.0`,
    },
  ];
}

function firstJsonLine(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    if (child.stdout === null) return fail(new Error(`${name} has no stdout`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim().startsWith('{')) {
        clearTimeout(timer);
        done(line.trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gaveUp()) throw new Error(`a process exited while waiting for ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function exec(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  log: string[],
): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        log.push(`[${args.slice(0, 3).join(' ')}] ${line}`),
      );
    }
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}
