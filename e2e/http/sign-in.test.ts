// Private repository end to end over HTTP on the local stack (launcher under wrangler dev, reference cluster, fake
// hosts with real git repositories, fake OAuth): launch → "sign in with GitHub" → the fake host approves → back on
// the same launch → the workspace runs with the repository cloned through a one-time clone credential, and the token
// is nowhere on disk in the workspace's git config nor in any process output.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { credentialRedemptionBody, EVENT_HEADERS, signEvent } from '../../shared/cluster-contract.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';

let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  ({ stack, dataDir } = await startDemoStack('launchpod-e2e-signin-'));
}, 180_000);

afterAll(stopDemoStacks);

/** A cookie jar over fetch; redirects are followed by the test, one at a time. */
class Browser {
  readonly cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}) {
    const own = url.startsWith(stack.launcherUrl);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(own &&
          this.cookies.size > 0 && { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }),
        ...(init.headers as Record<string, string>),
      },
    });
    if (own) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    }
    return response;
  }
}

describe('a private repository over HTTP on the local stack', () => {
  it('asks to sign in, comes back to the same launch and runs the workspace with the repository cloned', async () => {
    const browser = new Browser();
    const launchPath = '/https://github.com/launchpod-samples/private-app';
    const refused = await browser.fetch(stack.launcherUrl + launchPath);
    expect(refused.status).toBe(404);
    const page = await refused.text();
    expect(page).toContain('Sign in with GitHub to open this private repository');
    const signIn =
      /href="(\/auth\/github\.com\/sign-in\?[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(signIn).toBe(`/auth/github.com/sign-in?returnTo=${encodeURIComponent(launchPath)}`);

    const toHost = await browser.fetch(stack.launcherUrl + signIn);
    expect(toHost.status).toBe(302);
    const approved = await browser.fetch(toHost.headers.get('location') ?? '');
    expect(approved.status).toBe(302);
    const callback = approved.headers.get('location') ?? '';
    expect(callback.startsWith(`${stack.launcherUrl}/auth/github.com/callback?`)).toBe(true);
    const back = await browser.fetch(callback);
    expect(back.status, await back.clone().text()).toBe(302);
    expect(back.headers.get('location')).toBe(launchPath);

    const startPage = await browser.fetch(`${stack.launcherUrl}${launchPath}?autostart=false`);
    expect(startPage.status).toBe(200);

    const started = await browser.fetch(`${stack.launcherUrl}/api/v1/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.launcherUrl },
      body: JSON.stringify({ url: 'https://github.com/launchpod-samples/private-app' }),
    });
    const body = (await started.json()) as Record<string, unknown>;
    expect(started.status, JSON.stringify(body)).toBe(201);
    const id = String(body.id);
    let status = body;
    for (let i = 0; i < 240 && status.phase !== 'running' && status.phase !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await (await browser.fetch(`${stack.launcherUrl}/api/v1/workspaces/${id}`)).json()) as Record<
        string,
        unknown
      >;
    }
    expect(status, stack.output().slice(-4000)).toMatchObject({ phase: 'running', cluster: 'local' });

    const repo = checkoutIn(join(dataDir, 'cluster'), id, 'private-app');
    const remoteHead = headOf(stack.fakes?.gitBase, 'github.com/launchpod-samples/private-app.git', 'HEAD');
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(remoteHead);
    expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).not.toContain('user-token-alice');
    expect(stack.output()).not.toContain('user-token-alice');

    // The cluster redeemed the one-time credential exactly once; a second redemption, even signed, is refused.
    const redeemed = stack
      .output()
      .split('\n')
      .map((line) => /POST (\/auth\/clone-credentials\/[\w-]+) 200/.exec(line)?.[1])
      .filter((path) => path !== undefined);
    expect(redeemed).toHaveLength(1);
    const ts = Math.floor(Date.now() / 1000);
    const redemption = credentialRedemptionBody(`${stack.launcherUrl}${redeemed[0]}`);
    const again = await fetch(`${stack.launcherUrl}${redeemed[0]}`, {
      method: 'POST',
      body: redemption,
      headers: {
        [EVENT_HEADERS.cluster]: 'local',
        [EVENT_HEADERS.timestamp]: String(ts),
        [EVENT_HEADERS.signature]: signEvent(stack.clusterSecret, ts, redemption),
      },
    });
    expect(again.status).toBe(410);

    // Another browser (anonymous) cannot see this user's workspace.
    const stranger = await fetch(`${stack.launcherUrl}/api/v1/workspaces/${id}`);
    expect(stranger.status).toBe(404);

    // A public repository, launched by the same signed-in user: the cluster gets no clone credential (none is
    // redeemed) and still clones it.
    const publicStart = await browser.fetch(`${stack.launcherUrl}/api/v1/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.launcherUrl },
      body: JSON.stringify({ url: 'https://github.com/launchpod-samples/node-app' }),
    });
    let publicStatus = (await publicStart.json()) as Record<string, unknown>;
    expect(publicStart.status, JSON.stringify(publicStatus)).toBe(201);
    for (let i = 0; i < 240 && publicStatus.phase !== 'running' && publicStatus.phase !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const polled = await browser.fetch(`${stack.launcherUrl}/api/v1/workspaces/${String(publicStatus.id)}`);
      publicStatus = (await polled.json()) as Record<string, unknown>;
    }
    expect(publicStatus, stack.output().slice(-4000)).toMatchObject({ phase: 'running' });
    expect(stack.output().match(/POST \/auth\/clone-credentials\/[\w-]+ 200/g)).toHaveLength(1);

    // Sign-out completes whatever the hosts answer; the private repository asks to sign in again.
    const signInPage = await (await browser.fetch(`${stack.launcherUrl}/auth/sign-in`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(signInPage)?.[1] ?? '';
    const out = await browser.fetch(`${stack.launcherUrl}/auth/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.launcherUrl },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(out.status).toBe(303);
    expect((await browser.fetch(stack.launcherUrl + launchPath)).status).toBe(404);
  }, 180_000);
});
