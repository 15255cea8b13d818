// The public workspace page: everything from the request escaped under a strict CSP, what was opened and how it
// started, how to open it locally, and live logs over server-sent events.

import { afterEach, describe, expect, it } from 'vitest';
import { checkoutOf, type Harness, makeHarness, startRequest } from './cluster-harness.ts';
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
    const response = await h.cluster.app.request(`/workspaces/${request.id}`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('shows what was opened, how it started, and how to open it locally', async () => {
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
    const html = await (await h.cluster.app.request(`/workspaces/${request.id}`)).text();
    const repoDir = checkoutOf(h.dataDir, request.id);
    expect(html).toContain('acme/app');
    expect(html).toContain(`<code>${sha}</code>`);
    expect(html).toContain('<code>main</code>');
    expect(html).toContain('<code>src/app.ts</code> line 12–14');
    expect(html).toMatch(/Cloned in \d+\.\d s \(no prebuild\)/);
    expect(html).toMatch(/init took \d+\.\d s/);
    expect(html).toContain(`href="vscode://file${repoDir}/src/app.ts:12"`);
    expect(html).toContain(`<code id="cd-command">cd ${repoDir}</code>`);
    expect(html).toContain(`data-copy="cd ${repoDir}"`);
    expect(html).toContain('data-phase="running"');
    expect(html).toContain(`{"streamUrl":"/workspaces/${request.id}/logs/stream"}`);

    const script = await h.cluster.app.request('/assets/workspace.js');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('new EventSource');
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
    const html = await (await h.cluster.app.request(`/workspaces/${request.id}`)).text();
    expect(html).toContain('data-phase="failed"');
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
    const response = await h.cluster.app.request(`/workspaces/${request.id}/logs/stream`);
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
    const text = await (await h.cluster.app.request(`/workspaces/${request.id}/logs/stream`)).text();
    expect(text).toContain('"phase":"stopped"');
    expect(text).toContain('event: end');
  });

  it('answers 404 pages for unknown workspaces', async () => {
    const { h } = setup();
    const page = await h.cluster.app.request('/workspaces/ws-nope');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Workspace not found');
    expect((await h.cluster.app.request('/workspaces/ws-nope/logs/stream')).status).toBe(404);
  });
});
