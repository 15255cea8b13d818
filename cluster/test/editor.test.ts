// A running workspace as its owner meets it on its own origin: VS Code (code-server in the sandbox, behind the
// cluster), its ports on their own origins (owner-only unless public), stop / restart / delete from its page, and
// the idle timeout. Everyone else gets the gate; the cluster's cookie never reaches the workspace.

import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signOpenToken } from '../../shared/workspace-access.ts';
import { agentPaths } from '../src/editor/agent-files.ts';
import {
  checkoutOf,
  type Harness,
  makeHarness,
  processesOf,
  SECRET,
  startRequest,
  workspaceUid,
} from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

// Answers every request with the headers it got, and sets a host cookie and one for the whole domain; takes every
// WebSocket upgrade, naming its port.
const ECHO_SERVER = `const http = require('http');
for (const port of [3000, 3001]) {
  http.createServer((req, res) => {
    res.setHeader('set-cookie', ['mine=1; Path=/', 'tossed=1; Domain=localhost; Path=/']);
    res.end(JSON.stringify({ port, path: req.url, cookie: req.headers.cookie || '' }));
  }).on('upgrade', (req, socket) => {
    socket.end('HTTP/1.1 101 Switching Protocols\\r\\nupgrade: websocket\\r\\nconnection: upgrade\\r\\nx-app-port: ' + port + '\\r\\n\\r\\n');
  }).listen(port, '127.0.0.1');
}
`;

/** A WebSocket upgrade to the cluster's host server, as a visitor sends it: answers the head of the answer. */
async function upgradeHead(h: Harness, host: string, path: string, extraHeader: string): Promise<string> {
  const server = h.cluster.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((done) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeader}\r\n\r\n`,
        ),
      );
      let got = '';
      const end = (head: string) => {
        socket.destroy();
        done(head);
      };
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        got += chunk;
        if (got.includes('\r\n\r\n')) end(got.slice(0, got.indexOf('\r\n\r\n')));
      });
      socket.on('close', () => end(got));
      socket.on('error', (error) => end(String(error)));
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/**
 * The owner's WebSocket to the workspace's editor, held open (as a browser with VS Code open holds it): tried again
 * until the proxy keeps it rather than answering that nothing listens yet.
 */
async function holdOwnerConnection(h: Harness, id: string): Promise<{ close(): void }> {
  const cookie = await h.ownerCookie(id);
  const server = h.cluster.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    const socket = connect(port, '127.0.0.1');
    socket.write(
      `GET /?reconnectionToken=owner HTTP/1.1\r\nHost: ${id}.localhost:8788\r\nCookie: ${cookie}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
    const answered = await new Promise<boolean>((done) => {
      socket.once('data', () => done(true));
      socket.once('close', () => done(true));
      setTimeout(() => done(false), 500);
    });
    if (!answered)
      return {
        close: () => {
          socket.destroy();
          close();
        },
      };
    socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
  }
  close();
  throw new Error('the proxy never held the connection');
}

function setup(overrides = {}) {
  const h = makeHarness({ startEditor: true, ...overrides });
  open.push(h);
  const repo = makeRepo(tempDir());
  const sha = repo.commit({ 'server.js': ECHO_SERVER, 'src/app.ts': 'export const answer = 42;\n' });
  return { h, repo, sha };
}

async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const tampered = (value: string) => `${value.slice(0, -1)}${value.endsWith('0') ? '1' : '0'}`;

const token = (id: string, overrides: Partial<Parameters<typeof signOpenToken>[1]> = {}) =>
  signOpenToken(SECRET, {
    workspaceId: id,
    ownerId: 'user-1',
    expiresAt: Math.floor(Date.now() / 1000) + 60,
    nonce: crypto.randomUUID().replaceAll('-', ''),
    ...overrides,
  });

