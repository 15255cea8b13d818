// The workspace page, on the workspace's own origin and for its owner only: everything from the request escaped
// under a strict CSP, what was opened and how it started, the actions, and live logs over server-sent events (also
// through the contract's API, for the launcher).

import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

/** Reads server-sent events until `until` holds for the text so far, then cancels the stream. */
async function readEvents(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!until(text) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

function setup() {
  const h = makeHarness();
  open.push(h);
  const repo = makeRepo(tempDir());
  return { h, repo, sha: repo.git('rev-parse', 'HEAD') };
}

describe('workspace page', () => {
  it('escapes hostile repository names and context, under a strict CSP', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      context: {
        repo: {
          host: 'git.example.test',
          family: 'github',
          owner: '<script>alert(1)</script>',
          name: '"><img src=x onerror=alert(2)>',
        },
        webUrl: 'javascript:alert(3)',
        path: { path: 'src/</script><script>alert(4)</script>.ts', kind: 'file' },
      },
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const cookie = await h.ownerCookie(request.id);
    const response = await h.hostRequest(`${request.id}.localhost:8788`, '/_launchpod/', { cookie });
    expect(response.status).toBe(200);
    const csp = String(response.headers['content-security-policy'] ?? '');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = response.body;
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('shows what was opened, how it started, what it is doing and what its owner can do with it', async () => {
    const { h, repo } = setup();
    const sha = repo.commit({ 'src/app.ts': 'export {}\n' });
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ init: 'true' }],
      context: {
        path: { path: 'src/app.ts', kind: 'file' },
        lines: { start: 12, end: 14 },
        ref: { name: 'main', type: 'branch' },
      },
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const host = `${request.id}.localhost:8788`;
    const cookie = await h.ownerCookie(request.id);
    const html = (await h.hostRequest(host, '/_launchpod/', { cookie })).body;
    expect(html).toContain('acme/app');
    expect(html).toContain(`<code>${sha}</code>`);
    expect(html).toContain('<code>main</code>');
    expect(html).toContain('<code>src/app.ts</code> line 12–14');
    expect(html).toMatch(/Cloned in \d+\.\d s \(no prebuild\)/);
    expect(html).toMatch(/init took \d+\.\d s/);
    // The checkout as the workspace sees it; the cluster's own paths are none of the page's business.
    expect(html).toContain('<code id="workspace-path">/workspace/app</code>');
    expect(html).not.toContain(h.dataDir);
    expect(html).toContain('data-phase="running"');
    // This cluster runs without editors (the harness's default): the page is all there is.
    expect(html).not.toContain('id="open-editor"');
    expect(html).toContain('action="/_launchpod/stop"');
    expect(html).toContain('action="/_launchpod/delete"');
    expect(html).not.toContain('action="/_launchpod/restart"');
    expect(html).toContain('"streamUrl":"/_launchpod/logs"');
    expect(html).toContain('href="http://launcher.test/workspaces"');

    const script = await h.hostRequest(host, '/_launchpod/assets/workspace.js');
    expect(String(script.headers['content-type'])).toContain('javascript');
    expect(script.body).toContain('new EventSource');
  });

  it('shows the failure reason and a fallback reason', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'build', init: 'exit 4' }],
      extra: {
        initializer: { kind: 'prebuild-snapshot-with-git-fallback', prebuildId: 'pb-x', snapshotSha: sha },
      },
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    const cookie = await h.ownerCookie(request.id);
    const html = (await h.hostRequest(`${request.id}.localhost:8788`, '/_launchpod/', { cookie })).body;
    expect(html).toContain('data-phase="failed"');
    expect(html).toContain('action="/_launchpod/restart"');
    expect(html).toContain('Task &quot;build&quot; (task 1) init failed with exit code 4');
    expect(html).toContain('pb-x has no snapshot on this cluster');
  });

  it('streams task logs and status as server-sent events', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [
        {
          name: 'serve',
          init: 'echo init-line',
          command: 'echo first-line; sleep 0.3; echo later-line; exec sleep 30',
        },
      ],
    });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    // Through the contract's API, as the launcher's start page gets them.
    const response = await h.call('GET', `/v1/workspaces/${request.id}/logs`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await readEvents(response, (t) => t.includes('later-line'));
    expect(text).toContain('event: status');
    expect(text).toContain('"phase":"running"');
    expect(text).toContain('event: log');
    expect(text).toContain('"task":"1-serve"');
    expect(text).toContain('init-line');
    expect(text).toContain('first-line');
    expect(text).toContain('later-line');
  });

  it('ends the stream once the workspace has stopped', async () => {
    const { h, repo, sha } = setup();
    const request = startRequest({ cloneUrl: repo.url, sha });
    await h.start(request);
    await h.waitFor(request.id, 'running');
    await h.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    await h.waitFor(request.id, 'stopped');
    const cookie = await h.ownerCookie(request.id);
    const text = (await h.hostRequest(`${request.id}.localhost:8788`, '/_launchpod/logs', { cookie })).body;
    expect(text).toContain('"phase":"stopped"');
    expect(text).toContain('event: end');
  });

  it('answers 404 pages for unknown workspaces', async () => {
    const { h } = setup();
    const page = await h.cluster.app.request('/workspaces/ws-nope');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Workspace not found');
    expect((await h.hostRequest('ws-nope.localhost:8788', '/')).status).toBe(404);
    expect((await h.call('GET', '/v1/workspaces/ws-nope/logs')).status).toBe(404);
  });
});
