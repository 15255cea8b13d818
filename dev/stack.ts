// The whole local stack in one call: the launcher under `wrangler dev` (local D1 migrated first), the reference
// cluster (or several, for failover), and — in demo mode — the fake git hosts with real git repositories, all on
// loopback. Used by `npm start`, the end-to-end tests and the benchmarks. Stops everything it started, leaving no
// process behind.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseJsonc } from 'jsonc-parser';
import { DEV_EXTENSION_ORIGIN } from '../extension/dev-key.ts';
import { type DemoOAuthOrigins, demoHosts, demoSignIn } from './demo-config.ts';
import { demoBackends } from './fakes/backends.ts';
import type { SampleHost } from './fakes/serve.ts';
import {
  clusterChildren,
  clusterDataDirs,
  exec,
  firstJsonLine,
  sweepCluster,
  sweepClusters,
  terminate,
  track,
  waitForHttp,
} from './processes.ts';

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
  /**
   * Whether workspaces get VS Code (code-server). `npm start` and the editor stories do; the other suites test the
   * launcher and run without it, so a workspace's origin shows its page.
   */
  readonly editor?: boolean;
  /** With `demo`: how long the sample `.gitpod.yml`'s init sleeps (default 5 s; the suites take 1 s). */
  readonly initSeconds?: number;
  /**
   * Demo only: also the fake Coder and Ona APIs, with backends of every kind in CLUSTERS (ona, gitpod, codespaces,
   * coder, devpod; no routing rules, so nothing leaves the clusters unless a link asks).
   */
  readonly backends?: boolean;
  /** More launcher vars and secrets (`ADMIN_TOKEN` for the prebuild admin API). */
  readonly launcherVars?: Readonly<Record<string, string>>;
  /**
   * The reference clusters to start, each on its own port with its own data folder and secret, listed in the
   * launcher's CLUSTERS in this order. Default: one cluster `local` (region `local`, at 0°, 0°). `clusterPort`
   * applies to the first.
   */
  readonly clusters?: readonly StackClusterOptions[];
  /**
   * Where the launcher believes its visitors are (`request.cf`'s coordinates under wrangler dev). Default: the
   * placeholder location wrangler dev uses when it may not fetch Cloudflare's sample (Austin, Texas).
   */
  readonly userLocation?: { readonly latitude: number; readonly longitude: number };
}

export interface StackClusterOptions {
  /** The cluster's name in CLUSTERS (lower-case letters, digits and `-`). */
  readonly name: string;
  readonly region?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface StackCluster {
  readonly name: string;
  readonly region: string;
  /** Its API (the launcher's baseUrl), on 127.0.0.1. */
  readonly url: string;
  /** Where its workspaces live: `http://localhost:<port>`, each workspace at `http://<id>.localhost:<port>/`. */
  readonly publicOrigin: string;
  readonly secret: string;
  /** Its workspaces and snapshots: `<dataDir>/cluster` for the first cluster, `<dataDir>/cluster-<name>` after. */
  readonly dataDir: string;
  /** Stops this cluster alone (its process group), as a crash or an outage would; the launcher is not told. */
  stop(): Promise<void>;
}

export interface FakeHostsInfo {
  readonly apis: Readonly<Record<SampleHost, string>>;
  readonly gitBase: string;
  readonly gitRewrites: readonly { base: string; insteadOf: string }[];
  /** The self-hosted Gitea's web pages at a loopback address (dev/fakes/serve.ts): the demo's button door. */
  readonly webSite: string;
}

export interface Stack {
  readonly launcherUrl: string;
  /** The first cluster's URL and secret (`clusters[0]`). */
  readonly clusterUrl: string;
  readonly clusterSecret: string;
  /** Every cluster, in the order of `StackOptions.clusters`. */
  readonly clusters: readonly StackCluster[];
  readonly fakes?: FakeHostsInfo;
  /** The fake Coder and Ona origins, when started with `backends`. */
  readonly backends?: { readonly coder: string; readonly ona: string };
  /** Everything the children printed, for a failing test's report. */
  readonly output: () => string;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * The launcher's wrangler config for a stack, in its data folder: worker/wrangler.jsonc without its `build`, its
 * paths made absolute. With a build in its config, `wrangler dev` builds again once its file watcher is ready and
 * reloads the runtime, and that reload, under load, found its own port still held ("Address already in use": the
 * demo failed to start in a fresh-clone CI run). A stack's sources do not change while it runs; the stack builds
 * the Worker once before (scripts/build-worker.ts).
 */
function stackWranglerConfig(dataDir: string): string {
  const config = parseJsonc(readFileSync(join(ROOT, 'worker/wrangler.jsonc'), 'utf8')) as Record<
    string,
    unknown
  >;
  const { build: _build, $schema: _schema, ...rest } = config;
  const worker = (path: string) => resolve(ROOT, 'worker', path);
  const file = join(dataDir, 'wrangler.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...rest,
      main: worker(String(config.main)),
      d1_databases: (config.d1_databases as Record<string, unknown>[]).map((db) => ({
        ...db,
        migrations_dir: worker(String(db.migrations_dir)),
      })),
    }),
  );
  return file;
}
/**
 * Node with tsx's loader: one process, not the `tsx` command's two. The command relays a signal to its child and,
 * when the child has not said within 30 ms that it got it (a loaded machine), sends it again and then SIGKILL — a
 * cluster killed while it stops its workspaces leaves them running.
 */
