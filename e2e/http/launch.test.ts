// The first end-to-end launch over HTTP, no browser: the launcher under wrangler dev, the reference cluster and the
// fake GitHub with real git repositories. A branch with slashes is launched through the API and checked on disk.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, stopAllStacks } from '../stack.ts';

let stack: Stack;
let dataDir: string;
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}1`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'launchpod-e2e-'));
  stack = await startStack({ demo: true, dataDir });
}, 180_000);

afterAll(async () => {
  // Also stops a stack whose start timed out before the hook received it.
  await stopAllStacks();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.launcherUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      origin: stack.launcherUrl,
      cookie: owner,
      ...(init.headers ?? {}),
    },
  });
  const body = await response.text();
  try {
    return { status: response.status, body: JSON.parse(body) as Record<string, unknown> };
  } catch {
    throw new Error(`${path}: ${response.status} ${body.slice(0, 500)}\n${stack.output().slice(-4000)}`);
  }
}

async function launchAndWait(url: string) {
  const started = await api('/api/v1/workspaces', { method: 'POST', body: JSON.stringify({ url }) });
  if (started.status !== 201)
    throw new Error(`start: ${JSON.stringify(started.body)}\n${stack.output().slice(-4000)}`);
  const id = String(started.body.id);
  let status: Record<string, unknown> = started.body;
  for (let i = 0; i < 240 && status.phase !== 'running' && status.phase !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = (await api(`/api/v1/workspaces/${id}`)).body;
  }
  return { id, status };
}

describe('a launch over HTTP on the local stack', () => {
  it('opens a branch with slashes at its head commit, with init run', async () => {
    const { id, status } = await launchAndWait(
      'https://github.com/launchpod-samples/node-app/tree/feature/x/y',
    );
    expect(status, stack.output().slice(-4000)).toMatchObject({ phase: 'running', cluster: 'local' });
    expect(String(status.url)).toBe(`${stack.clusterUrl}/workspaces/${id}`);

    const repo = join(dataDir, 'cluster', 'workspaces', id, 'repo');
    const remoteHead = execFileSync('git', [
      'ls-remote',
      `${stack.fakes?.gitBase}/github.com/launchpod-samples/node-app.git`,
      'refs/heads/feature/x/y',
    ])
      .toString()
      .split('\t')[0];
    expect(execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD']).toString().trim()).toBe(remoteHead);
    expect(execFileSync('git', ['-C', repo, 'rev-parse', '--abbrev-ref', 'HEAD']).toString().trim()).toBe(
      'feature/x/y',
    );
    expect(existsSync(join(repo, 'src', 'feature.js'))).toBe(true);
    // The sample .gitpod.yml's init writes this file after a few seconds.
    expect(readFileSync(join(repo, '.deps-ready'), 'utf8')).toContain('dependencies installed');

    const page = await fetch(String(status.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('feature/x/y');
  }, 180_000);

  it('shows the invalid .gitpod.yml error page naming the line', async () => {
    const response = await fetch(`${stack.launcherUrl}/https://github.com/launchpod-samples/invalid-config`);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('.gitpod.yml has a mistake at line 5');
  });
});
