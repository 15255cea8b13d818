// How git reaches repositories: `url.<base>.insteadOf` rules from the operator's git-config file redirect a host's
// URLs, and a one-time credential URL is redeemed once and handed to git without landing on disk.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGitRewrites } from '../src/git-rewrites.ts';
import { checkoutOf, type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { git, makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';
import { gitHttpServer } from './git-http-server.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

/** Every file under `dir` whose bytes contain `needle`, but for those under `skip`. */
function filesContaining(dir: string, needle: string, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip.includes(path)) continue;
    if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle, skip));
    else if (readFileSync(path).includes(needle)) found.push(path);
  }
  return found;
}

describe('git access', () => {
  it('clones a host URL from wherever the insteadOf rules point, keeping the host URL as origin', async () => {
    const servers = tempDir();
    const repo = makeRepo(join(servers, 'acme'), 'app.git');
    const sha = repo.git('rev-parse', 'HEAD');
    const config = join(tempDir(), 'gitconfig');
    expect(
      writeGitRewrites(config, [
        { base: 'file:///nowhere/', insteadOf: 'https://elsewhere.example.test/' },
        { base: `file://${servers}/`, insteadOf: 'https://git.example.test/' },
      ]),
    ).toEqual({ ok: true, value: undefined });
    expect(git(servers, 'config', '--file', config, '--get-regexp', 'insteadof')).toContain(
      'https://git.example.test/',
    );

    const h = makeHarness({ gitConfigFile: config });
    open.push(h);
    const request = startRequest({ cloneUrl: 'https://git.example.test/acme/app.git', sha });
    await h.start(request);
    expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
    const dir = checkoutOf(h.dataDir, request.id);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(sha);
    expect(git(dir, 'config', 'remote.origin.url')).toBe('https://git.example.test/acme/app.git');
  });

  it('refuses a rule that would break the config file', () => {
    expect(
      writeGitRewrites(join(tempDir(), 'c'), [{ base: 'file:///a/\n[core]', insteadOf: 'https://x/' }]),
    ).toMatchObject({
      ok: false,
    });
  });

  it('redeems the credential URL once and gives git the credential without writing it anywhere', async () => {
    const root = tempDir();
    const repo = makeRepo(root, 'private.git');
    repo.git('checkout', '--quiet', '-b', 'topic');
    const sha = repo.commit({ 'secret-work.txt': 'x' });
    repo.git('checkout', '--quiet', 'main');
    // Only reachable from a pull-request ref, which a clone does not fetch: the cluster must fetch it by sha.
    repo.git('update-ref', 'refs/pull/7/head', sha);
    repo.git('branch', '--quiet', '-D', 'topic');
    const server = await gitHttpServer(root, 'x-access-token', 'tok-SUPER-SECRET-123');
    try {
      const h = makeHarness();
      open.push(h);
      const credential = h.launcher.credentialUrl({
        username: 'x-access-token',
        password: 'tok-SUPER-SECRET-123',
      });
      // The clone and the fetch of the commit share one redemption.
      const request = startRequest({
        cloneUrl: `${server.url}/private.git`,
        sha,
        context: { ref: { name: 'pr-7', type: 'branch' } },
        extra: { credentialUrl: credential.url },
      });
      await h.start(request);
      const status = await h.waitFor(request.id, 'running');
      expect(status.failure).toBeUndefined();
      expect(status.phase).toBe('running');
      expect(credential.redemptions()).toBe(1);
      expect(server.seenCredentials).toContain('x-access-token:tok-SUPER-SECRET-123');

      const dir = checkoutOf(h.dataDir, request.id);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(sha);
      expect(readFileSync(join(h.dataDir, 'workspaces', request.id, 'logs', '0-git.log'), 'utf8')).toContain(
        `$ git fetch --quiet origin ${sha}`,
      );
      expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).not.toContain('tok-SUPER-SECRET-123');
      // The workspaces' disk images (sparse, 20 GiB each) are read through their mounts, the workspaces' folders.
      expect(filesContaining(h.dataDir, 'tok-SUPER-SECRET-123', [join(h.dataDir, 'disks')])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fails with a way out when the credential URL was already used', async () => {
    const root = tempDir();
    makeRepo(root, 'private.git');
    const server = await gitHttpServer(root, 'u', 'p');
    try {
      const h = makeHarness();
      open.push(h);
      const credential = h.launcher.credentialUrl({ username: 'u', password: 'p' });
      await h.launcher.fetch(credential.url, { method: 'POST' });
      const request = startRequest({
        cloneUrl: `${server.url}/private.git`,
        sha: 'a'.repeat(40),
        extra: { credentialUrl: credential.url },
      });
      await h.start(request);
      const status = await h.waitFor(request.id, 'running');
      expect(status.phase).toBe('failed');
      expect(status.failure).toMatch(/could not be redeemed \(HTTP 410\).*Start the workspace again/);
    } finally {
      await server.close();
    }
  });
});
