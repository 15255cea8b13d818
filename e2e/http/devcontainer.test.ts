// A repository described only by `.devcontainer/devcontainer.json` starts on the reference cluster over HTTP: its
// image through the cluster's image mapping, postCreateCommand run as init, postStartCommand serving the forwarded
// port — the launcher under wrangler dev, the reference cluster and the fake GitHub, no browser.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn } from '../git-head.ts';
import { callApi, launchAndWait } from './launcher-api.ts';

let stack: Stack;
let dataDir: string;
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}2`;

beforeAll(async () => {
  ({ stack, dataDir } = await startDemoStack('launchpod-e2e-dc-'));
}, 180_000);

afterAll(stopDemoStacks);

async function eventually(check: () => void, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('a devcontainer.json repository on the reference cluster', () => {
  it('runs postCreateCommand, then postStartCommand serving the forwarded port', async () => {
    const url = 'https://github.com/launchpod-samples/devcontainer-app';
    const resolved = await callApi(stack, owner, '/api/v1/resolve', {
      method: 'POST',
      body: JSON.stringify({ url }),
    });
    expect(resolved.body.config).toMatchObject({
      file: { kind: 'devcontainer', path: '.devcontainer/devcontainer.json' },
      image: { kind: 'image', name: 'node:20' },
      ports: [{ port: 3000, onOpen: 'open-preview' }],
    });

    const { id, status } = await launchAndWait(stack, owner, url);
    expect(status, stack.output().slice(-4000)).toMatchObject({ phase: 'running', cluster: 'local' });
    const clusterData = join(dataDir, 'cluster');
    const repo = checkoutIn(clusterData, id, 'devcontainer-app');
    expect(readFileSync(join(repo, '.post-create-ran'), 'utf8')).toBe('created by postCreateCommand\n');
    const logs = join(clusterData, 'workspaces', id, 'logs');
    await eventually(() => {
      const text = readdirSync(logs)
        .map((name) => readFileSync(join(logs, name), 'utf8'))
        .join('\n');
      expect(text).toContain('ready to code: the app is on port 3000');
    });
  }, 180_000);

  it('shows a devcontainer.json mistake with its line and column', async () => {
    const response = await fetch(
      `${stack.launcherUrl}/https://github.com/launchpod-samples/invalid-devcontainer`,
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain(
      '.devcontainer/devcontainer.json has a mistake at line 4, column 3',
    );
  });
});