describe('the owner and everyone else', () => {
  it('lets in only whoever the launcher handed over, once per token, and only on that workspace', async () => {
    const { h, repo, sha } = setup({ startEditor: false });
    const a = startRequest({ cloneUrl: repo.url, sha });
    const b = startRequest({ cloneUrl: repo.url, sha });
    await h.start(a);
    await h.start(b);
    await h.waitFor(a.id, 'running');
    await h.waitFor(b.id, 'running');
    const hostA = `${a.id}.localhost:8788`;

    const gate = await h.hostRequest(hostA, '/');
    expect(gate.status).toBe(401);
    expect(gate.body).toContain('Open this workspace from Launchpod');
    expect((await h.hostRequest(hostA, '/_launchpod/status')).status).toBe(401);

    for (const [bad, why] of [
      [token(a.id, { ownerId: 'someone-else' }), 'belongs to another workspace or another person'],
      [token(b.id), 'belongs to another workspace or another person'],
      [token(a.id, { expiresAt: Math.floor(Date.now() / 1000) - 1 }), 'has expired'],
      // The signature's last character changed (to another one: a token ending in 0 stays valid with a 0).
      [tampered(token(a.id)), 'is not valid'],
    ] as const) {
      const answer = await h.hostRequest(hostA, `/_launchpod/auth?token=${bad}`);
      expect(answer.status).toBe(403);
      expect(answer.body).toContain(why);
      expect(answer.headers['set-cookie']).toBeUndefined();
    }

    const good = token(a.id);
    const handed = await h.hostRequest(hostA, `/_launchpod/auth?token=${good}&to=%2F%2Fevil.example%2F`);
    expect(handed.status).toBe(302);
    expect(handed.headers.location).toBe('/');
    const setCookie = String(handed.headers['set-cookie']);
    expect(setCookie).toMatch(
      /^launchpod_ws=\d+\.[0-9a-f]{64}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/,
    );
    expect(setCookie).not.toContain('Domain');
    const again = await h.hostRequest(hostA, `/_launchpod/auth?token=${good}`);
    expect(again.status).toBe(403);
    expect(again.body).toContain('already used');

    const cookie = setCookie.split(';')[0] ?? '';
    expect((await h.hostRequest(hostA, '/_launchpod/status', { cookie })).status).toBe(200);
    // The same cookie opens nothing on another workspace's origin.
    expect((await h.hostRequest(`${b.id}.localhost:8788`, '/_launchpod/status', { cookie })).status).toBe(
      401,
    );
  });

  it('refuses an action posted from another site', async () => {
    const { h, repo, sha } = setup({ startEditor: false });
    const request = startRequest({ cloneUrl: repo.url, sha });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const cookie = await h.ownerCookie(request.id);
    const host = `${request.id}.localhost:8788`;
    const crossSite = await h.hostRequest(host, '/_launchpod/stop', {
      method: 'POST',
      cookie,
      headers: { origin: 'http://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await h.status(request.id)).phase).toBe('running');
  });
});

describe('the editor and the ports', () => {
  it('serves VS Code from inside the sandbox at the workspace origin, and nothing of the cluster reaches it', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'app', command: 'node server.js' }],
      context: { path: { path: 'src/app.ts', kind: 'file' }, lines: { start: 1, end: 1 } },
      extra: {
        ports: [
          { port: 3000, onOpen: 'notify', visibility: 'private', protocol: 'http' },
          { port: 3001, onOpen: 'ignore', visibility: 'public', protocol: 'http' },
        ],
      },
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const host = `${request.id}.localhost:8788`;
    const cookie = await h.ownerCookie(request.id);

    const workbench = await eventually(async () => {
      const answer = await h.hostRequest(host, '/?folder=/workspace/app', { cookie });
      if (answer.status !== 200) throw new Error(`editor answered ${answer.status}`);
      return answer;
    });
    expect(workbench.body).toContain('vscode-workbench-web-configuration');
    const status = JSON.parse((await h.hostRequest(host, '/_launchpod/status', { cookie })).body);
    expect(status).toMatchObject({ phase: 'running', editorReady: true });
    // code-server runs as the workspace's own uid, like its tasks.
    expect(processesOf(workspaceUid(h.dataDir, request.id)).join('\n')).toContain('code-server');

    // The context's file goes to the workbench with the editor's first load of the instance (VS Code's payload opens
    // it as the workbench starts, before the extension host is up); after that load, `/` is the editor's own, and a
    // reload of the first address opens nothing again.
    const payload = JSON.stringify([
      ['openFile', `vscode-remote://${host}/workspace/app/src/app.ts:1`],
      ['gotoLineMode', 'true'],
    ]);
    const entry = `/?folder=/workspace/app&payload=${encodeURIComponent(payload)}`;
    const first = await h.hostRequest(host, '/', { cookie });
    expect({ status: first.status, location: first.headers.location }).toStrictEqual({
      status: 302,
      location: entry,
    });
    expect((await h.hostRequest(host, '/', { cookie })).headers.location).toBe(entry);
    const loaded = await h.hostRequest(host, entry, { cookie });
    expect(loaded.status).toBe(200);
    expect(loaded.body).toContain('vscode-workbench-web-configuration');
    expect((await h.hostRequest(host, '/', { cookie })).headers.location).toBe('./?folder=/workspace/app');
    const reload = await h.hostRequest(host, entry, { cookie });
    expect({ status: reload.status, location: reload.headers.location }).toStrictEqual({
      status: 302,
      location: '/?folder=/workspace/app',
    });
    // Without the owner's cookie, the gate as before.
    expect((await h.hostRequest(host, '/')).status).toBe(401);

    // A public port answers anyone; the cluster's cookie never reaches the app, and the app sets no cookie
    // beyond its own host.
    const publicPort = await eventually(async () => {
      const answer = await h.hostRequest(`3001-${host}`, '/hello', { cookie: `${cookie}; theirs=2` });
      if (answer.status !== 200) throw new Error(`port answered ${answer.status}`);
      return answer;
    });
    expect(JSON.parse(publicPort.body)).toStrictEqual({ port: 3001, path: '/hello', cookie: 'theirs=2' });
    expect(publicPort.headers['set-cookie']).toStrictEqual(['mine=1; Path=/']);

    // Whatever host a visitor names, a public port's host serves that port and nothing else. code-server takes the
    // host from Forwarded or X-Forwarded-Host before Host: naming the workspace's host there reached the editor
    // itself (its files, its terminals) with no cookie, and naming a private port's host reached that port.
    const file = `/vscode-remote-resource?path=${encodeURIComponent('/workspace/app/server.js')}`;
    const forgeries: Record<string, string>[] = [
      { 'x-forwarded-host': host },
      { forwarded: `host=${host}` },
      { 'x-forwarded-host': `3000-${host}` },
      { forwarded: `for=192.0.2.1;proto=http;host=3000-${host}`, 'x-forwarded-server': host },
    ];
    for (const forged of forgeries) {
      const answer = await h.hostRequest(`3001-${host}`, file, { headers: forged });
      expect({ forged, status: answer.status }).toStrictEqual({ forged, status: 200 });
      expect(JSON.parse(answer.body)).toStrictEqual({ port: 3001, path: file, cookie: '' });
    }
    // The same over WebSocket, where the editor's connection (terminals, files) would open.
    const socketPath = '/?reconnectionToken=a1b2c3&reconnection=false&skipWebSocketFrames=false';
    for (const forged of [
      `X-Forwarded-Host: ${host}`,
      `Forwarded: host=${host}`,
      `X-Forwarded-Host: 3000-${host}`,
    ]) {
      const head = await upgradeHead(h, `3001-${host}`, socketPath, forged);
      expect({ forged, head: head.split('\r\n')[0] }).toStrictEqual({
        forged,
        head: 'HTTP/1.1 101 Switching Protocols',
      });
      expect(head.toLowerCase()).toContain('x-app-port: 3001');
    }

    // A private port sends a visitor without its cookie through the workspace host, where the owner's cookie vouches.
    const away = await h.hostRequest(`3000-${host}`, '/x?y=1');
    expect(away.status).toBe(302);
    expect(away.headers.location).toBe(`http://${host}/_launchpod/port-auth?port=3000&to=%2Fx%3Fy%3D1`);
    expect((await h.hostRequest(host, '/_launchpod/port-auth?port=3000&to=%2Fx')).status).toBe(401);
    const vouched = await h.hostRequest(host, '/_launchpod/port-auth?port=3000&to=%2Fx%3Fy%3D1', { cookie });
    expect(vouched.status).toBe(302);
    const back = new URL(String(vouched.headers.location));
    expect(back.host).toBe(`3000-${host}`);
    const handed = await h.hostRequest(`3000-${host}`, `${back.pathname}${back.search}`);
    expect(handed.status).toBe(302);
    expect(handed.headers.location).toBe('/x?y=1');
    const portCookie = String(handed.headers['set-cookie']).split(';')[0] ?? '';
    // The token was for one use.
    expect((await h.hostRequest(`3000-${host}`, `${back.pathname}${back.search}`)).status).toBe(403);
    const app = await h.hostRequest(`3000-${host}`, '/x?y=1', { cookie: portCookie });
    expect(app.status).toBe(200);
    expect(JSON.parse(app.body)).toStrictEqual({ port: 3000, path: '/x?y=1', cookie: '' });
    // The workspace host's cookie is not the port host's.
    expect((await h.hostRequest(`3000-${host}`, '/x', { cookie })).status).toBe(302);
  });
});

