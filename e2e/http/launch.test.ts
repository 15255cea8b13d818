// The first end-to-end launch over HTTP, no browser: the launcher under wrangler dev, the reference cluster and the
// fake GitHub with real git repositories. A branch with slashes is launched through the API and checked on disk.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../dev/stack.ts';
import { startDemoStack, stopDemoStacks } from '../demo-stack.ts';
import { checkoutIn, gitIn, headOf } from '../git-head.ts';
import { getOnWorkspaceHost, launchAndWait } from './launcher-api.ts';

let stack: Stack;
let dataDir: string;
const owner = `lp_owner=anon-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}1`;

beforeAll(async () => {
  ({ stack, dataDir } = await startDemoStack('launchpod-e2e-'));
}, 180_000);

afterAll(stopDemoStacks);

describe('a launch over HTTP on the local stack', () => {
  it('opens a branch with slashes at its head commit, with init run', async () => {
    const { id, status } = await launchAndWait(
      stack,
      owner,
      'https://github.com/launchpod-samples/node-app/tree/feature/x/y',
    );
    expect(status, stack.output().slice(-4000)).toMatchObject({ phase: 'running', cluster: 'local' });
    expect(String(status.url)).toBe(`${stack.clusters[0]?.publicOrigin.replace('//', `//${id}.`)}/`);

    const repo = checkoutIn(join(dataDir, 'cluster'), id);
    const remoteHead = headOf(
      stack.fakes?.gitBase,
      'github.com/launchpod-samples/node-app.git',
      'refs/heads/feature/x/y',
    );
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(remoteHead);
    expect(gitIn(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature/x/y');
    expect(existsSync(join(repo, 'src', 'feature.js'))).toBe(true);
    // The sample .gitpod.yml's init writes this file after a few seconds.
    expect(readFileSync(join(repo, '.deps-ready'), 'utf8')).toContain('dependencies installed');

    // Its origin is its owner's: a visitor without the launcher's hand-over gets the gate, not the workspace.
    const page = await getOnWorkspaceHost(stack, new URL(String(status.url)).host, '/');
    expect(page.status).toBe(401);
    expect(page.body).toContain('Open this workspace from Launchpod');
  }, 180_000);

  it('shows the invalid .gitpod.yml error page naming the line', async () => {
    const response = await fetch(`${stack.launcherUrl}/https://github.com/launchpod-samples/invalid-config`);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('.gitpod.yml has a mistake at line 5');
  });
});
