// Two doors in a real browser. URL prefix: `<launcher>/#<repo URL>` typed in the address bar → the landing page hands
// the fragment to the start page → the start page starts the workspace and follows it → the cluster's workspace
// page, with the right commit. Badge: a README (served at the real host URL) carrying the badge the badge page
// generated → click → workspace. Screenshots of the pages are kept as test artifacts.

import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStackAndChromium, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';
import { waitForWorkspacePage, workspaceIdOf } from './workspace-page.ts';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'dist', 'e2e-artifacts');
const NODE_APP = 'github.com/launchpod-samples/node-app.git';
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Every door's workspace keeps running: room for all of them.
  ({ stack, browser } = await startDemoStackAndChromium('launchpod-browser-', {
    clusterArgs: ['--max-workspaces', '32'],
  }));
}, 180_000);

afterAll(stopDemoStacks);

/** What the reference cluster was asked to start for the workspace on `page` (its own stored start request). */
function startRequestOf(page: Page): {
  env: { name: string; value: string }[];
  context: { ref: { name: string } };
} {
  const id = workspaceIdOf(page);
  const state = JSON.parse(readFileSync(join(stack.clusters[0]?.dataDir ?? '', 'state.json'), 'utf8')) as {
    workspaces: {
      request: { id: string; env: { name: string; value: string }[]; context: { ref: { name: string } } };
    }[];
  };
  const found = state.workspaces.find((w) => w.request.id === id);
  if (found === undefined) throw new Error(`workspace ${id} is not in the cluster's state`);
  return found.request;
}

/** The branch checked out in the workspace on `page`, read from its checkout on this machine. */
const checkedOutBranch = async (page: Page) => {
  // The page shows the checkout as the workspace sees it (`/workspace/<repo>`); on this machine it is under the
  // cluster's data folder.
  const inside = (await page.locator('#workspace-path').textContent()) ?? '';
  return gitIn(
    checkoutIn(stack.clusters[0]?.dataDir ?? '', workspaceIdOf(page), inside.split('/').pop()),
    'rev-parse',
    '--abbrev-ref',
    'HEAD',
  );
};