describe('git inside the workspace', () => {
  it("asks the launcher for the owner's credentials per request, through the cluster, storing nothing", async () => {
    const { h, repo, sha } = setup({ startEditor: false });
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'shell', command: 'exec sleep 600' }],
      extra: { gitCredentialsUrl: 'http://launcher.test/api/v1/cluster/git-credentials' },
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const { runInWorkspace } = h;
    // What git does when it needs a password: its configured helper (the cluster's) fills it.
    const fill = () =>
      runInWorkspace(request.id, [
        'sh',
        '-c',
        'printf "protocol=https\nhost=git.example.test\npath=acme/app.git\n\n" | git credential fill',
      ]);
    const refused = await fill();
    expect(refused.stderr).toContain('launchpod: not allowed yet');
    h.launcher.gitCredentials = { username: 'x-access-token', password: 'tok-ALLOWED-123' };
    const granted = await fill();
    expect(granted.stdout).toContain('username=x-access-token\npassword=tok-ALLOWED-123');
    expect(h.launcher.gitAsks).toStrictEqual([
      { workspace: request.id, protocol: 'https', host: 'git.example.test', path: '' },
      { workspace: request.id, protocol: 'https', host: 'git.example.test', path: '' },
    ]);
    // Nothing of it stays in the workspace's files.
    const found = await runInWorkspace(request.id, [
      'sh',
      '-c',
      'grep -rl tok-ALLOWED-123 /workspace /home 2>/dev/null; true',
    ]);
    expect(found.stdout.trim()).toBe('');

    // The socket answers whoever connects with the owner's credentials, so it is the workspace uid's alone: another
    // user of the host (here `nobody`) cannot connect, nor list the socket folders.
    const socket = join(agentPaths(join(h.dataDir, 'workspaces', request.id)).cluster, 'git.sock');
    const { uid, mode } = statSync(socket);
    expect({ uid, mode: (mode & 0o777).toString(8) }).toStrictEqual({
      uid: workspaceUid(h.dataDir, request.id),
      mode: '600',
    });
    for (const folder of [dirname(socket), dirname(dirname(socket))])
      expect((statSync(folder).mode & 0o777).toString(8)).toBe('711');
    const ask = `const s = require('net').connect(process.argv[1]);
      s.on('connect', () => s.end(JSON.stringify({ protocol: 'https', host: 'git.example.test', path: '' })));
      s.on('data', (d) => process.stdout.write(d));
      s.on('error', (e) => process.stdout.write(e.code));`;
    const asNobody = await new Promise<string>((done) =>
      execFile(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', ask, socket],
        (_error, stdout) => done(stdout),
      ),
    );
    expect(asNobody).toBe('EACCES');
    expect(h.launcher.gitAsks).toHaveLength(2);
  });

  it('gives a workspace without a credentials URL (its owner did not sign in) no helper to ask', async () => {
    const { h, repo, sha } = setup({ startEditor: false });
    const request = startRequest({ cloneUrl: repo.url, sha, tasks: [{ command: 'exec sleep 600' }] });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const filled = await h.runInWorkspace(request.id, [
      'sh',
      '-c',
      'printf "protocol=https\nhost=git.example.test\n\n" | GIT_TERMINAL_PROMPT=0 git credential fill',
    ]);
    expect(filled.stdout).not.toContain('password=');
    expect(h.launcher.gitAsks).toStrictEqual([]);
  });
});

