// A workspace's page in Playwright, on the workspace's own origin (`http://<id>.localhost:<port>/`): waiting for a
// launch to land there, with a failure that says where the page is instead (its text and the stack's last output),
// and the workspace id its host carries. Without an editor (the suites' default) a workspace's origin shows its page
// under `/_launchpod/`; with one, the editor — `workspacePage` opens the page beside it.

import type { Page } from 'playwright-core';
import type { Stack } from '../../dev/stack.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `http://localhost:4321` → a pattern for the URLs of its workspaces' origins. */
export function workspaceOriginPattern(publicOrigin: string): RegExp {
  const origin = new URL(publicOrigin);
  return new RegExp(`^${escapeRegExp(origin.protocol)}//[a-z0-9-]+\\.${escapeRegExp(origin.host)}/`);
}

/**
 * Waits until `page` is on a workspace origin of `options.publicOrigin` (default: the stack's first cluster's);
 * answers the workspace id.
 */
export async function waitForWorkspacePage(
  page: Page,
  stack: Stack,
  options: {
    publicOrigin?: string;
    timeout?: number;
    waitUntil?: 'load' | 'domcontentloaded' | 'commit';
  } = {},
): Promise<string> {
  const publicOrigin = options.publicOrigin ?? stack.clusters[0]?.publicOrigin ?? '';
  try {
    await page.waitForURL(workspaceOriginPattern(publicOrigin), {
      timeout: options.timeout ?? 90_000,
      ...(options.waitUntil !== undefined && { waitUntil: options.waitUntil }),
    });
  } catch (error) {
    const text = await page
      .locator('body')
      .textContent({ timeout: 5_000 })
      .catch(() => '');
    // The cluster's own lines first: the launcher's request log would push them out of the tail.
    const clusterLines = stack
      .output()
      .split('\n')
      .filter((line) => line.startsWith('[cluster'))
      .slice(-40)
      .join('\n');
    throw new Error(
      `not on a workspace of ${publicOrigin}: at ${page.url()}, showing "${(text ?? '').slice(0, 2000)}"\n` +
        `${String(error)}\n--- cluster ---\n${clusterLines}\n--- all ---\n${stack.output().slice(-3000)}`,
    );
  }
  return workspaceIdOf(page);
}

/** The workspace id in a workspace origin's host (`ws-1a2b….localhost:4321`). */
export const workspaceIdOf = (page: Page): string => new URL(page.url()).hostname.split('.')[0] ?? '';

/** The workspace's page (`/_launchpod/`) on the origin `page` is on, in the same tab. */
export async function openWorkspacePage(page: Page): Promise<void> {
  const here = new URL(page.url());
  if (here.pathname !== '/_launchpod/') await page.goto(`${here.origin}/_launchpod/`);
}
