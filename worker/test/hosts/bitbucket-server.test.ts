import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeBitbucketServerOptions, fakeBitbucketServer } from '../../../dev/fakes/bitbucket-server.ts';
import type { FakeHostData, FakeRepo } from '../../../dev/fakes/model.ts';
import { GITPOD_YML, samples } from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { createHostRegistry, type HostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { LaunchError } from '../../src/errors.ts';
import { bitbucketServerResolver } from '../../src/hosts/bitbucket-server.ts';
import type { HostCredentials } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const ORIGIN = 'https://bitbucket.launchpod.test';
const SITE = `${ORIGIN}/projects/PLAT/repos`;
const API = `${ORIGIN}/rest/api/1.0/projects/PLAT/repos`;
const ALICE = 'user-token-alice';
const anonymous: HostCredentials = { kind: 'anonymous' };
const alice: HostCredentials = { kind: 'user', token: ALICE };
const server: HostCredentials = { kind: 'server', token: 'server-token' };

function registry(basePath?: string): HostRegistry {
  const made = createHostRegistry([
    {
      hostname: 'bitbucket.launchpod.test',
      family: 'bitbucket-server',
      ...(basePath !== undefined && { basePath }),
    },
  ]);
  if (!made.ok) throw new Error(made.error);
  return made.value;
}
const hosts = registry();
const entry = hosts.lookup('bitbucket.launchpod.test') as HostEntry;

function sampleRepo(data: FakeHostData, owner: string, name: string): FakeRepo {
  const repo = data.repos.find((r) => r.owner === owner && r.name === name);
  if (repo === undefined) throw new Error(`no sample ${owner}/${name}`);
  return repo;
}

// The samples plus a branch four levels deep, so every depth 1–5 has a branch.
const base = samples.bitbucketServer;
const data: FakeHostData = {
  ...base,
  repos: base.repos.map((r) =>
    r.owner === 'PLAT' && r.name === 'node-app'
      ? { ...r, branches: { ...r.branches, 'team/a/b/c': r.branches['release/1.0'] ?? '' } }
      : r,
  ),
};
const app = sampleRepo(data, 'PLAT', 'node-app');
const fork = sampleRepo(data, '~contributor', 'node-app');
const head = (name: string): string => app.branches[name] ?? '';
const tagged = app.tags['v1.0.0'] ?? '';
const appRef: RepoRef = {
  host: 'bitbucket.launchpod.test',
  family: 'bitbucket-server',
  owner: 'PLAT',
  name: 'node-app',
};
const forkRef: RepoRef = { ...appRef, owner: '~contributor' };

let fakes: FakeHosts;
const install = (options: FakeBitbucketServerOptions = {}) => {
  fakes?.restore();
  fakes = installFakeHosts({ [ORIGIN]: fakeBitbucketServer(data, options) });
};
beforeEach(() => install());
afterEach(() => fakes.restore());

async function resolve(url: string, credentials: HostCredentials = anonymous, using: HostRegistry = hosts) {
  const parsed = parseLaunchInput(url, using);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { context, alternatives } = parsed.value;
  if (context.kind === 'snapshot') throw new Error('not a repository context');
  const hostEntry = using.lookup('bitbucket.launchpod.test', new URL(url).pathname) as HostEntry;
  return bitbucketServerResolver.resolve({
    context,
    alternatives,
    entry: hostEntry,
    credentials,
    http: { backoffMs: [0, 0] },
  });
}

async function resolved(url: string, credentials: HostCredentials = anonymous, using?: HostRegistry) {
  const result = await resolve(url, credentials, using);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.detail}`);
  return result.value;
}

async function failure(url: string, credentials: HostCredentials = anonymous): Promise<LaunchError> {
  const result = await resolve(url, credentials);
  if (result.ok) throw new Error(`expected an error, resolved ${JSON.stringify(result.value)}`);
  return result.error;
}

const at = (ref: string) => `?at=${encodeURIComponent(ref)}`;

describe('Bitbucket Server repositories and refs', () => {
  it('opens the default branch head of a repository, with its .gitpod.yml, in ONE round trip', async () => {
    const context = await resolved(`${SITE}/node-app`);
    expect(context).toEqual<ResolvedContext>({
      repo: appRef,
      visibility: 'public',
      cloneUrl: `${ORIGIN}/scm/plat/node-app.git`,
      webUrl: `${SITE}/node-app`,
      defaultBranch: 'main',
      ref: { name: 'main', type: 'branch' },
      sha: head('main'),
      configText: GITPOD_YML,
    });
    expect(fakes.roundTrips()).toBe(1);
    expect(fakes.requests.map((r) => r.url).sort()).toEqual(
      [
        `${API}/node-app`,
        `${API}/node-app/default-branch`,
        `${API}/node-app/commits?limit=1`,
        `${API}/node-app/raw/.gitpod.yml`,
      ].sort(),
    );
  });

  it.each([
    [1, 'd1'],
    [2, 'fix/typo'],
    [3, 'feature/x/y'],
    [4, 'team/a/b/c'],
    [5, 'deep/1/2/3/4'],
  ])('opens ?at=refs/heads/ a branch %i levels deep in ONE round trip', async (_depth, branch) => {
    const context = await resolved(`${SITE}/node-app/browse${at(`refs/heads/${branch}`)}`);
    expect(context.ref).toEqual({ name: branch, type: 'branch' });
    expect(context.sha).toBe(head(branch));
    expect(context.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(1);
  });

  it('reads a bare ?at= name as a branch first, then a tag, then a commit, in one round trip', async () => {
    const branch = await resolved(`${SITE}/node-app/browse${at('feature/x/y')}`);
    expect(branch.ref).toEqual({ name: 'feature/x/y', type: 'branch' });
    expect(fakes.roundTrips()).toBe(1);
    const tag = await resolved(`${SITE}/node-app/browse${at('v1.0.0')}`);
    expect(tag.ref).toEqual({ name: 'v1.0.0', type: 'tag' });
    expect(tag.sha).toBe(tagged);
    const commit = await resolved(`${SITE}/node-app/browse${at(tagged.slice(0, 10))}`);
    expect(commit.ref).toBeUndefined();
    expect(commit.sha).toBe(tagged);
  });

  it('opens a tag at its commit', async () => {
    const context = await resolved(`${SITE}/node-app/browse${at('refs/tags/v1.0.0')}`);
    expect(context.ref).toEqual({ name: 'v1.0.0', type: 'tag' });
    expect(context.sha).toBe(tagged);
  });

  it('expands a short commit id to the full one, detached', async () => {
    const context = await resolved(`${SITE}/node-app/commits/${tagged.slice(0, 7)}`);
    expect(context.sha).toBe(tagged);
    expect(context.ref).toBeUndefined();
    expect(context.webUrl).toBe(`${SITE}/node-app/commits/${tagged.slice(0, 7)}`);
    expect(fakes.roundTrips()).toBe(1);
  });

  it('asks whether an unknown path is a file or a folder, and keeps lines only on a file', async () => {
    const file = await resolved(`${SITE}/node-app/browse/src/index.js${at('refs/heads/main')}#1`);
    expect(file.path).toEqual({ path: 'src/index.js', kind: 'file' });
    expect(file.lines).toEqual({ start: 1, end: 1 });
    expect(fakes.roundTrips()).toBe(1);

    const folder = await resolved(`${SITE}/node-app/browse/src/lib#3-4`);
    expect(folder.path).toEqual({ path: 'src/lib', kind: 'folder' });
    expect(folder.lines).toBeUndefined();

    fakes.reset();
    // A bare name: the revision first, then what the path is at its commit (with the config alongside).
    const bare = await resolved(`${SITE}/node-app/browse/src/feature.js${at('feature/x/y')}`);
    expect(bare.path).toEqual({ path: 'src/feature.js', kind: 'file' });
    expect(bare.configText).toBe(GITPOD_YML);
    expect(fakes.roundTrips()).toBe(2);
  });

  it('drops a path that does not exist at the commit and still opens the workspace', async () => {
    const context = await resolved(`${SITE}/node-app/browse/no/such.txt${at('refs/heads/main')}#2`);
    expect(context.sha).toBe(head('main'));
    expect(context.path).toBeUndefined();
    expect(context.lines).toBeUndefined();
  });

  it('says which ref is missing and links to the branches', async () => {
    const error = await failure(`${SITE}/node-app/browse${at('refs/heads/nope')}`);
    expect(error.code).toBe('ref-not-found');
    expect(error.detail).toContain("branch 'nope'");
    expect(error.wayOut?.href).toBe(`${SITE}/node-app/branches`);
    expect((await failure(`${SITE}/node-app/commits/abcdef0`)).code).toBe('ref-not-found');
  });

  it('opens a personal repository (~user) and fills configText with null when there is no .gitpod.yml', async () => {
    const personal = await resolved(`${ORIGIN}/users/contributor/repos/node-app/browse`);
    expect(personal.repo).toEqual(forkRef);
    expect(personal.cloneUrl).toBe(`${ORIGIN}/scm/~contributor/node-app.git`);
    expect(personal.sha).toBe(fork.branches.main);
    const bare = await resolved(`${SITE}/no-config`);
    expect(bare.configText).toBeNull();
  });

  it('works on an instance served under a base path', async () => {
    const underPath = registry('/bitbucket');
    const context = await resolved(
      `${ORIGIN}/bitbucket/projects/PLAT/repos/node-app/browse/src${at('refs/heads/release/1.0')}`,
      anonymous,
      underPath,
    );
    expect(context.sha).toBe(head('release/1.0'));
    expect(context.path).toEqual({ path: 'src', kind: 'folder' });
    expect(context.cloneUrl).toBe(`${ORIGIN}/bitbucket/scm/plat/node-app.git`);
    expect(context.webUrl).toBe(
      `${ORIGIN}/bitbucket/projects/PLAT/repos/node-app/browse/src?at=refs/heads/release/1.0`,
    );
    expect(fakes.requests.every((r) => r.url.startsWith(`${ORIGIN}/bitbucket/rest/api/1.0/`))).toBe(true);
  });
});