const TS_NODE = [process.execPath, '--import', 'tsx'] as const;
const QUIET_WRANGLER = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
};

/**
 * Writes `vars` as a dotenv file wrangler reads (`--env-file`), mode 0600. Each value is quoted with a quote
 * character it does not contain: dotenv takes quoted values literally.
 */
export function writeEnvFile(file: string, vars: Readonly<Record<string, string>>): void {
  const lines = Object.entries(vars).map(([name, value]) => {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
    const quote = ["'", '"', '`'].find((q) => !value.includes(q));
    if (quote === undefined || /[\r\n]/.test(value))
      throw new Error(`${name}'s value cannot be written to a dotenv file`);
    return `${name}=${quote}${value}${quote}`;
  });
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

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
  const clusterSpecs = options.clusters ?? [{ name: 'local' }];
  if (clusterSpecs.length === 0) throw new Error('startStack needs at least one cluster');
  if (new Set(clusterSpecs.map((c) => c.name)).size !== clusterSpecs.length)
    throw new Error(`cluster names must differ: ${clusterSpecs.map((c) => c.name).join(', ')}`);

  const run = (name: string, command: string, args: readonly string[], env: Record<string, string> = {}) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stopping it also stops what it started (wrangler's workerd, tsx's node).
      detached: true,
    });
    children.push(child);
    track(child);
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
    await sweepClusters();
  };

  try {
    let fakes: FakeHostsInfo | undefined;
    let backendOrigins: { coder: string; ona: string } | undefined;
    let signIn: Record<string, string> = {};
    const gitConfig = join(dataDir, 'cluster.gitconfig');
    writeFileSync(gitConfig, '');
    if (options.demo) {
      const child = run('fake-hosts', TS_NODE[0], [
        ...TS_NODE.slice(1),
        'dev/fakes/serve.ts',
        '--root',
        join(dataDir, 'git'),
        ...(options.initSeconds === undefined ? [] : ['--init-seconds', String(options.initSeconds)]),
      ]);
      fakes = JSON.parse(await firstJsonLine(child, 'fake-hosts', 60_000)) as FakeHostsInfo;
      // Fake OAuth for GitHub, GitLab and Bitbucket Cloud; keys and secrets are fresh for every run.
      const oauth = run('fake-oauth', TS_NODE[0], [...TS_NODE.slice(1), 'dev/fakes/oauth.ts']);
      signIn = demoSignIn(JSON.parse(await firstJsonLine(oauth, 'fake-oauth', 30_000)) as DemoOAuthOrigins);
      if (options.backends === true) {
        const child = run('fake-backends', TS_NODE[0], [...TS_NODE.slice(1), 'dev/fakes/backends.ts']);
        backendOrigins = JSON.parse(await firstJsonLine(child, 'fake-backends', 30_000)) as {
          coder: string;
          ona: string;
        };
      }
      // Host URLs in clone URLs go to the local git server, as git itself rewrites them.
      writeFileSync(
        gitConfig,
        fakes.gitRewrites.map((r) => `[url "${r.base}"]\n\tinsteadOf = ${r.insteadOf}\n`).join(''),
      );
    }

    const clusters: StackCluster[] = [];
    for (const [index, spec] of clusterSpecs.entries()) {
      clusters.push(
        await startCluster(spec, {
          run,
          log,
          label: clusterSpecs.length === 1 ? 'cluster' : `cluster ${spec.name}`,
          publicHost,
          dataDir: join(dataDir, index === 0 ? 'cluster' : `cluster-${spec.name}`),
          gitConfig,
          ...(index === 0 && options.clusterPort !== undefined && { port: options.clusterPort }),
          args: [
            // Offline: the samples' `image: node:20` is the cluster's default image, and nothing is pulled.
            ...(options.demo ? ['--image-map', 'node:20=default', '--image-pull', 'never'] : []),
            '--editor',
            options.editor === true ? 'on' : 'off',
            ...(options.clusterArgs ?? []),
          ],
        }),
      );
    }
    const [first] = clusters as [StackCluster, ...StackCluster[]];
    const launcherPort = options.launcherPort ?? (await freePort());
    launcherUrl = `http://${publicHost}:${launcherPort}`;

    const hosts = fakes === undefined ? [] : demoHosts(fakes);
    const vars: Record<string, string> = {
      LAUNCHER_ORIGIN: launcherUrl,
      HOSTS: JSON.stringify(hosts),
      CLUSTERS: JSON.stringify([
        ...clusters.map((c, i) => ({
          name: c.name,
          baseUrl: c.url,
          publicOrigin: c.publicOrigin,
          region: c.region,
          latitude: clusterSpecs[i]?.latitude ?? 0,
          longitude: clusterSpecs[i]?.longitude ?? 0,
        })),
        ...(backendOrigins === undefined ? [] : demoBackends(backendOrigins).clusters),
      ]),
      CLUSTER_SECRETS: JSON.stringify({
        ...Object.fromEntries(clusters.map((c) => [c.name, c.secret])),
        ...(backendOrigins === undefined ? {} : demoBackends(backendOrigins).secrets),
      }),
      // The unpacked Chrome build (its fixed development id) may call the API with the user's cookie: the popup's
      // workspaces and Stop.
      API_ALLOWED_ORIGINS: DEV_EXTENSION_ORIGIN,
      ...signIn,
      ...options.launcherVars,
    };
    const persist = join(dataDir, 'wrangler');
    // The launcher's local D1 and KV (sessions, encrypted tokens): this user's alone.
    mkdirSync(persist, { recursive: true, mode: 0o700 });
    chmodSync(persist, 0o700);
    // Vars and secrets in a file only this user reads, never on a command line (where `ps` shows them).
    const envFile = join(dataDir, 'launcher.env');
    writeEnvFile(envFile, vars);
    // The Worker built once, and wrangler dev given a config without the build (stackWranglerConfig).
    await exec(BIN('tsx'), ['scripts/build-worker.ts'], {}, log);
    const wranglerConfig = stackWranglerConfig(dataDir);
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
        wranglerConfig,
        '--ip',
        '127.0.0.1',
        '--port',
        String(launcherPort),
        // Its devtools port too: wrangler's default probes 9229 upward, and two stacks starting at once (tests on
        // one machine) both find 9229 free, then one of them cannot bind it and dies.
        '--inspector-port',
        String(await freePort()),
        '--persist-to',
        persist,
        '--show-interactive-dev-session=false',
        '--env-file',
        envFile,
      ],
      options.userLocation === undefined
        ? QUIET_WRANGLER
        : userLocationEnv(options.userLocation, join(dataDir, 'request-cf.json')),
    );
    await waitForHttp(`http://127.0.0.1:${launcherPort}/robots.txt`, 60_000, () =>
      children.some((c) => c.exitCode !== null),
    );
    return {
      launcherUrl,
      clusterUrl: first.url,
      clusterSecret: first.secret,
      clusters,
      ...(fakes !== undefined && { fakes }),
      ...(backendOrigins !== undefined && { backends: backendOrigins }),
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

interface ClusterLaunch {
  readonly run: (
    name: string,
    command: string,
    args: readonly string[],
    env?: Record<string, string>,
  ) => ChildProcess;
  readonly log: readonly string[];
  /** The prefix of its lines in the stack's output. */
  readonly label: string;
  readonly publicHost: string;
  readonly dataDir: string;
  readonly gitConfig: string;
  readonly port?: number;
  readonly args: readonly string[];
}

/** One reference cluster, ready to serve. A port another process grabbed meanwhile is retried with a fresh one. */
async function startCluster(spec: StackClusterOptions, launch: ClusterLaunch): Promise<StackCluster> {
  const secret = randomBytes(24).toString('hex');
  const region = spec.region ?? 'local';
  for (let attempt = 0; ; attempt++) {
    // Picked right before the server starts (the fakes and earlier clusters took theirs already).
    const port = launch.port ?? (await freePort());
    // The API on loopback by address; workspaces under a host name (an address has no subdomains): *.localhost
    // resolves to loopback in browsers, and below `workspaces.localhost` a workspace and its ports are one site, as
    // below a real domain (the editor's preview frames a port with its cookie).
    const url = `http://127.0.0.1:${port}`;
    const publicOrigin = `http://workspaces.localhost:${port}`;
    const linesBefore = launch.log.length;
    const child = launch.run(
      launch.label,
      TS_NODE[0],
      [
        ...TS_NODE.slice(1),
        'cluster/src/main.ts',
        ...['--name', spec.name, '--region', region, '--port', String(port), '--public-origin', publicOrigin],
        ...['--data', launch.dataDir, '--git-config', launch.gitConfig],
        ...launch.args,
      ],
      { LAUNCHPOD_CLUSTER_SECRET: secret },
    );
    clusterChildren.add(child);
    clusterDataDirs.add(launch.dataDir);
    try {
      await firstJsonLine(child, launch.label, 30_000);
      return {
        name: spec.name,
        region,
        url,
        publicOrigin,
        secret,
        dataDir: launch.dataDir,
        stop: async () => {
          await terminate(child);
          await sweepCluster(launch.dataDir);
        },
      };
    } catch (error) {
      const portTaken = launch.log
        .slice(linesBefore)
        .some((line) => line.startsWith(`[${launch.label}]`) && line.includes('EADDRINUSE'));
      if (attempt >= 2 || launch.port !== undefined || !portTaken) throw error;
    }
  }
}

/**
 * wrangler dev's `request.cf` read from a file of ours instead of its placeholder: miniflare takes a sample from
 * CLOUDFLARE_CF_FETCH_PATH when the file is younger than 30 days, and fetches nothing then.
 */
function userLocationEnv(
  location: { readonly latitude: number; readonly longitude: number },
  file: string,
): Record<string, string> {
  writeFileSync(
    file,
    JSON.stringify({
      colo: 'LCL',
      country: 'XX',
      // Strings, as Cloudflare sends them.
      latitude: String(location.latitude),
      longitude: String(location.longitude),
      httpProtocol: 'HTTP/1.1',
      clientTcpRtt: 0,
    }),
  );
  // `false` would mean "the placeholder", whatever the path; with a fresh file, `true` still fetches nothing.
  return { ...QUIET_WRANGLER, CLOUDFLARE_CF_FETCH_ENABLED: 'true', CLOUDFLARE_CF_FETCH_PATH: file };
}
