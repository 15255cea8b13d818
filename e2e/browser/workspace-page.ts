// The cluster's workspace page in Playwright: waiting for a launch to land on it, with a failure that says where the
// page is instead (its text and the stack's last output), and the workspace id its address carries.

import type { Page } from 'playwright-core';
import type { Stack } from '../stack.ts';

/**
 * Waits until `page` is on a workspace page of `options.clusterUrl` (default: the stack's first cluster); answers the
 * workspace id.
 */
export async function waitForWorkspacePage(
  page: Page,
  stack: Stack,
  options: { clusterUrl?: string; timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'commit' } = {},
): Promise<string> {
  const clusterUrl = options.clusterUrl ?? stack.clusterUrl;
  try {
    await page.waitForURL(`${clusterUrl}/workspaces/**`, {
      timeout: options.timeout ?? 90_000,
      ...(options.waitUntil !== undefined && { waitUntil: options.waitUntil }),
    });
  } catch (error) {
    const text = await page
      .locator('body')
      .textContent({ timeout: 5_000 })
      .catch(() => '');
    throw new Error(
      `not on ${clusterUrl}'s workspace page: at ${page.url()}, showing "${(text ?? '').slice(0, 2000)}"\n` +
        `${String(error)}\n${stack.output().slice(-4000)}`,
    );
  }
  return workspaceIdOf(page);
}

/** The workspace id in a workspace page's address (`<cluster>/workspaces/<id>`). */
export const workspaceIdOf = (page: Page): string => new URL(page.url()).pathname.split('/').pop() ?? '';
