// The four fake git-host APIs and one git smart-HTTP server on loopback, over the same materialised sample data, so
// the launcher's API calls and a workspace's `git clone` see the same commits. Never listens beyond `host`.
// CLI: `tsx dev/fakes/serve.ts --root <dir> [--init-seconds 5]` prints one JSON line `{apis, gitBase, gitRewrites}` and runs until
// SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import { fakeFamilies } from './families.ts';
import { addCommit, bareRepoDir, gitEnv, materialise, type NewCommit } from './git-repos.ts';
import type { FakeHostData } from './model.ts';
import { sampleFamilies, sampleHosts, samples } from './sample-data.ts';

export type SampleHost = keyof typeof samples;

/** `git -c url.<base>.insteadOf=<insteadOf> …` sends the real host's clone URLs to the local git server. */
export interface GitRewrite {
  readonly base: string;
  readonly insteadOf: string;
}

export interface FakeHosts {
  /**
   * Origins of the API servers: GitHub REST at `github`, GraphQL at `${github}/graphql`; GitLab at
   * `${gitlab}/api/v4`; Bitbucket Cloud at `${bitbucketCloud}/2.0`; Bitbucket Server at
   * `${bitbucketServer}/rest/api/1.0`.
   */
  readonly apis: Readonly<Record<SampleHost, string>>;
  /**
   * `http://127.0.0.1:<port>`; a repository is at `${gitBase}/<hostname><clone URL path>`. `POST ${gitBase}/_push`
   * with `{host, commit}` (a NewCommit) is addCommit for a test in another process (the stack runs the fakes as a
   * child); it answers `201 {sha}`.
   */
  readonly gitBase: string;
  /** The models the APIs serve, with real git shas; addCommit changes them in place. */
  readonly data: Readonly<Record<SampleHost, FakeHostData>>;
  readonly gitRewrites: readonly GitRewrite[];
  /**
   * The self-hosted Gitea under `/git` at its loopback address, web pages included (`${apis.gitea}/git/`): a git
   * host site a browser can open offline, for the extension's button (the launcher lists it as a self-hosted host).
   */
  readonly webSite: string;
  /** Appends a commit in the bare repository and the model; returns its sha. */
  addCommit(host: SampleHost, change: NewCommit): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where the bare repositories are written (each run replaces them). */
  readonly root: string;
  /** Loopback address to listen on. */
  readonly host?: string;
  /** How long the sample `.gitpod.yml`'s init sleeps (default 5 s, as in the demo). */
  readonly initSeconds?: number;
}

