// A local smart-HTTP git server for tests: `git http-backend` behind Node's http server, requiring basic auth.
// Counts requests and the credentials it saw. Never listens beyond 127.0.0.1.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  readonly url: string;
  /** Authorization headers received, decoded (`user:password`), including wrong ones. */
  readonly seenCredentials: string[];
  /** When each request arrived (ms since the epoch). */
  readonly requestTimes: number[];
  close(): Promise<void>;
}

export async function gitHttpServer(
  projectRoot: string,
  username: string,
  password: string,
  /** Each authenticated answer waits this long first: a slow server keeps a clone (and its credential) alive. */
  delayMs = 0,
): Promise<GitHttpServer> {
  const seenCredentials: string[] = [];
  const requestTimes: number[] = [];
  const server = createServer(async (req, res) => {
    requestTimes.push(Date.now());
    const auth = req.headers.authorization ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : '';
    if (decoded !== '') seenCredentials.push(decoded);
    if (decoded !== `${username}:${password}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end('auth required');
      return;
    }
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: username,
      },
    });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const head = output.subarray(0, split).toString();
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers).end(output.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seenCredentials,
    requestTimes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
