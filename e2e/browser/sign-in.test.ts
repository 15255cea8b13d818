// A private repository through the URL-prefix door in a real browser on the local stack: `<launcher>/#<private repo>`
// → the start page says the repository may be private and offers "Sign in with GitHub" → the click goes to the
// (fake) GitHub authorize page, which approves at once as the fake's one user, as GitHub does for an app the user
// has already authorised → the launcher's callback → back on the very same launch, which now starts by itself → the
// cluster's workspace page at the repository's head commit, cloned with the user's one-time credential.

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStackAndChromium, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';
import { waitForWorkspacePage, workspaceIdOf, workspaceOriginPattern } from './workspace-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const PRIVATE_REPO = 'https://github.com/launchpod-samples/private-app';
let stack: Stack;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ stack, browser, dataDir } = await startDemoStackAndChromium('launchpod-browser-signin-'));
}, 180_000);

afterAll(stopDemoStacks);

describe('a private repository in the browser', () => {
  it('asks to sign in, goes through GitHub and back to the same launch, and opens the workspace', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Every top-level navigation, redirects included (Chromium commits only the last hop of a redirect chain).
    const navigations: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame())
        navigations.push(request.url());
    });

    await page.goto(`${stack.launcherUrl}/#${PRIVATE_REPO}`);
    await page.waitForURL(/\/start\?/, { timeout: 30_000 });
    const launch = page.url();
    expect(new URL(launch).searchParams.get('url')).toBe(PRIVATE_REPO);

    // What the person sees: the repository is not public, it may be private, and one button to sign in.
    expect(await page.locator('h1').textContent()).toBe('Repository launchpod-samples/private-app not found');
    expect(await page.getByRole('alert').textContent()).toContain(
      'It may be private: sign in with GitHub to open private repositories your account can read.',
    );
    const signIn = page.getByRole('link', { name: 'Sign in with GitHub to open this private repository' });
    expect(await signIn.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-page.png'), fullPage: true });
    // Nothing was started for an anonymous visitor.
    expect(navigations.some((url) => url.startsWith(stack.clusterUrl))).toBe(false);

    await signIn.click();
    await waitForWorkspacePage(page, stack);

    // The way there: sign-in on the launcher → GitHub's authorize page (PKCE, back to the launcher's callback) →
    // the callback → exactly the launch the person started from → the workspace.
    const after = navigations.slice(navigations.indexOf(launch) + 1);
    const signInUrl = new URL(after[0] ?? '');
    expect(`${signInUrl.origin}${signInUrl.pathname}`).toBe(`${stack.launcherUrl}/auth/github.com/sign-in`);
    expect(signInUrl.searchParams.get('returnTo')).toBe(launch.slice(stack.launcherUrl.length));
    const authorize = new URL(after[1] ?? '');
    expect(authorize.pathname).toBe('/login/oauth/authorize');
    expect(authorize.origin).not.toBe(stack.launcherUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.launcherUrl}/auth/github.com/callback`);
    expect(after[2]?.startsWith(`${stack.launcherUrl}/auth/github.com/callback?`)).toBe(true);
    expect(after[3]).toBe(launch);
    // Then the launcher's Open (a single-use token) and the workspace's own origin, nowhere else.
    expect(after[4]).toMatch(new RegExp(`^${stack.launcherUrl}/workspaces/ws-[0-9a-f-]+/open$`));
    const pattern = workspaceOriginPattern(stack.clusters[0]?.publicOrigin ?? '');
    expect(after.slice(5).every((url) => pattern.test(url))).toBe(true);

    // The workspace page shows the private repository at its head commit, and the checkout on disk is that commit.
    const head = headOf(stack.fakes?.gitBase, 'github.com/launchpod-samples/private-app.git', 'HEAD');
    await expect.poll(() => page.locator('#phase').textContent()).toBe('running');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('launchpod-samples/private-app');
    expect(text).toContain(head);
    const id = workspaceIdOf(page);
    const repo = checkoutIn(join(dataDir, 'cluster'), id, 'private-app');
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);

    // The launcher knows who signed in, and the workspace is theirs.
    const who = await page.request.get(`${stack.launcherUrl}/auth/sign-in`);
    expect(await who.text()).toContain('alice');
    const record = await page.request.get(`${stack.launcherUrl}/api/v1/workspaces/${id}`);
    expect(await record.json()).toMatchObject({ id, cluster: 'local', phase: 'running' });
    await context.close();
  }, 150_000);
});