describe('the editor beside init', () => {
  it('starts VS Code as the sandbox comes up, so it answers while init still runs', async () => {
    const { h, repo, sha } = setup();
    // init waits (15 s at most) for the editor's socket to show in its own sandbox, and says whether it did.
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [
        {
          name: 'wait',
          init: 'for i in $(seq 1 150); do if [ -S /launchpod/run/editor.sock ]; then echo "editor up during init"; exit 0; fi; sleep 0.1; done; echo "no editor during init"',
          command: 'echo "command ran"',
        },
      ],
    });
    await h.start(request);
    const running = await h.waitFor(request.id, 'running', 'failed');
    expect(running.phase).toBe('running');
    const log = readFileSync(join(h.dataDir, 'workspaces', request.id, 'logs', '1-wait.log'), 'utf8');
    expect(log).toContain('editor up during init');
    expect(log).not.toContain('no editor during init');
    // Running, the editor answers at once, and the task's terminal still starts (after init, with its output).
    const cookie = await h.ownerCookie(request.id);
    const status = JSON.parse(
      (await h.hostRequest(`${request.id}.localhost:8788`, '/_launchpod/status', { cookie })).body,
    );
    expect(status).toMatchObject({ phase: 'running', editorReady: true });
    await eventually(async () => {
      const now = readFileSync(join(h.dataDir, 'workspaces', request.id, 'logs', '1-wait.log'), 'utf8');
      if (!now.includes('command ran')) throw new Error('the command has not run yet');
    });
  });
});

