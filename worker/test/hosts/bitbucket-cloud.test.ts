import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeBitbucketCloudOptions, fakeBitbucketCloud } from '../../../dev/fakes/bitbucket-cloud.ts';
import type { FakeHostData, FakeRepo } from '../../../dev/fakes/model.ts';
import { GITPOD_YML, samples } from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { defaultHostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { LaunchError } from '../../src/errors.ts';
import { bitbucketCloudResolver } from '../../src/hosts/bitbucket-cloud.ts';
import type { HostCredentials } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const API = 'https://api.bitbucket.org';
const SITE = 'https://bitbucket.org/launchpod-samples';
const ALICE = 'user-token-alice';
const anonymous: HostCredentials = { kind: 'anonymous' };
const alice: HostCredentials = { kind: 'user', token: ALICE };
const server: HostCredentials = { kind: 'server', token: 'server-token' };

function sampleRepo(data: FakeHostData, owner: string, name: string): FakeRepo {
  const repo = data.repos.find((r) => r.owner === owner && r.name === name);
  if (repo === undefined) throw new Error(`no sample ${owner}/${name}`);
  return repo;
}

// The samples plus a branch four levels deep, so every depth 1–5 has a branch.
const base = samples.bitbucketCloud;
const data: FakeHostData = {
  ...base,
  repos: base.repos.map((r) =>
    r.owner === 'launchpod-samples' && r.name === 'node-app'
      ? {
          ...r,
          branches: {
            ...r.branches,
            'team/a/b/c': r.branches['release/1.0'] ?? '',
            v2: r.branches.main ?? '',
          },
          tags: { ...r.tags, v2: r.tags['v1.0.0'] ?? '' },
        }
      : r,
  ),
};
const app = sampleRepo(data, 'launchpod-samples', 'node-app');
const fork = sampleRepo(data, 'contributor', 'node-app');
const head = (name: string): string => app.branches[name] ?? '';
// The tag sits on main's second commit; its parent is the first.
const second = app.tags['v1.0.0'] ?? '';
const first = app.commits[second]?.parents[0] ?? '';
const entry = defaultHostRegistry.lookup('bitbucket.org') as HostEntry;
const appRef: RepoRef = {
  host: 'bitbucket.org',
  family: 'bitbucket-cloud',
  owner: 'launchpod-samples',
  name: 'node-app',
};

let fakes: FakeHosts;
const install = (options: FakeBitbucketCloudOptions = {}) => {
  fakes?.restore();
  fakes = installFakeHosts({ [API]: fakeBitbucketCloud(data, options) });
};
beforeEach(() => install());
afterEach(() => fakes.restore());

async function resolve(url: string, credentials: HostCredentials = anonymous, userName?: string) {
  const parsed = parseLaunchInput(url, defaultHostRegistry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { context, alternatives } = parsed.value;
  if (context.kind === 'snapshot') throw new Error('not a repository context');
  return bitbucketCloudResolver.resolve({
    context,
    alternatives,
    entry,
    credentials,
    http: { backoffMs: [0, 0] },
    ...(userName !== undefined && { userName }),
  });
}

async function resolved(url: string, credentials: HostCredentials = anonymous, userName?: string) {
  const result = await resolve(url, credentials, userName);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.detail}`);
  return result.value;
}

async function failure(url: string, credentials: HostCredentials = anonymous): Promise<LaunchError> {
  const result = await resolve(url, credentials);
  if (result.ok) throw new Error(`expected an error, resolved ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('Bitbucket Cloud repositories and refs', () => {
  it('opens the main branch head of a repository, with its .gitpod.yml, in two round trips', async () => {
    const context = await resolved(`${SITE}/node-app`);
    expect(context).toEqual<ResolvedContext>({
      repo: appRef,
      visibility: 'public',
      cloneUrl: `${SITE}/node-app.git`,
      webUrl: `${SITE}/node-app`,
      defaultBranch: 'main',
      ref: { name: 'main', type: 'branch' },
      sha: head('main'),
      configText: GITPOD_YML,
    });
    expect(fakes.roundTrips()).toBe(2);
    expect(fakes.requests).toHaveLength(3);
  });

  it('opens a branch page on that branch in one round trip', async () => {
    const context = await resolved(`${SITE}/node-app/branch/release/1.0`);
    expect(context.ref).toEqual({ name: 'release/1.0', type: 'branch' });
    expect(context.sha).toBe(head('release/1.0'));
    expect(context.defaultBranch).toBe('main');
    expect(context.webUrl).toBe(`${SITE}/node-app/branch/release/1.0`);
    expect(fakes.roundTrips()).toBe(1);
  });

  it('opens a tag at its commit', async () => {
    const context = await resolved(`${SITE}/node-app/commits/tag/v1.0.0`);
    expect(context.ref).toEqual({ name: 'v1.0.0', type: 'tag' });
    expect(context.sha).toBe(app.tags['v1.0.0']);
    expect(fakes.roundTrips()).toBe(1);
  });

  it('prefers the branch when a branch and a tag share a name, unless the URL says tag', async () => {
    const either = await resolved(`${SITE}/node-app/src/v2/`);
    expect(either.ref).toEqual({ name: 'v2', type: 'branch' });
    expect(either.sha).toBe(head('main'));
    // `src/v2/.gitpod.yml` could mean either; it is not trusted, and the caller reads the config at the sha.
    expect(either.configText).toBeUndefined();
    const tag = await resolved(`${SITE}/node-app/commits/tag/v2`);
    expect(tag.ref).toEqual({ name: 'v2', type: 'tag' });
    expect(tag.sha).toBe(second);
  });

  it('expands a short commit id to the full one, detached, with the config at that commit', async () => {
    const context = await resolved(`${SITE}/node-app/commits/${second.slice(0, 7)}`);
    expect(context.sha).toBe(second);
    expect(context.ref).toBeUndefined();
    expect(context.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(1);
  });

  it.each([
    [1, 'd1'],
    [2, 'fix/typo'],
    [3, 'feature/x/y'],
    [4, 'team/a/b/c'],
    [5, 'deep/1/2/3/4'],
  ])('settles a branch %i levels deep in src/ in ONE round trip', async (_depth, branch) => {
    const context = await resolved(`${SITE}/node-app/src/${branch}/`);
    expect(context.ref).toEqual({ name: branch, type: 'branch' });
    expect(context.sha).toBe(head(branch));
    expect(context.path).toBeUndefined();
    expect(fakes.roundTrips()).toBe(1);
    // The repository and one `refs?q=` query, whatever the depth.
    expect(fakes.requests.length).toBeLessThanOrEqual(4);
    expect(fakes.requests.filter((r) => new URL(r.url).pathname.endsWith('/refs'))).toHaveLength(1);
  });

  it('asks whether an unknown path is a file or a folder, and keeps lines only on a file', async () => {
    const file = await resolved(`${SITE}/node-app/src/${head('main')}/src/index.js#lines-1`);
    expect(file.path).toEqual({ path: 'src/index.js', kind: 'file' });
    expect(file.lines).toEqual({ start: 1, end: 1 });
    expect(fakes.roundTrips()).toBe(1);

    fakes.reset();
    const folder = await resolved(`${SITE}/node-app/src/${head('main')}/src/lib#lines-3`);
    expect(folder.path).toEqual({ path: 'src/lib', kind: 'folder' });
    expect(folder.lines).toBeUndefined();

    fakes.reset();
    // `src/feature/x/y/src/feature.js`: the branch first, then what the path is at its commit.
    const deep = await resolved(`${SITE}/node-app/src/feature/x/y/src/feature.js#lines-1:1`);
    expect(deep.ref).toEqual({ name: 'feature/x/y', type: 'branch' });
    expect(deep.path).toEqual({ path: 'src/feature.js', kind: 'file' });
    expect(deep.lines).toEqual({ start: 1, end: 1 });
    expect(deep.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(2);
  });

  it('drops a path that does not exist at the commit and still opens the workspace', async () => {
    const context = await resolved(`${SITE}/node-app/src/main/no/such/file.txt#lines-4`);
    expect(context.ref).toEqual({ name: 'main', type: 'branch' });
    expect(context.path).toBeUndefined();
    expect(context.lines).toBeUndefined();
  });

  it('tracks the ?at= branch only when its head is the commit in src/', async () => {
    const tracking = await resolved(`${SITE}/node-app/src/${head('main')}/?at=main`);
    expect(tracking.ref).toEqual({ name: 'main', type: 'branch' });
    const detached = await resolved(`${SITE}/node-app/src/${first}/README.md?at=main`);
    expect(detached.ref).toBeUndefined();
    expect(detached.sha).toBe(first);
    expect(detached.path).toEqual({ path: 'README.md', kind: 'file' });
  });

  it('says which ref is missing and links to the branches', async () => {
    const error = await failure(`${SITE}/node-app/branch/no-such-branch`);
    expect(error.code).toBe('ref-not-found');
    expect(error.detail).toContain("branch 'no-such-branch'");
    expect(error.wayOut?.href).toBe(`${SITE}/node-app/branches/`);
    const commit = await failure(`${SITE}/node-app/commits/abcdef0`);
    expect(commit.code).toBe('ref-not-found');
  });

  it('fills configText with null when the repository has no .gitpod.yml', async () => {
    const context = await resolved(`${SITE}/no-config`);
    expect(context.configText).toBeNull();
  });
});

describe('Bitbucket Cloud pull requests and issues', () => {
  it('opens a pull request from the same repository on its source branch (PR + short-hash expansion)', async () => {
    const context = await resolved(`${SITE}/node-app/pull-requests/1`);
    expect(context.repo).toEqual(appRef);
    expect(context.ref).toEqual({ name: 'feature/x/y', type: 'branch' });
    expect(context.sha).toBe(head('feature/x/y'));
    expect(context.pullRequest).toEqual({
      number: 1,
      title: 'Feature x/y',
      state: 'open',
      headRepo: appRef,
      headRef: 'feature/x/y',
      headSha: head('feature/x/y'),
      baseRepo: appRef,
      baseRef: 'main',
      fromFork: false,
    });
    expect(context.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(2);
  });

  it('opens a pull request from a fork in the fork', async () => {
    const context = await resolved(`${SITE}/node-app/pull-requests/2/diff`);
    const forkRef: RepoRef = { ...appRef, owner: 'contributor' };
    expect(context.repo).toEqual(forkRef);
    expect(context.cloneUrl).toBe('https://bitbucket.org/contributor/node-app.git');
    expect(context.webUrl).toBe(`${SITE}/node-app/pull-requests/2/diff`);
    expect(context.sha).toBe(fork.branches['fix/typo']);
    expect(context.pullRequest?.fromFork).toBe(true);
    expect(context.pullRequest?.baseRepo).toEqual(appRef);
    expect(fakes.roundTrips()).toBe(2);
  });

  it('says when the source branch of a pull request is gone, with a way to the base repository', async () => {
    const error = await failure(`${SITE}/node-app/pull-requests/3`);
    expect(error.code).toBe('pr-head-deleted');
    expect(error.status).toBe(410);
    expect(error.wayOut?.href).toBe(`${SITE}/node-app`);
    expect((await failure(`${SITE}/node-app/pull-requests/99`)).code).toBe('pr-not-found');
  });

  it('opens an issue on a new branch named for the launching user, from the main branch head', async () => {
    const context = await resolved(`${SITE}/node-app/issues/4/add-dark-mode`, alice, 'alice');
    expect(context.ref).toEqual({ name: 'alice/add-dark-mode-support-4', type: 'branch' });
    expect(context.sha).toBe(head('main'));
    expect(context.issue).toEqual({
      number: 4,
      title: 'Add dark mode support',
      branch: 'alice/add-dark-mode-support-4',
    });
    expect(context.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(2);
  });

  it("names the branch for the issue's reporter when nobody is signed in, and copes with an empty title", async () => {
    expect((await resolved(`${SITE}/node-app/issues/4`)).issue?.branch).toBe(
      'octo-reporter/add-dark-mode-support-4',
    );
    expect((await resolved(`${SITE}/node-app/issues/5`)).issue).toEqual({
      number: 5,
      title: '',
      branch: 'octo-reporter/5',
    });
  });

  it('says when an issue does not exist, or the repository has no issue tracker', async () => {
    expect((await failure(`${SITE}/node-app/issues/77`)).code).toBe('issue-not-found');
    const noTracker = await failure(`${SITE}/no-config/issues/1`);
    expect(noTracker.code).toBe('issue-not-found');
    expect(noTracker.detail).toContain('no issue tracker');
  });
});

describe('Bitbucket Cloud access and failures', () => {
  it('says a missing repository may be private when nobody is signed in, and not when someone is', async () => {
    const anon = await failure(`${SITE}/nope`);
    expect(anon.code).toBe('repo-not-found');
    expect(anon.facts).toEqual({ maybePrivate: true });
    expect(anon.detail).toContain('signing in with Bitbucket');
    const withServerToken = await failure(`${SITE}/private-app`, server);
    expect(withServerToken.facts).toEqual({ maybePrivate: true });
    const signedIn = await failure(`${SITE}/nope`, alice);
    expect(signedIn.code).toBe('repo-not-found');
    expect(signedIn.facts).toEqual({});
  });

  it('opens a private repository with the token of a user who can read it', async () => {
    expect((await failure(`${SITE}/private-app`)).code).toBe('repo-not-found');
    fakes.reset();
    const context = await resolved(`${SITE}/private-app/src/main/`, alice);
    expect(context.sha).toBe(sampleRepo(data, 'launchpod-samples', 'private-app').branches.main);
    expect(fakes.requests.every((r) => r.headers.get('authorization') === `Bearer ${ALICE}`)).toBe(true);
  });

  it('asks a signed-in user to sign in again when Bitbucket refuses the token', async () => {
    const error = await failure(`${SITE}/node-app`, { kind: 'user', token: 'expired-token' });
    expect(error.code).toBe('private-repo');
    expect(error.detail).toContain('Sign in with Bitbucket again');
  });

  it('reports a rate limit with the wait Bitbucket asked for', async () => {
    install({ rateLimited: true, retryAfterSeconds: 1200 });
    const error = await failure(`${SITE}/node-app`);
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterSeconds).toBe(1200);
  });

  it('retries a Bitbucket that fails twice, then resolves', async () => {
    install({ failTimes: 2 });
    const context = await resolved(`${SITE}/node-app`);
    expect(context.sha).toBe(head('main'));
    expect(
      fakes.requests.filter(
        (r) => new URL(r.url).pathname === '/2.0/repositories/launchpod-samples/node-app',
      ),
    ).toHaveLength(3);
  });

  it('says Bitbucket is unavailable when it keeps failing', async () => {
    install({ failTimes: Number.POSITIVE_INFINITY });
    const error = await failure(`${SITE}/node-app`);
    expect(error.code).toBe('host-unavailable');
    expect(error.status).toBe(502);
  });
});

describe('Bitbucket Cloud readFile', () => {
  it('reads a file at a commit, null when absent or a folder, and an error for a missing repository', async () => {
    const read = (repo: RepoRef, path: string) =>
      bitbucketCloudResolver.readFile(repo, head('main'), path, entry, anonymous, { backoffMs: [0, 0] });
    expect(await read(appRef, '.gitpod.yml')).toEqual({ ok: true, value: GITPOD_YML });
    expect(await read(appRef, 'no/such.yml')).toEqual({ ok: true, value: null });
    expect(await read(appRef, 'src')).toEqual({ ok: true, value: null });
    const missing = await read({ ...appRef, name: 'nope' }, '.gitpod.yml');
    expect(missing.ok ? 'resolved' : missing.error.code).toBe('repo-not-found');
  });
});

describe('Bitbucket Cloud token hygiene', () => {
  it('sends the token only in the Authorization header and never in a message', async () => {
    const urls = [
      `${SITE}/private-app`,
      `${SITE}/node-app/src/feature/x/y/src/feature.js`,
      `${SITE}/node-app/pull-requests/2`,
      `${SITE}/node-app/pull-requests/3`,
      `${SITE}/node-app/issues/4`,
      `${SITE}/node-app/branch/nope`,
      `${SITE}/nope`,
    ];
    const checkRequests = () => {
      expect(fakes.requests.length).toBeGreaterThan(0);
      for (const request of fakes.requests) {
        expect(request.url).not.toContain(ALICE);
        for (const [name, value] of request.headers) {
          if (name !== 'authorization') expect(value).not.toContain(ALICE);
        }
      }
    };
    const results = await Promise.all(urls.map((url) => resolve(url, alice)));
    results.push(await resolve(`${SITE}/node-app`, { kind: 'user', token: 'secret-unknown-token' }));
    checkRequests();
    install({ rateLimited: true });
    results.push(await resolve(`${SITE}/node-app`, alice));
    checkRequests();
    install({ failTimes: Number.POSITIVE_INFINITY });
    results.push(await resolve(`${SITE}/node-app`, alice));
    checkRequests();
    for (const result of results) {
      const text = JSON.stringify(
        result.ok ? result.value : { ...result.error.toProblem(), message: result.error.message },
      );
      expect(text).not.toContain(ALICE);
      expect(text).not.toContain('secret-unknown-token');
    }
  });
});
