import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAzureDevopsOptions, fakeAzureDevops } from '../../../dev/fakes/azure-devops.ts';
import type { FakeRepo } from '../../../dev/fakes/model.ts';
import { GITPOD_YML, samples } from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { GitContext } from '../../../shared/launch-request.ts';
import { azureDevopsResolver } from '../../src/hosts/azure-devops.ts';
import type { HostCredentials } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const made = createHostRegistry([
  { hostname: 'tfs.launchpod.test', family: 'azure-devops', basePath: '/tfs/DefaultCollection' },
]);
if (!made.ok) throw new Error(made.error);
const registry = made.value;
const data = samples.azure;
const app = data.repos.find((r) => r.owner === 'launchpod/samples' && r.name === 'node-app') as FakeRepo;
const fork = data.repos.find((r) => r.owner === 'launchpod/contributor') as FakeRepo;
const anonymous: HostCredentials = { kind: 'anonymous' };
const SITE = 'https://dev.azure.com/launchpod/samples/_git/node-app';

let fakes: FakeHosts;
const install = (options: FakeAzureDevopsOptions = {}) => {
  fakes?.restore();
  fakes = installFakeHosts({
    'https://dev.azure.com': fakeAzureDevops(data, options),
    'https://tfs.launchpod.test': fakeAzureDevops(samples.azureServer, options),
  });
};
beforeEach(() => install());
afterEach(() => fakes.restore());

async function resolve(url: string, credentials: HostCredentials = anonymous) {
  const parsed = parseLaunchInput(url, registry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const context = parsed.value.context as Exclude<GitContext, { kind: 'snapshot' }>;
  const entry = registry.lookup(context.repo.host, '/tfs/DefaultCollection/x') as HostEntry;
  return azureDevopsResolver.resolve({
    context,
    alternatives: [],
    entry,
    credentials,
    http: { backoffMs: [0, 0] },
  });
}

describe('Azure DevOps resolver', () => {
  it('opens a branch with slashes and a file at its line in two round trips', async () => {
    const resolved = await resolve(`${SITE}?version=GBfeature%2Fx%2Fy&path=%2Fsrc%2Ffeature.js&line=1`);
    expect(resolved.ok && resolved.value).toMatchObject({
      sha: app.branches['feature/x/y'],
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src/feature.js', kind: 'file' },
      lines: { start: 1, end: 1 },
      configText: GITPOD_YML,
      cloneUrl: SITE,
    });
    expect(fakes.roundTrips()).toBe(2);
  });

  it('reads a legacy visualstudio.com link as the same repository, a tag and a commit (GC) with a folder', async () => {
    const legacy = await resolve(
      'https://launchpod.visualstudio.com/DefaultCollection/samples/_git/node-app?version=GTv1.0.0',
    );
    expect(legacy.ok && legacy.value).toMatchObject({
      repo: { host: 'dev.azure.com', owner: 'launchpod/samples' },
      sha: app.tags['v1.0.0'],
    });
    const main = app.branches.main ?? '';
    const commit = await resolve(`${SITE}?version=GC${main}&path=/src/lib`);
    expect(commit.ok && commit.value).toMatchObject({ sha: main, path: { path: 'src/lib', kind: 'folder' } });
  });

  it('opens a pull request from a fork in the fork', async () => {
    const resolved = await resolve(`${SITE}/pullrequest/2`);
    expect(resolved.ok && resolved.value).toMatchObject({
      repo: { owner: 'launchpod/contributor', name: 'node-app' },
      sha: fork.branches['fix/typo'],
      pullRequest: { fromFork: true, headRef: 'fix/typo', baseRepo: { owner: 'launchpod/samples' } },
    });
  });

  it('opens a repository whose project and name hold spaces and non-ASCII letters', async () => {
    const resolved = await resolve(
      'https://dev.azure.com/launchpod/My%20Project/_git/%C3%9Cn%C3%AFcode%20Repo',
    );
    expect(resolved.ok && resolved.value).toMatchObject({
      repo: { owner: 'launchpod/My Project', name: 'Ünïcode Repo' },
      cloneUrl: 'https://dev.azure.com/launchpod/My%20Project/_git/%C3%9Cn%C3%AFcode%20Repo',
    });
  });

  it('reads the 203 sign-in page as "sign in", and opens a private repository with a user token or a PAT', async () => {
    const url = SITE.replace('node-app', 'private-app');
    const anonymousTry = await resolve(url);
    expect(
      anonymousTry.ok ? anonymousTry.value : [anonymousTry.error.code, anonymousTry.error.title],
    ).toEqual(['private-repo', 'Sign in to Azure DevOps to open this']);
    const user = await resolve(url, { kind: 'user', token: 'user-token-alice' });
    expect(user.ok && user.value.visibility).toBe('private');
    expect(fakes.requests.at(-1)?.headers.get('authorization')).toBe('Bearer user-token-alice');
    const expired = await resolve(url, { kind: 'user', token: 'expired' });
    expect(expired.ok ? expired.value : expired.error.code).toBe('private-repo');
  });

  it('resolves on Azure DevOps Server below its collection', async () => {
    const resolved = await resolve(
      'https://tfs.launchpod.test/tfs/DefaultCollection/Platform/_git/node-app/pullrequest/1',
    );
    expect(resolved.ok && resolved.value).toMatchObject({
      repo: { host: 'tfs.launchpod.test', owner: 'Platform' },
      cloneUrl: 'https://tfs.launchpod.test/tfs/DefaultCollection/Platform/_git/node-app',
      pullRequest: { number: 1, fromFork: false },
    });
  });

  it('names a missing repository (TF401019) and turns TF400733 throttling into a wait', async () => {
    const missing = await resolve(SITE.replace('node-app', 'nope'));
    expect(missing.ok ? missing.value : missing.error.code).toBe('repo-not-found');
    install({ rateLimited: true, retryAfterSeconds: 12 });
    const limited = await resolve(SITE);
    expect(limited.ok ? limited.value : [limited.error.code, limited.error.retryAfterSeconds]).toEqual([
      'rate-limited',
      12,
    ]);
  });
});