describe('URL-prefix door', () => {
  it('goes from <launcher>/#<file URL with a line range> to the workspace page at that commit', async () => {
    const page = await browser.newPage();
    const target = 'https://github.com/launchpod-samples/node-app/blob/release/1.0/src/index.js#L1';
    await page.goto(`${stack.launcherUrl}/#${target}`);
    await page.waitForURL(/\/start\?/, { timeout: 30_000 });
    await expect.poll(() => page.locator('h1').textContent()).toContain('launchpod-samples/node-app');
    // With autostart the Start button stays hidden: the page starts by itself.
    expect(await page.getByRole('button', { name: 'Start workspace' }).isVisible()).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'start-page.png'), fullPage: true });
    await waitForWorkspacePage(page, stack);
    const text = await page.locator('main').textContent();
    expect(text).toContain('release/1.0');
    expect(text).toContain(headOf(stack.fakes?.gitBase, NODE_APP, 'refs/heads/release/1.0'));
    expect(text).toContain('src/index.js');
    await page.screenshot({ path: join(ARTIFACTS, 'workspace-page.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('path form with autostart=false waits for the Start button', async () => {
    const page = await browser.newPage();
    await page.goto(
      `${stack.launcherUrl}/https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2?autostart=false`,
    );
    const start = page.getByRole('button', { name: 'Start workspace' });
    await expect.poll(() => start.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'confirm-page.png'), fullPage: true });
    await start.click();
    await waitForWorkspacePage(page, stack);
    expect(await page.locator('main').textContent()).toContain('fix/typo');
    await page.close();
  }, 120_000);

  it('hash form with env modifiers on a branch with slashes: the refused one is shown and the link waits', async () => {
    const page = await browser.newPage();
    const target = 'https://github.com/launchpod-samples/node-app/tree/feature/x/y';
    await page.goto(`${stack.launcherUrl}/#GREETING=hello,NODE_OPTIONS=--inspect/${target}`);
    await page.waitForURL(/\/start\?/, { timeout: 30_000 });
    await expect
      .poll(() => page.locator('dl.facts').textContent(), { timeout: 30_000 })
      .toContain('GREETING=hello');
    const refused = page.locator('ul.rejected-env li');
    expect(await refused.count()).toBe(1);
    expect(await refused.textContent()).toContain('NODE_OPTIONS=--inspect');
    // Something in the link was refused: the page does not start by itself, the person reads it and starts.
    const start = page.getByRole('button', { name: 'Start workspace' });
    await expect.poll(() => start.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'start-page-refused-env.png'), fullPage: true });
    await start.click();
    await waitForWorkspacePage(page, stack);
    expect(await page.locator('main').textContent()).toContain(
      headOf(stack.fakes?.gitBase, NODE_APP, 'refs/heads/feature/x/y'),
    );
    expect(await checkedOutBranch(page)).toBe('feature/x/y');
    // The cluster was given the accepted variable and never the refused one.
    expect(startRequestOf(page).env).toEqual([{ name: 'GREETING', value: 'hello' }]);
    await page.close();
  }, 120_000);

  it('hash form for a pull request from a fork: the fork’s head commit on its branch', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.launcherUrl}/#https://github.com/launchpod-samples/node-app/pull/2`);
    await waitForWorkspacePage(page, stack);
    expect(await page.locator('main').textContent()).toContain(
      headOf(stack.fakes?.gitBase, 'github.com/contributor/node-app.git', 'refs/heads/fix/typo'),
    );
    expect(await checkedOutBranch(page)).toBe('fix/typo');
    await page.close();
  }, 120_000);

  it('path form for an issue: a new branch named after it, from the default branch’s head', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.launcherUrl}/https://github.com/launchpod-samples/node-app/issues/4`);
    await waitForWorkspacePage(page, stack);
    const text = (await page.locator('main').textContent()) ?? '';
    // Issue 4 "Add dark mode support" by octo-reporter, opened without signing in.
    expect(text).toContain('octo-reporter/add-dark-mode-support-4');
    expect(text).toContain(headOf(stack.fakes?.gitBase, NODE_APP, 'refs/heads/main'));
    expect(await checkedOutBranch(page)).toBe('octo-reporter/add-dark-mode-support-4');
    await page.close();
  }, 120_000);

  it('names the broken line of an invalid .gitpod.yml on the error page', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.launcherUrl}/#https://github.com/launchpod-samples/invalid-config`);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 30_000 })
      .toBe('.gitpod.yml has a mistake at line 5, column 11');
    expect(await page.locator('[role=alert]').textContent()).toContain(
      "ports[0].port: expected a number or a range like 3000-3010, got 'http'",
    );
    await page.close();
  }, 60_000);

  it('shows the landing page and a clear error page', async () => {
    const page = await browser.newPage();
    await page.goto(stack.launcherUrl);
    await page.screenshot({ path: join(ARTIFACTS, 'landing-page.png'), fullPage: true });
    await page
      .getByRole('textbox', { name: 'Repository URL' })
      .fill('https://github.com/launchpod-samples/does-not-exist');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('launchpod-samples/does-not-exist');
    await page.screenshot({ path: join(ARTIFACTS, 'error-page.png'), fullPage: true });
    await page.close();
  }, 60_000);
});

/**
 * GitHub's stories on the other families: a branch with slashes, a pull request from a fork, an issue → a new branch,
 * on Codeberg (built in), a Gitea under a sub-path, Azure DevOps Services and Server. `remote` and `ref` say where the
 * expected commit is on the fake hosts' git server; `branch` what the checkout is on (`HEAD`: detached).
 */