describe('Bitbucket Server pull requests and issues', () => {
  it('opens a pull request from the same repository on its source branch in two round trips', async () => {
    const context = await resolved(`${SITE}/node-app/pull-requests/1/overview`);
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

  it('opens a pull request from a personal fork in the fork', async () => {
    const context = await resolved(`${SITE}/node-app/pull-requests/2`);
    expect(context.repo).toEqual(forkRef);
    expect(context.cloneUrl).toBe(`${ORIGIN}/scm/~contributor/node-app.git`);
    expect(context.sha).toBe(fork.branches['fix/typo']);
    expect(context.defaultBranch).toBe('main');
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

  it('refuses an issue without asking the host: Bitbucket Server has none (Jira holds them)', async () => {
    const result = await bitbucketServerResolver.resolve({
      context: { kind: 'issue', repo: appRef, number: 4 },
      alternatives: [],
      entry,
      credentials: anonymous,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.detail).toContain('Jira');
    expect(result.error.detail).toContain('branch or the pull request');
    expect(fakes.requests).toHaveLength(0);
  });
});

describe('Bitbucket Server access and failures', () => {
  it('says a missing repository may be private when nobody is signed in, and not when someone is', async () => {
    const anon = await failure(`${SITE}/nope`);
    expect(anon.code).toBe('repo-not-found');
    expect(anon.facts).toEqual({ maybePrivate: true });
    expect(anon.detail).toContain('signing in with bitbucket.launchpod.test');
    expect((await failure(`${ORIGIN}/projects/NOPE/repos/x`)).code).toBe('repo-not-found');
    const privateAnon = await failure(`${SITE}/private-app`, server);
    expect(privateAnon.code).toBe('repo-not-found');
    expect(privateAnon.facts).toEqual({ maybePrivate: true });
    const signedIn = await failure(`${SITE}/nope`, alice);
    expect(signedIn.code).toBe('repo-not-found');
    expect(signedIn.facts).toEqual({});
  });

  it('opens a private repository with the token of a user who can read it', async () => {
    const context = await resolved(`${SITE}/private-app/browse${at('refs/heads/main')}`, alice);
    expect(context.sha).toBe(sampleRepo(data, 'PLAT', 'private-app').branches.main);
    expect(fakes.requests.every((r) => r.headers.get('authorization') === `Bearer ${ALICE}`)).toBe(true);
  });

  it('tells a signed-in user who may not read a repository, or whose token was refused', async () => {
    const unknownToken = await failure(`${SITE}/node-app`, { kind: 'user', token: 'expired-token' });
    expect(unknownToken.code).toBe('private-repo');
    expect(unknownToken.detail).toContain('Sign in with bitbucket.launchpod.test again');
    const noAccess = await failure(`${SITE}/private-app`, { kind: 'user', token: 'server-token' });
    expect(noAccess.code).toBe('private-repo');
    expect(noAccess.detail).toContain('may not read PLAT/private-app');
  });

  it('reports a rate limit with the wait the instance asked for', async () => {
    install({ rateLimited: true, retryAfterSeconds: 45 });
    const error = await failure(`${SITE}/node-app`, server);
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterSeconds).toBe(45);
  });

  it('retries an instance that fails twice, then resolves', async () => {
    install({ failTimes: 2 });
    const context = await resolved(`${SITE}/node-app/browse${at('refs/heads/fix/typo')}`);
    expect(context.sha).toBe(head('fix/typo'));
  });

  it('says the instance is unavailable when it keeps failing', async () => {
    install({ failTimes: Number.POSITIVE_INFINITY });
    const error = await failure(`${SITE}/node-app`);
    expect(error.code).toBe('host-unavailable');
    expect(error.wayOut?.href).toBe(ORIGIN);
  });
});

describe('Bitbucket Server readFile', () => {
  it('reads a file at a commit, null when absent, and an error for a missing repository', async () => {
    const read = (repo: RepoRef, path: string) =>
      bitbucketServerResolver.readFile(repo, head('main'), path, entry, anonymous, { backoffMs: [0, 0] });
    expect(await read(appRef, '.gitpod.yml')).toEqual({ ok: true, value: GITPOD_YML });
    expect(await read(appRef, 'no/such.yml')).toEqual({ ok: true, value: null });
    const missing = await read({ ...appRef, name: 'nope' }, '.gitpod.yml');
    expect(missing.ok ? 'resolved' : missing.error.code).toBe('repo-not-found');
  });
});

describe('Bitbucket Server token hygiene', () => {
  it('sends the token only in the Authorization header and never in a message', async () => {
    const checkRequests = () => {
      expect(fakes.requests.length).toBeGreaterThan(0);
      for (const request of fakes.requests) {
        expect(request.url).not.toContain(ALICE);
        for (const [name, value] of request.headers) {
          if (name !== 'authorization') expect(value).not.toContain(ALICE);
        }
      }
    };
    const urls = [
      `${SITE}/private-app`,
      `${SITE}/node-app/browse/src/feature.js${at('feature/x/y')}`,
      `${SITE}/node-app/pull-requests/2`,
      `${SITE}/node-app/pull-requests/3`,
      `${SITE}/node-app/browse${at('refs/heads/nope')}`,
      `${SITE}/nope`,
    ];
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
