// What the user lands on: the right commit on the right branch (tracking origin), an issue's new branch, a detached
// commit or tag, a fork's pull-request head; and a clear failure for a missing commit or a clone that hangs.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutOf, type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { fixtureUrl, git, makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

function harness(overrides = {}) {
  const h = makeHarness(overrides);
  open.push(h);
  return h;
}

const repoOf = (h: Harness, id: string) => checkoutOf(h.dataDir, id);

describe('checkout', () => {
  it('checks out a branch at the requested commit, tracking origin', async () => {
    const h = harness();
    const repo = makeRepo(tempDir());
    repo.git('checkout', '--quiet', '-b', 'feature/login');
    const older = repo.commit({ 'login.ts': 'v1' });
    repo.commit({ 'login.ts': 'v2' });
    repo.git('checkout', '--quiet', 'main');

    // An older commit of the branch: the branch is reset to it and still tracks origin's.
    const request = startRequest({
      cloneUrl: repo.url,
      sha: older,
      context: { ref: { name: 'feature/login', type: 'branch' } },
    });
    await h.start(request);
    expect(await h.waitFor(request.id, 'running')).toMatchObject({ phase: 'running', startedFrom: 'git' });
    const dir = repoOf(h, request.id);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(older);
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('feature/login');
    expect(git(dir, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/feature/login');
  });

  it('leaves HEAD detached at a commit when no ref is given, and at a tag', async () => {
    const h = harness();
    const repo = makeRepo(tempDir());
    const first = repo.git('rev-parse', 'HEAD');
    const second = repo.commit({ 'a.txt': 'a' });
    repo.git('tag', 'v1.0', second);
    repo.commit({ 'b.txt': 'b' });

    const bare = startRequest({ cloneUrl: repo.url, sha: first, context: { ref: undefined } });
    const tag = startRequest({
      cloneUrl: repo.url,
      sha: second,
      context: { ref: { name: 'v1.0', type: 'tag' } },
    });
    delete (bare.context as { ref?: unknown }).ref;
    await h.start(bare);
    await h.start(tag);
    for (const [request, sha] of [
      [bare, first],
      [tag, second],
    ] as const) {
      expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
      const dir = repoOf(h, request.id);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(sha);
      expect(() => git(dir, 'symbolic-ref', '-q', 'HEAD')).toThrow();
    }
  });

  it("creates an issue's new branch at the requested commit", async () => {
    const h = harness();
    const repo = makeRepo(tempDir());
    const sha = repo.commit({ 'x.txt': 'x' });
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      context: { issue: { number: 42, title: 'Fix login', branch: 'test-user/fix-login-42' } },
    });
    await h.start(request);
    expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
    const dir = repoOf(h, request.id);
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe('test-user/fix-login-42');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(sha);
  });

  it("checks out a fork pull request's head branch from the fork", async () => {
    const h = harness();
    const parent = tempDir();
    const upstream = makeRepo(parent, 'upstream');
    const upstreamMain = upstream.git('rev-parse', 'HEAD');
    const fork = join(parent, 'fork');
    git(parent, 'clone', '--quiet', upstream.dir, fork);
    git(fork, 'checkout', '--quiet', '-b', 'patch-1');
    git(fork, 'commit', '--quiet', '--allow-empty', '-m', 'fork change');
    const head = git(fork, 'rev-parse', 'HEAD');

    const request = startRequest({
      cloneUrl: fixtureUrl(fork),
      sha: head,
      context: {
        ref: { name: 'patch-1', type: 'branch' },
        pullRequest: {
          number: 7,
          title: 'Patch',
          state: 'open',
          headRepo: { host: 'git.example.test', family: 'github', owner: 'someone', name: 'app' },
          headRef: 'patch-1',
          headSha: head,
          baseRepo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'app' },
          baseRef: 'main',
          fromFork: true,
          baseCloneUrl: upstream.url,
        },
      },
    });
    await h.start(request);
    expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
    const dir = repoOf(h, request.id);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/patch-1');
    expect(() => git(upstream.dir, 'cat-file', '-e', head)).toThrow();
    // The base branch, from the base repository, to diff against.
    expect(git(dir, 'rev-parse', 'upstream/main')).toBe(upstreamMain);
    expect(git(dir, 'remote', 'get-url', 'upstream')).toBe(upstream.url);
  });

  it("has a same-repository pull request's base branch as origin's", async () => {
    const h = harness();
    const repo = makeRepo(tempDir());
    const base = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '--quiet', '-b', 'fix');
    const head = repo.commit({ 'fix.txt': 'fix' });
    repo.git('checkout', '--quiet', 'main');
    const request = startRequest({
      cloneUrl: repo.url,
      sha: head,
      context: {
        ref: { name: 'fix', type: 'branch' },
        pullRequest: {
          number: 3,
          title: 'Fix',
          state: 'open',
          headRepo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'app' },
          headRef: 'fix',
          headSha: head,
          baseRepo: { host: 'git.example.test', family: 'github', owner: 'acme', name: 'app' },
          baseRef: 'main',
          fromFork: false,
        },
      },
    });
    await h.start(request);
    expect((await h.waitFor(request.id, 'running')).phase).toBe('running');
    const dir = repoOf(h, request.id);
    expect(git(dir, 'rev-parse', 'origin/main')).toBe(base);
    expect(git(dir, 'merge-base', 'HEAD', 'origin/main')).toBe(base);
  });

  it('fails with a reason when the commit is not in the repository', async () => {
    const h = harness();
    const repo = makeRepo(tempDir());
    const request = startRequest({ cloneUrl: repo.url, sha: 'f'.repeat(40) });
    await h.start(request);
    const status = await h.waitFor(request.id, 'running');
    expect(status.phase).toBe('failed');
    expect(status.failure).toMatch(/Commit ffffffffffff is not in/);
  });

  it('fails with a reason when the clone does not finish in time', async () => {
    const h = harness({ cloneTimeoutMs: 400 });
    // A git server that accepts the connection and never answers.
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const request = startRequest({
        cloneUrl: `http://127.0.0.1:${port}/acme/app.git`,
        sha: 'a'.repeat(40),
      });
      await h.start(request);
      const status = await h.waitFor(request.id, 'running');
      expect(status.phase).toBe('failed');
      expect(status.failure).toMatch(
        /Cloning http:\/\/127\.0\.0\.1:\d+\/acme\/app\.git did not finish within 0\.4 s/,
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