const familyStories = [
  {
    name: 'Codeberg: branch with slashes and a file',
    target: 'https://codeberg.org/launchpod-samples/node-app/src/branch/feature/x/y/src/feature.js#L1',
    remote: 'codeberg.org/launchpod-samples/node-app.git',
    ref: 'refs/heads/feature/x/y',
    branch: 'feature/x/y',
  },
  {
    name: 'Codeberg: pull request from a fork',
    target: 'https://codeberg.org/launchpod-samples/node-app/pulls/2',
    remote: 'codeberg.org/contributor/node-app.git',
    ref: 'refs/heads/fix/typo',
    branch: 'fix/typo',
  },
  {
    name: 'Codeberg: issue → branch',
    target: 'https://codeberg.org/launchpod-samples/node-app/issues/4',
    remote: 'codeberg.org/launchpod-samples/node-app.git',
    ref: 'refs/heads/main',
    branch: 'octo-reporter/add-dark-mode-support-4',
  },
  {
    name: 'Gitea under /git: branch five levels deep',
    target: 'https://gitea.launchpod.test/git/platform/node-app/src/branch/deep/1/2/3/4/deep.txt',
    remote: 'gitea.launchpod.test/git/platform/node-app.git',
    ref: 'refs/heads/deep/1/2/3/4',
    branch: 'deep/1/2/3/4',
  },
  {
    name: 'Gitea under /git: pull request whose fork is gone, from refs/pull/3/head',
    target: 'https://gitea.launchpod.test/git/platform/node-app/pulls/3',
    remote: 'gitea.launchpod.test/git/platform/node-app.git',
    ref: 'refs/pull/3/head',
    branch: 'HEAD',
  },
  {
    name: 'Gitea under /git: issue → branch',
    target: 'https://gitea.launchpod.test/git/platform/node-app/issues/4',
    remote: 'gitea.launchpod.test/git/platform/node-app.git',
    ref: 'refs/heads/main',
    branch: 'octo-reporter/add-dark-mode-support-4',
  },
  {
    name: 'Azure DevOps: branch with slashes',
    target:
      'https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature%2Fx%2Fy&path=%2Fsrc%2Ffeature.js',
    remote: 'dev.azure.com/launchpod/samples/_git/node-app',
    ref: 'refs/heads/feature/x/y',
    branch: 'feature/x/y',
  },
  {
    name: 'Azure DevOps: pull request from a fork in another project',
    target: 'https://dev.azure.com/launchpod/samples/_git/node-app/pullrequest/2',
    remote: 'dev.azure.com/launchpod/contributor/_git/node-app',
    ref: 'refs/heads/fix/typo',
    branch: 'fix/typo',
  },
  {
    name: 'Azure DevOps Server: branch with a slash below the collection',
    target: 'https://tfs.launchpod.test/tfs/DefaultCollection/Platform/_git/node-app?version=GBrelease/1.0',
    remote: 'tfs.launchpod.test/tfs/DefaultCollection/Platform/_git/node-app',
    ref: 'refs/heads/release/1.0',
    branch: 'release/1.0',
  },
];

describe('URL-prefix door on every family', () => {
  it.each(familyStories)(
    '$name',
    async ({ target, remote, ref, branch }) => {
      const page = await browser.newPage();
      await page.goto(`${stack.launcherUrl}/#${target}`);
      await waitForWorkspacePage(page, stack);
      expect(await page.locator('main').textContent()).toContain(headOf(stack.fakes?.gitBase, remote, ref));
      expect(await checkedOutBranch(page)).toBe(branch);
      await page.close();
    },
    120_000,
  );
});

describe('badge door', () => {
  it('goes from the Markdown badge in a README to a running workspace', async () => {
    const repo = 'https://github.com/launchpod-samples/node-app';
    // The badge page as a maintainer sees it: previews drawn, snippets ready to copy.
    const maintainer = await browser.newPage();
    await maintainer.goto(`${stack.launcherUrl}/badge?url=${encodeURIComponent(repo)}`);
    const previews = maintainer.locator('main img');
    await expect
      .poll(() =>
        previews.evaluateAll(
          (imgs: HTMLImageElement[]) =>
            imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0),
        ),
      )
      .toBe(true);
    await maintainer.screenshot({ path: join(ARTIFACTS, 'badge-page.png'), fullPage: true });
    await maintainer.close();
    const badgePage = await (
      await fetch(`${stack.launcherUrl}/badge?url=${encodeURIComponent(repo)}`)
    ).text();
    // The HTML snippet is what GitHub renders the Markdown badge into; it sits escaped in the page's textarea.
    const snippet = /<textarea id="snippet-0-html"[^>]*>([^<]*)<\/textarea>/.exec(badgePage)?.[1] ?? '';
    const html = snippet
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&');
    expect(html).toContain(`href="${stack.launcherUrl}/#${repo}"`);
    const markdown = /<textarea id="snippet-0-markdown"[^>]*>([^<]*)<\/textarea>/.exec(badgePage)?.[1] ?? '';
    expect(markdown).toBe(
      `[![Open in Launchpod](${stack.launcherUrl}/button/open-in.svg)](${stack.launcherUrl}/#${repo})`,
    );

    const context = await browser.newContext({ permissions: ['local-network-access'] });
    // The README page sits on a loopback name and may reach the local http launcher, as a person allows it when
    // Chromium asks: a public https page cannot load images off a local http server (mixed content, local network
    // access), which a deployed https launcher never meets.
    const readme = 'http://readme.localhost/launchpod-samples/node-app';
    await context.route(readme, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>node-app</title><article class="markdown-body"><h1>node-app</h1><p>${html}</p></article>`,
      }),
    );
    const page = await context.newPage();
    await page.goto(readme);
    const badge = page.getByRole('img', { name: 'Open in Launchpod' });
    await expect
      .poll(() => badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'readme-with-badge.png') });
    await badge.click();
    await waitForWorkspacePage(page, stack);
    expect(await page.locator('main').textContent()).toContain('launchpod-samples/node-app');
    await context.close();
  }, 120_000);
});
