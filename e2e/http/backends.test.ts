// The same GitHub pull request opened through each backend kind on the local stack (the launcher under wrangler dev,
// the fake GitHub, the fake Coder and Ona APIs on loopback): each lands on the right link, or the right API call with
// the PR's repository and branch, and a second start reuses the workspace; a commit sent to Codespaces is explained.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { callApi } from './launcher-api.ts';

let stack: Stack;
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}3`;
const repo = 'https://github.com/launchpod-samples/node-app';
const pr = `${repo}/pull/1`;

beforeAll(async () => {
  ({ stack } = await startDemoStack('launchpod-e2e-backends-', { backends: true }));
}, 180_000);

afterAll(stopDemoStacks);

const resolve = async (url: string, backend: string) => {
  const answer = await callApi(stack, owner, '/api/v1/resolve', {
    method: 'POST',
    body: JSON.stringify({ url, options: { backend } }),
  });
  return answer.body.backend as { name: string; handoffUrl?: string; cannot: string[]; apiStart: boolean };
};

const state = async (origin: string | undefined) =>
  (await (await fetch(`${origin}/_state`)).json()) as Record<string, Record<string, unknown>[]>;

describe('one pull request, every backend kind', () => {
  it('lands on each kind’s own link with the PR', async () => {
    expect((await resolve(pr, 'ona')).handoffUrl).toBe(`https://app.ona.com/#${pr}`);
    expect((await resolve(pr, 'gitpod')).handoffUrl).toBe(`https://gitpod.example.com/#${pr}`);
    expect((await resolve(pr, 'codespaces')).handoffUrl).toBe(
      'https://codespaces.new/launchpod-samples/node-app/pull/1',
    );
    expect((await resolve(pr, 'devpod')).handoffUrl).toBe(
      'https://devpod.sh/open#https://github.com/launchpod-samples/node-app.git@pull/1/head',
    );
    const coder = await resolve(pr, 'coder');
    expect(coder.handoffUrl).toMatch(
      new RegExp(
        `^${stack.backends?.coder}/templates/docker-dev/workspace\\?mode=auto&name=lp-node-app-[0-9a-f]{8}&param\\.repo_url=https%3A%2F%2Fgithub\\.com%2Flaunchpod-samples%2Fnode-app\\.git&param\\.branch=feature%2Fx%2Fy$`,
      ),
    );
    expect(coder.apiStart).toBe(true);
  });

  it('starts it through Coder’s and Ona’s APIs with the PR’s branch, and reuses it the second time', async () => {
    for (const backend of ['coder', 'ona'] as const) {
      const first = await callApi(stack, owner, '/api/v1/backend-starts', {
        method: 'POST',
        body: JSON.stringify({ url: pr, options: { backend } }),
      });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const second = await callApi(stack, owner, '/api/v1/backend-starts', {
        method: 'POST',
        body: JSON.stringify({ url: pr, options: { backend } }),
      });
      expect(second.body).toMatchObject({ url: first.body.url, reused: true });
    }
    const coder = await state(stack.backends?.coder);
    expect(coder.workspaces).toHaveLength(1);
    expect(coder.workspaces?.[0]?.rich_parameter_values).toEqual([
      { name: 'repo_url', value: 'https://github.com/launchpod-samples/node-app.git' },
      { name: 'branch', value: 'feature/x/y' },
    ]);
    const ona = await state(stack.backends?.ona);
    expect(JSON.stringify(ona.environments)).toContain(
      '"git":{"remoteUri":"https://github.com/launchpod-samples/node-app.git","cloneTarget":"feature/x/y","targetMode":"CLONE_TARGET_MODE_REMOTE_BRANCH"}',
    );
  });

  it('explains a commit sent to Codespaces instead of widening it silently', async () => {
    const page = await fetch(
      `${stack.launcherUrl}/start?backend=codespaces&url=${encodeURIComponent(`${repo}/tree/main`)}`,
    );
    expect(await page.text()).toContain('content="1;url=https://codespaces.new/launchpod-samples/node-app"');
    const head = await callApi(stack, owner, '/api/v1/resolve', {
      method: 'POST',
      body: JSON.stringify({ url: repo }),
    });
    const sha = String((head.body.context as { sha: string }).sha);
    const explained = await fetch(
      `${stack.launcherUrl}/start?backend=codespaces&url=${encodeURIComponent(`${repo}/commit/${sha}`)}`,
    );
    const html = await explained.text();
    expect(html).toContain(`Codespaces cannot open the commit ${sha.slice(0, 12)} on its own`);
    expect(html).not.toContain('http-equiv="refresh"');
  });
});