describe('stop, restart, delete and the idle timeout', () => {
  it("stops from the workspace's page, restarts with its files and before again, and deletes", async () => {
    const { h, repo, sha } = setup({ startEditor: false });
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [
        {
          name: 'work',
          before: 'echo "before $(date +%s%N)" >> ../before.log',
          init: 'echo built > built.txt',
          command: 'echo "instance work" > made-by-command.txt; exec sleep 600',
        },
      ],
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const host = `${request.id}.localhost:8788`;
    const cookie = await h.ownerCookie(request.id);
    const post = (path: string) =>
      h.hostRequest(host, path, { method: 'POST', cookie, headers: { origin: `http://${host}` } });
    const checkout = checkoutOf(h.dataDir, request.id);
    await eventually(async () => readFileSync(join(checkout, 'made-by-command.txt'), 'utf8'));
    const uid = workspaceUid(h.dataDir, request.id);

    const stopped = await post('/_launchpod/stop');
    expect(stopped.status).toBe(303);
    expect((await h.waitFor(request.id, 'stopped')).phase).toBe('stopped');
    expect(processesOf(uid)).toEqual([]);

    expect((await post('/_launchpod/restart')).headers.location).toBe('/_launchpod/?wait=editor');
    const again = await h.waitFor(request.id, 'running');
    expect(again).toMatchObject({ phase: 'running', instance: 2 });
    expect(again.timings?.initSkipped).toBe(true);
    // Its files are its files: init's output is there, before ran twice, init once.
    expect(readFileSync(join(checkout, 'built.txt'), 'utf8')).toBe('built\n');
    expect(
      readFileSync(join(checkout, '..', 'before.log'), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(2);
    const phases = h.launcher.events
      .filter((e) => e.workspace.id === request.id)
      .map((e) => e.workspace.phase);
    expect(phases).toEqual([
      'pending',
      'creating',
      'initializing',
      'running',
      'stopping',
      'stopped',
      'pending',
      'creating',
      'initializing',
      'running',
    ]);

    const deleted = await post('/_launchpod/delete');
    expect(deleted.status).toBe(303);
    expect(deleted.headers.location).toBe('http://launcher.test/workspaces');
    expect((await h.status(request.id)).phase).toBe('deleted');
    expect(processesOf(uid)).toEqual([]);
    expect(() => readFileSync(join(checkout, 'built.txt'))).toThrow();
    // Deleted is final: no restart, and its origin says so.
    expect((await h.call('POST', `/v1/workspaces/${request.id}/restart`, {})).status).toBe(409);
  });

  it('stops a workspace nobody uses, and keeps one whose owner is connected and working in it', async () => {
    const { h, repo, sha } = setup({ startEditor: false, idleTimeoutMs: 3000, idleCheckMs: 100 });
    const idle = startRequest({ cloneUrl: repo.url, sha, tasks: [{ command: 'exec sleep 600' }] });
    // The editor's extension and the agent write this file when the owner types; here a loop stands in for them,
    // and a socket where the editor's would be takes the owner's connection and holds it open.
    const working = 'while sleep 0.2; do date > /launchpod/run/activity; done';
    const editorStandIn = `node -e "require('net').createServer(() => {}).listen('/launchpod/run/editor.sock')"`;
    const busy = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ command: `${editorStandIn} & ${working}` }],
    });
    // The same writes with no owner connected are the repository's own claim: they keep nothing (nor a slot).
    const squatter = startRequest({ cloneUrl: repo.url, sha, tasks: [{ command: working }] });
    for (const request of [idle, busy, squatter]) await h.start(request);
    for (const request of [idle, busy, squatter]) await h.waitFor(request.id, 'running');
    const owner = await holdOwnerConnection(h, busy.id);

    const reason = 'Stopped after 3 seconds without activity; restart it to go on.';
    expect((await h.waitFor(idle.id, 'stopped')).stopReason).toBe(reason);
    expect((await h.waitFor(squatter.id, 'stopped')).stopReason).toBe(reason);
    expect((await h.status(busy.id)).phase).toBe('running');
    // Once the owner has gone, the same writes keep it no longer.
    owner.close();
    expect((await h.waitFor(busy.id, 'stopped')).stopReason).toBe(reason);
    // A restart gives the idle one its full time again.
    expect((await h.call('POST', `/v1/workspaces/${idle.id}/restart`, {})).status).toBe(200);
    expect((await h.waitFor(idle.id, 'running')).stopReason).toBeUndefined();
  });
});
