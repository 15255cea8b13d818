import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGiteaOptions, fakeGitea } from '../../../dev/fakes/gitea.ts';
import type { FakeRepo } from '../../../dev/fakes/model.ts';
import { GITPOD_YML, samples } from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { GitContext } from '../../../shared/launch-request.ts';
import { giteaResolver } from '../../src/hosts/gitea.ts';
import type { HostCredentials } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

// A self-hosted Gitea under a sub-path (https://gitea.launchpod.test/git/), and codeberg.org built in.
const made = createHostRegistry([{ hostname: 'gitea.launchpod.test', family: 'gitea', basePath: '/git' }]);
if (!made.ok) throw new Error(made.error);
const registry = made.value;
const entry = registry.lookup('gitea.launchpod.test', '/git/x') as HostEntry;
const ORIGIN = 'https://gitea.launchpod.test';
const SITE = `${ORIGIN}/git/platform/node-app`;
const data = samples.gitea;
const app = data.repos.find((r) => r.owner === 'platform' && r.name === 'node-app') as FakeRepo;
const fork = data.repos.find((r) => r.owner === 'contributor') as FakeRepo;
const anonymous: HostCredentials = { kind: 'anonymous' };

let fakes: FakeHosts;
const install = (options: FakeGiteaOptions = {}) => {
  fakes?.restore();
  fakes = installFakeHosts({ [ORIGIN]: fakeGitea(data, options) });
};
beforeEach(() => install());
afterEach(() => fakes.restore());

async function resolve(url: string, credentials: HostCredentials = anonymous) {
  const parsed = parseLaunchInput(url, registry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const context = parsed.value.context as Exclude<GitContext, { kind: 'snapshot' }>;
  return giteaResolver.resolve({
    context,
    alternatives: [],
    entry,
    credentials,
    http: { backoffMs: [0, 0] },
  });
}

describe('Gitea resolver', () => {
  it('finds a branch with slashes and the file after it in one round trip, then reads .gitpod.yml', async () => {
    const resolved = await resolve(`${SITE}/src/branch/feature/x/y/src/feature.js#L1`);
    expect(resolved.ok && resolved.value).toMatchObject({
      sha: app.branches['feature/x/y'],
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src/feature.js', kind: 'file' },
      lines: { start: 1, end: 1 },
      configText: GITPOD_YML,
      cloneUrl: `${ORIGIN}/git/platform/node-app.git`,
      visibility: 'public',
    });
    expect(fakes.roundTrips()).toBe(2);
    // The ref-prefix listing, not a probe per split.
    expect(fakes.requests.filter((r) => r.url.includes('/git/refs/heads/feature'))).toHaveLength(1);
  });

  it('picks the shortest existing prefix, as Gitea does, and knows a folder', async () => {
    const resolved = await resolve(`${SITE}/src/branch/deep/1/2/3/4/src/lib`);
    expect(resolved.ok && resolved.value).toMatchObject({
      ref: { name: 'deep/1/2/3/4', type: 'branch' },
      path: { path: 'src/lib', kind: 'folder' },
    });
  });

  it('reads the legacy untyped form as branch, then tag, then commit', async () => {
    const tag = await resolve(`${SITE}/src/v1.0.0/README.md`);
    expect(tag.ok && tag.value).toMatchObject({
      ref: { name: 'v1.0.0', type: 'tag' },
      sha: app.tags['v1.0.0'],
    });
    const main = app.branches.main ?? '';
    const commit = await resolve(`${SITE}/src/${main.slice(0, 10)}/docs/usage.md`);
    expect(commit.ok && commit.value).toMatchObject({
      sha: main,
      path: { path: 'docs/usage.md', kind: 'file' },
    });
  });

  it('reads branch/HEAD as the default branch', async () => {
    const resolved = await resolve(`${SITE}/src/branch/HEAD/README.md`);
    expect(resolved.ok && resolved.value).toMatchObject({
      sha: app.branches.main,
      path: { path: 'README.md' },
    });
  });

  it('opens a pull request from a fork in the fork', async () => {
    const resolved = await resolve(`${SITE}/pulls/2`);
    expect(resolved.ok && resolved.value).toMatchObject({
      repo: { owner: 'contributor', name: 'node-app' },
      ref: { name: 'fix/typo', type: 'branch' },
      sha: fork.branches['fix/typo'],
      pullRequest: { fromFork: true, headRef: 'fix/typo', baseRepo: { owner: 'platform' } },
    });
  });

  it('opens a pull request whose fork is gone from refs/pull/<n>/head in the base repository', async () => {
    const resolved = await resolve(`${SITE}/pulls/3`);
    expect(resolved.ok && resolved.value).toMatchObject({
      repo: { owner: 'platform', name: 'node-app' },
      sha: fork.branches['fix/typo'],
      pullRequest: { headRef: 'refs/pull/3/head', fromFork: false },
    });
    expect(resolved.ok && resolved.value.ref).toBeUndefined();
  });

  it('follows an issue number that is really a pull request', async () => {
    const resolved = await resolve(`${SITE}/issues/1`);
    expect(resolved.ok && resolved.value).toMatchObject({
      pullRequest: { number: 1 },
      sha: app.branches['feature/x/y'],
    });
  });

  it('names an issue branch after the issue', async () => {
    const resolved = await resolve(`${SITE}/issues/4`, anonymous);
    expect(resolved.ok && resolved.value.issue?.branch).toMatch(/4/);
  });

  it('says a private repository may need a sign-in, and opens it for someone who can read it', async () => {
    const hidden = await resolve(`${SITE.replace('node-app', 'private-app')}`);
    expect(hidden.ok ? hidden.value : hidden.error.code).toBe('repo-not-found');
    const seen = await resolve(`${SITE.replace('node-app', 'private-app')}`, {
      kind: 'user',
      token: 'user-token-alice',
    });
    expect(seen.ok && seen.value.visibility).toBe('private');
    expect(fakes.requests.at(-1)?.headers.get('authorization')).toBe('token user-token-alice');
  });

  it("turns Codeberg's 429 into a rate limit with its wait", async () => {
    install({ rateLimited: true, retryAfterSeconds: 42 });
    const limited = await resolve(SITE);
    expect(limited.ok ? limited.value : [limited.error.code, limited.error.retryAfterSeconds]).toEqual([
      'rate-limited',
      42,
    ]);
  });

  it('names the missing branch', async () => {
    const missing = await resolve(`${SITE}/src/branch/nope/x`);
    expect(missing.ok ? missing.value : missing.error.code).toBe('ref-not-found');
  });

  it('reads a file and the history at a commit', async () => {
    const repo = {
      host: 'gitea.launchpod.test',
      family: 'gitea' as const,
      owner: 'platform',
      name: 'node-app',
    };
    const sha = app.branches.main ?? '';
    expect(await giteaResolver.readFile(repo, sha, '.gitpod.yml', entry, anonymous)).toEqual({
      ok: true,
      value: GITPOD_YML,
    });
    expect(await giteaResolver.readFile(repo, sha, 'nope.txt', entry, anonymous)).toEqual({
      ok: true,
      value: null,
    });
    const history = await giteaResolver.history?.(repo, sha, 3, entry, anonymous);
    expect(history?.ok && history.value).toHaveLength(3);
  });
});