export const SAMPLE_FAMILIES = sampleFamilies;

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export async function startFakeHosts(options: StartOptions): Promise<FakeHosts> {
  const root = resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  const sampleData = options.initSeconds === undefined ? samples : sampleHosts(options.initSeconds);
  const hosts = Object.keys(sampleData) as SampleHost[];
  const materialised = await Promise.all(
    hosts.map((h) => materialise(sampleData[h], root, SAMPLE_FAMILIES[h])),
  );
  const data = Object.fromEntries(hosts.map((h, i) => [h, materialised[i]])) as Record<
    SampleHost,
    FakeHostData
  >;

  const servers: Server[] = [];
  const listen = async (server: Server): Promise<string> => {
    servers.push(server);
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(0, host, () => done());
    });
    const { port } = server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const close = async () => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      ),
    );
  };

  try {
    const origins = await Promise.all(
      hosts.map((h) =>
        listen(
          createServer(
            getRequestListener(fakeFamilies[SAMPLE_FAMILIES[h]].api(data[h]), {
              overrideGlobalObjects: false,
              hostname: host,
            }),
          ),
        ),
      ),
    );
    const apis = Object.fromEntries(hosts.map((h, i) => [h, origins[i]])) as Record<SampleHost, string>;
    const push = (h: SampleHost, change: NewCommit) =>
      addCommit(bareRepoDir(root, data[h], change, SAMPLE_FAMILIES[h]), data[h], change);
    const gitBase = await listen(createServer(withPushes(gitHttpBackend(root), push)));
    const gitRewrites = [
      ...hosts.map((h) => ({
        base: `${gitBase}/${data[h].hostname}/`,
        insteadOf: `https://${data[h].hostname}/`,
      })),
      // The self-hosted Gitea at its loopback address too (its web pages: the demo's button door).
      { base: `${gitBase}/${data.gitea.hostname}/`, insteadOf: `${apis.gitea}/` },
    ];
    return {
      apis,
      gitBase,
      data,
      gitRewrites,
      webSite: `${apis.gitea}${data.gitea.basePath ?? ''}`,
      addCommit: push,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `POST /_push` `{"host":"github","commit":{owner,name,branch,message,files}}` → addCommit → `201 {"sha":…}`; every
 * other request goes to git. No repository lives at `/_push`: they all sit under `/<hostname>/`.
 */
function withPushes(git: Listener, push: (host: SampleHost, change: NewCommit) => Promise<string>): Listener {
  return (req, res) => {
    if (req.url !== '/_push') return git(req, res);
    const answer = (status: number, body: object) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST') return answer(405, { error: 'POST a {host, commit} object' });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let host: SampleHost;
      let change: NewCommit;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          host?: unknown;
          commit?: unknown;
        };
        if (typeof body.host !== 'string' || !Object.hasOwn(samples, body.host))
          throw new Error(`host must be one of ${Object.keys(samples).join(', ')}`);
        const commit = body.commit as Partial<NewCommit> | undefined;
        if (
          typeof commit?.owner !== 'string' ||
          typeof commit.name !== 'string' ||
          typeof commit.branch !== 'string' ||
          typeof commit.message !== 'string' ||
          typeof commit.files !== 'object' ||
          commit.files === null
        )
          throw new Error('commit needs owner, name, branch, message and files');
        host = body.host as SampleHost;
        change = commit as NewCommit;
      } catch (error) {
        return answer(400, { error: error instanceof Error ? error.message : String(error) });
      }
      push(host, change).then(
        (sha) => answer(201, { sha }),
        (error: unknown) => answer(422, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  };
}

/** Serves the bare repositories under `root` through git's own CGI, read-only, as a git host's smart HTTP does. */
function gitHttpBackend(root: string): Listener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://git.invalid');
    let pathInfo: string;
    try {
      pathInfo = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request path\n');
      return;
    }
    const header = (name: string): Record<string, string> => {
      const value = req.headers[name];
      return typeof value === 'string' ? { [`HTTP_${name.toUpperCase().replace(/-/g, '_')}`]: value } : {};
    };
    const gitProtocol = req.headers['git-protocol'];
    const child = spawn(HTTP_BACKEND, [], {
      env: {
        ...serverEnv(),
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GATEWAY_INTERFACE: 'CGI/1.1',
        SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: pathInfo,
        QUERY_STRING: url.search.slice(1),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] !== undefined && { CONTENT_LENGTH: req.headers['content-length'] }),
        // git-http-backend inflates `Content-Encoding: gzip` bodies itself when told the encoding.
        ...header('content-encoding'),
        ...header('git-protocol'),
        ...(typeof gitProtocol === 'string' && { GIT_PROTOCOL: gitProtocol }),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // the backend may answer (an error) before reading the whole body
    req.pipe(child.stdin);

    let head = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
      if (end === -1) return;
      child.stdout.off('data', onHead);
      const { status, headers } = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
      res.writeHead(status, headers);
      res.write(head.subarray(end));
      child.stdout.pipe(res);
    };
    child.stdout.on('data', onHead);
    child.on('error', (error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${HTTP_BACKEND}: ${error.message}\n`);
    });
    child.on('close', (code) => {
      if (res.headersSent) return;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`git-http-backend exited ${code} without an answer: ${Buffer.concat(stderr).toString('utf8')}`);
    });
  };
}

/** git's clean environment minus CGI variables of the server's own: an inherited `HTTP_*` is not a header. */
function serverEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(gitEnv()).filter(
      ([name]) => !/^(HTTP_|CONTENT_|QUERY_STRING$|PATH_INFO$|REQUEST_METHOD$|GIT_PROTOCOL$)/.test(name),
    ),
  );
}

/** `Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\n` → 404 and the other headers. */
function parseCgiHeaders(block: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'init-seconds': { type: 'string' },
    },
  });
  const initSeconds = values['init-seconds'] === undefined ? undefined : Number(values['init-seconds']);
  if (initSeconds !== undefined && !(Number.isInteger(initSeconds) && initSeconds >= 0))
    throw new Error(`--init-seconds must be a whole number of seconds, not ${values['init-seconds']}`);
  // Without --root the repositories go to a temporary folder that is removed on exit.
  const temporary = values.root === undefined ? await mkdtemp(join(tmpdir(), 'launchpod-git-')) : undefined;
  const root = values.root ?? temporary ?? '';
  const fakes = await startFakeHosts({
    root,
    host: values.host,
    ...(initSeconds !== undefined && { initSeconds }),
  });
  process.stdout.write(
    `${JSON.stringify({ apis: fakes.apis, gitBase: fakes.gitBase, gitRewrites: fakes.gitRewrites, webSite: fakes.webSite })}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fakes.close();
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
