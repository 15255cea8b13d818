import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeGitHubOptions, fakeGitHub } from '../../../dev/fakes/github.ts';
import type { FakeHostData, FakeRepo } from '../../../dev/fakes/model.ts';
import { GITPOD_YML, INVALID_GITPOD_YML, sampleHost } from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { LaunchError } from '../../src/errors.ts';
import { githubResolver } from '../../src/hosts/github.ts';
import type { HostCredentials, RepoContext } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const GHE = 'github.corp.example';
const NOW = 1_900_000_000_000;
const OWNER = 'launchpod-samples';
const USER_TOKEN = 'user-token-alice';

const registry = (() => {
  const created = createHostRegistry([{ hostname: GHE, family: 'github' }]);
  if (!created.ok) throw new Error(created.error);
  return created.value;
})();

/** The sample host plus what the rules need beyond it: a depth-4 branch, a branch with GraphQL-hostile characters,
 * a tag named like a branch prefix, a PR whose head branch was deleted, and 120 branches under one prefix (more than
 * GitHub lists on one page). */
function hostData(hostname: string): FakeHostData {
  const data = sampleHost(hostname, OWNER, 'contributor');
  const many = Object.fromEntries(
    Array.from({ length: 120 }, (_, i) => [`many/b${String(i).padStart(3, '0')}`, '']),
  );
  return {
    ...data,
    repos: data.repos.map((repo): FakeRepo => {
      if (repo.name !== 'node-app' || repo.owner !== OWNER) return repo;
      const main = repo.branches.main ?? '';
      return {
        ...repo,
        branches: {
          ...repo.branches,
          'team/web/ui/v2': main,
          ...Object.fromEntries(Object.keys(many).map((b) => [b, main])),
          'many/zz': repo.branches['fix/typo'] ?? '',
          'odd/"quoted"{name}': repo.branches['feature/x/y'] ?? '',
        },
        // Shorter than the branch `release/1.0`, which still wins: branches come before tags.
        tags: { ...repo.tags, release: main },
        pulls: [
          ...repo.pulls,
          {
            number: 6,
            title: 'Branch deleted after merge',
            state: 'merged',
            author: 'contributor',
            headRepo: `${OWNER}/node-app`,
            headRef: 'merged-and-deleted',
            headSha: main,
            baseRef: 'main',
          },
        ],
      };
    }),
  };
}

const github = hostData('github.com');
const enterprise = hostData(GHE);
const nodeApp = repoOf(github, OWNER, 'node-app');
const fork = repoOf(github, 'contributor', 'node-app');

function repoOf(data: FakeHostData, owner: string, name: string): FakeRepo {
  const repo = data.repos.find((r) => r.owner === owner && r.name === name);
  if (repo === undefined) throw new Error(`${owner}/${name} is not sample data`);
  return repo;
}

const branch = (name: string, repo = nodeApp): string => {
  const sha = repo.branches[name];
  if (sha === undefined) throw new Error(`no branch ${name}`);
  return sha;
};

const anonymous: HostCredentials = { kind: 'anonymous' };
const user: HostCredentials = { kind: 'user', token: USER_TOKEN };
const server: HostCredentials = { kind: 'server', token: 'server-token' };

const modes = [
  { mode: 'anonymous (REST)', credentials: anonymous },
  { mode: 'with a token (GraphQL)', credentials: user },
] as const;

let hosts: FakeHosts | undefined;
afterEach(() => {
  hosts?.restore();
  hosts = undefined;
  vi.restoreAllMocks();
});

function install(options: FakeGitHubOptions = {}): FakeHosts {
  hosts = installFakeHosts({
    'https://api.github.com': fakeGitHub(github, { now: () => NOW, ...options }),
    [`https://${GHE}`]: fakeGitHub(enterprise, {
      apiPrefix: '/api/v3',
      graphqlPath: '/api/graphql',
      now: () => NOW,
      ...options,
    }),
  });
  return hosts;
}

function contextOf(url: string): { context: RepoContext; entry: HostEntry } {
  const parsed = parseLaunchInput(url, registry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const context = parsed.value.context;
  if (context.kind === 'snapshot') throw new Error('not a repository');
  const entry = registry.lookup(context.repo.host);
  if (entry === undefined) throw new Error('no entry');
  return { context, entry };
}

interface LaunchOptions extends FakeGitHubOptions {
  readonly credentials?: HostCredentials;
  readonly userName?: string;
}

async function launch(url: string | RepoContext, options: LaunchOptions = {}) {
  const { credentials = anonymous, userName, ...fake } = options;
  const fakes = install(fake);
  const { context, entry } =
    typeof url === 'string'
      ? contextOf(url)
      : { context: url, entry: registry.lookup(url.repo.host) as HostEntry };
  const result = await githubResolver.resolve({
    context,
    alternatives: [],
    entry,
    credentials,
    ...(userName !== undefined && { userName }),
    http: { backoffMs: [0, 0], now: () => NOW },
  });
  return { result, fakes };
}

async function resolved(url: string | RepoContext, options: LaunchOptions = {}) {
  const { result, fakes } = await launch(url, options);
  if (!result.ok) throw new Error(`expected a resolution, got ${result.error.code}: ${result.error.detail}`);
  return { value: result.value, roundTrips: fakes.roundTrips(), requests: fakes.requests };
}

async function failed(url: string | RepoContext, options: LaunchOptions = {}): Promise<LaunchError> {
  const { result } = await launch(url, options);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** What both APIs must agree on; `.gitpod.yml` only comes with the GraphQL answer. */
function withoutConfig(value: ResolvedContext): ResolvedContext {
  const { configText: _, ...rest } = value;
  return rest;
}

const repoRef = (owner: string, name: string, host = 'github.com'): RepoRef => ({
  host,
  family: 'github',
  owner,
  name,
});

const SITE = 'https://github.com/launchpod-samples/node-app';

describe.each(modes)('GitHub resolver, $mode', ({ credentials }) => {
  const withToken = credentials.token !== undefined;

  it('opens a repository at its default branch head', async () => {
    const { value, roundTrips } = await resolved(SITE, { credentials });
    expect(withoutConfig(value)).toEqual({
      repo: repoRef(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}.git`,
      webUrl: SITE,
      defaultBranch: 'main',
      ref: { name: 'main', type: 'branch' },
      sha: branch('main'),
    });
    expect(roundTrips).toBe(1);
  });

  it('opens a branch', async () => {
    const { value } = await resolved(`${SITE}/tree/d1`, { credentials });
    expect(value).toMatchObject({
      ref: { name: 'd1', type: 'branch' },
      sha: branch('d1'),
      webUrl: `${SITE}/tree/d1`,
    });
    expect(value.path).toBeUndefined();
  });

  it('opens a release tag, lightweight or annotated, at its commit', async () => {
    for (const annotatedTags of [false, true]) {
      const { value } = await resolved(`${SITE}/releases/tag/v1.0.0`, { credentials, annotatedTags });
      expect(value).toMatchObject({ ref: { name: 'v1.0.0', type: 'tag' }, sha: nodeApp.tags['v1.0.0'] });
      const tree = await resolved(`${SITE}/tree/v1.0.0`, { credentials, annotatedTags });
      expect(tree.value).toMatchObject({ ref: { name: 'v1.0.0', type: 'tag' }, sha: nodeApp.tags['v1.0.0'] });
      const history = await resolved(`${SITE}/commits/v1.0.0/src`, { credentials, annotatedTags });
      expect(history.value).toMatchObject({
        sha: nodeApp.tags['v1.0.0'],
        path: { path: 'src', kind: 'folder' },
      });
      expect(history.roundTrips).toBe(withToken ? 1 : 2);
    }
  });

  it('expands a short sha to the full commit, detached', async () => {
    const full = branch('release/1.0');
    const { value, roundTrips } = await resolved(`${SITE}/commit/${full.slice(0, 7)}`, { credentials });
    expect(value.sha).toBe(full);
    expect(value.ref).toBeUndefined();
    expect(roundTrips).toBe(1);
    const tree = await resolved(`${SITE}/tree/${full.slice(0, 10)}/src`, { credentials });
    expect(tree.value).toMatchObject({ sha: full, path: { path: 'src', kind: 'folder' } });
    expect(tree.value.ref).toBeUndefined();
  });

  it.each([
    ['d1', 1, 'src/lib'],
    ['fix/typo', 2, 'src'],
    ['feature/x/y', 3, 'src'],
    ['team/web/ui/v2', 4, 'docs'],
    ['deep/1/2/3/4', 5, 'src/lib'],
  ])('settles branch %s (depth %i) in one round trip', async (name, _depth, path) => {
    const { value, roundTrips } = await resolved(`${SITE}/tree/${name}/${path}`, { credentials });
    expect(value).toMatchObject({
      ref: { name, type: 'branch' },
      sha: branch(name),
      path: { path, kind: 'folder' },
      webUrl: `${SITE}/tree/${name}/${path}`,
    });
    expect(roundTrips).toBe(1);
  });

  it('prefers a longer branch to a shorter tag', async () => {
    const { value } = await resolved(`${SITE}/blob/release/1.0/VERSION`, { credentials });
    expect(value).toMatchObject({
      ref: { name: 'release/1.0', type: 'branch' },
      sha: branch('release/1.0'),
      path: { path: 'VERSION', kind: 'file' },
    });
  });

  it('finds a branch whose name has quotes and braces', async () => {
    const { value } = await resolved(`${SITE}/tree/odd/%22quoted%22%7Bname%7D/src`, { credentials });
    expect(value).toMatchObject({
      ref: { name: 'odd/"quoted"{name}', type: 'branch' },
      sha: branch('feature/x/y'),
    });
  });

  it('keeps line anchors with a file from a blob page', async () => {
    const { value, roundTrips } = await resolved(`${SITE}/blob/feature/x/y/src/feature.js#L1-L2`, {
      credentials,
    });
    expect(value).toMatchObject({
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src/feature.js', kind: 'file' },
      lines: { start: 1, end: 1 + 1 },
    });
    expect(roundTrips).toBe(1);
  });

  it('asks the host whether a path is a file or a folder when the page does not say', async () => {
    const sha = branch('main');
    const folder = await resolved(`${SITE}/commits/${sha}/src`, { credentials });
    expect(folder.value.path).toEqual({ path: 'src', kind: 'folder' });
    const file = await resolved(`${SITE}/commits/${sha}/README.md`, { credentials });
    expect(file.value.path).toEqual({ path: 'README.md', kind: 'file' });
    expect(file.roundTrips).toBe(withToken ? 1 : 2);
  });

  it('drops a path that does not exist at the commit and still opens the workspace', async () => {
    const sha = branch('main');
    const { value } = await resolved(`${SITE}/commits/${sha}/deleted/long/ago`, { credentials });
    expect(value.sha).toBe(sha);
    expect(value.path).toBeUndefined();
  });

  it('names a missing ref and links to the branches page', async () => {
    const error = await failed(`${SITE}/tree/no-such-branch/src`, { credentials });
    expect(error.code).toBe('ref-not-found');
    expect(error.detail).toContain('no-such-branch');
    expect(error.wayOut).toEqual({ label: `Branches of ${OWNER}/node-app`, href: `${SITE}/branches` });
  });

  it('takes a commit with a branch hint as that branch only when it is the head', async () => {
    const repo = repoRef(OWNER, 'node-app');
    const main = branch('main');
    const onHead = await resolved(
      { kind: 'repository', repo, revision: { type: 'commit', sha: main, branch: 'main' }, page: 'commit' },
      { credentials },
    );
    expect(onHead.value.ref).toEqual({ name: 'main', type: 'branch' });
    const older = nodeApp.tags['v1.0.0'] ?? '';
    const detached = await resolved(
      { kind: 'repository', repo, revision: { type: 'commit', sha: older, branch: 'main' }, page: 'commit' },
      { credentials },
    );
    expect(detached.value.sha).toBe(older);
    expect(detached.value.ref).toBeUndefined();
  });

  it('looks a branch-only ref up among branches only', async () => {
    const error = await failed(
      {
        kind: 'repository',
        repo: repoRef(OWNER, 'node-app'),
        revision: { type: 'ref', name: 'v1.0.0', refType: 'branch' },
        page: 'branch',
      },
      { credentials },
    );
    expect(error.code).toBe('ref-not-found');
  });

  it('opens a pull request from the same repository at its head branch', async () => {
    const { value } = await resolved(`${SITE}/pull/1/files`, { credentials });
    expect(withoutConfig(value)).toEqual({
      repo: repoRef(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}.git`,
      webUrl: `${SITE}/pull/1/files`,
      defaultBranch: 'main',
      ref: { name: 'feature/x/y', type: 'branch' },
      sha: branch('feature/x/y'),
      pullRequest: {
        number: 1,
        title: 'Feature x/y',
        state: 'open',
        headRepo: repoRef(OWNER, 'node-app'),
        headRef: 'feature/x/y',
        headSha: branch('feature/x/y'),
        baseRepo: repoRef(OWNER, 'node-app'),
        baseRef: 'main',
        fromFork: false,
      },
    });
  });

  it('opens a pull request from a fork in the fork', async () => {
    const { value, roundTrips } = await resolved(`${SITE}/pull/2`, { credentials });
    expect(value).toMatchObject({
      repo: repoRef('contributor', 'node-app'),
      cloneUrl: 'https://github.com/contributor/node-app.git',
      ref: { name: 'fix/typo', type: 'branch' },
      sha: branch('fix/typo', fork),
      pullRequest: {
        fromFork: true,
        headRepo: repoRef('contributor', 'node-app'),
        baseRepo: repoRef(OWNER, 'node-app'),
      },
    });
    expect(roundTrips).toBe(withToken ? 1 : 2);
  });

  it.each([
    [3, 'the fork is gone'],
    [6, 'the head branch was deleted'],
  ])(
    'refuses pull request #%i whose head is deleted (%s), pointing at the base repository',
    async (number) => {
      const error = await failed(`${SITE}/pull/${number}`, { credentials });
      expect(error.code).toBe('pr-head-deleted');
      expect(error.status).toBe(410);
      expect(error.wayOut?.href).toBe(SITE);
    },
  );

  it('says so when there is no pull request or issue of that number', async () => {
    expect((await failed(`${SITE}/pull/99`, { credentials })).code).toBe('pr-not-found');
    expect((await failed(`${SITE}/issues/99`, { credentials })).code).toBe('issue-not-found');
  });

  it('follows a pull request link to the issue of that number, and an issue link to the pull request', async () => {
    const issue = await resolved(`${SITE}/pull/4`, { credentials, userName: 'somefox' });
    expect(issue.value.issue).toEqual({
      number: 4,
      title: 'Add dark mode support',
      branch: 'somefox/add-dark-mode-support-4',
    });
    const pull = await resolved(`${SITE}/issues/1`, { credentials });
    expect(pull.value.pullRequest?.number).toBe(1);
    expect(pull.value.ref).toEqual({ name: 'feature/x/y', type: 'branch' });
  });

  it('opens an issue on a new branch named for the user, from the default branch head', async () => {
    const { value, roundTrips } = await resolved(`${SITE}/issues/4`, { credentials, userName: 'SomeFox' });
    expect(withoutConfig(value)).toEqual({
      repo: repoRef(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}.git`,
      webUrl: `${SITE}/issues/4`,
      defaultBranch: 'main',
      ref: { name: 'somefox/add-dark-mode-support-4', type: 'branch' },
      sha: branch('main'),
      issue: { number: 4, title: 'Add dark mode support', branch: 'somefox/add-dark-mode-support-4' },
    });
    expect(roundTrips).toBe(1);
  });

  it('names the issue branch for the issue author when nobody is signed in, and copes with an empty title', async () => {
    const titled = await resolved(`${SITE}/issues/4`, { credentials });
    expect(titled.value.issue?.branch).toBe('octo-reporter/add-dark-mode-support-4');
    const untitled = await resolved(`${SITE}/issues/5`, { credentials });
    expect(untitled.value.issue).toEqual({ number: 5, title: '', branch: 'octo-reporter/5' });
  });

  it('retries a host that failed twice', async () => {
    for (const url of [SITE, `${SITE}/tree/feature/x/y/src`, `${SITE}/commits/${branch('main')}/src`]) {
      const { value } = await resolved(url, { credentials, failTimes: 2 });
      expect(value.sha).toMatch(/^[0-9a-f]{40}$/);
    }
    install({ failTimes: 2 });
    const entry = registry.lookup('github.com') as HostEntry;
    const read = await githubResolver.readFile(
      repoRef(OWNER, 'node-app'),
      branch('main'),
      '.gitpod.yml',
      entry,
      credentials,
      {
        backoffMs: [0, 0],
      },
    );
    expect(read).toEqual({ ok: true, value: GITPOD_YML });
  });

  it('says the host is unavailable when it keeps failing', async () => {
    const error = await failed(SITE, { credentials, failTimes: Number.POSITIVE_INFINITY });
    expect(error.code).toBe('host-unavailable');
    expect(error.wayOut?.href).toBe('https://github.com');
  });

  it('says when to retry when rate limited, from the rate-limit headers', async () => {
    const error = await failed(`${SITE}/tree/feature/x/y`, {
      credentials,
      rateLimited: true,
      resetInSeconds: 240,
    });
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterSeconds).toBe(240);
  });

  it('serves GitHub Enterprise at its own API base URL', async () => {
    const url = `https://${GHE}/${OWNER}/node-app/tree/feature/x/y/src`;
    const { value, requests, roundTrips } = await resolved(url, { credentials });
    expect(value).toMatchObject({
      repo: repoRef(OWNER, 'node-app', GHE),
      cloneUrl: `https://${GHE}/${OWNER}/node-app.git`,
      webUrl: url,
      ref: { name: 'feature/x/y', type: 'branch' },
      sha: repoOf(enterprise, OWNER, 'node-app').branches['feature/x/y'],
      path: { path: 'src', kind: 'folder' },
    });
    expect(roundTrips).toBe(1);
    for (const request of requests) {
      expect(request.url).toMatch(withToken ? `https://${GHE}/api/graphql` : `https://${GHE}/api/v3/repos/`);
    }
  });
});

describe('GitHub resolver, who may see what', () => {
  it('says an unknown repository may be private when nobody is signed in (or the server token cannot see it)', async () => {
    for (const credentials of [anonymous, server]) {
      const error = await failed(`https://github.com/${OWNER}/does-not-exist`, { credentials });
      expect(error.code).toBe('repo-not-found');
      expect(error.facts).toEqual({ maybePrivate: true });
      expect(error.detail).toContain('sign in with GitHub');
    }
  });

  it('says an unknown repository does not exist for a signed-in user', async () => {
    const error = await failed(`https://github.com/${OWNER}/does-not-exist`, { credentials: user });
    expect(error.code).toBe('repo-not-found');
    expect(error.facts).toEqual({});
  });

  it('opens a private repository with the user token of someone who can read it', async () => {
    const url = `https://github.com/${OWNER}/private-app/tree/feature/x/y`;
    const { value } = await resolved(url, { credentials: user });
    expect(value).toMatchObject({
      repo: repoRef(OWNER, 'private-app'),
      ref: { name: 'feature/x/y', type: 'branch' },
    });
    const error = await failed(url, { credentials: anonymous });
    expect(error.facts).toEqual({ maybePrivate: true });
  });

  it('asks to sign in again when the host refuses the token', async () => {
    const error = await failed(SITE, { credentials: { kind: 'user', token: 'expired-token' } });
    expect(error.code).toBe('private-repo');
    expect(error.facts).toEqual({ credentialsRejected: true });
  });

  it('sends the token only in the Authorization header and never repeats it in an error', async () => {
    const secret = 'ghp_SecretTokenThatMustNotLeak0000';
    const leaks: string[] = [];
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => leaks.push(args.map(String).join(' '))),
    );
    const urls = [
      SITE,
      `${SITE}/tree/feature/x/y/src`,
      `${SITE}/pull/3`,
      `${SITE}/issues/99`,
      `https://github.com/${OWNER}/nope`,
    ];
    for (const credentials of [user, server, { kind: 'user' as const, token: secret }]) {
      for (const url of urls) {
        const { result, fakes } = await launch(url, { credentials });
        for (const request of fakes.requests) {
          expect(request.url).not.toContain(credentials.token);
          for (const [name, value] of request.headers) {
            if (name === 'authorization') expect(value).toBe(`token ${credentials.token}`);
            else expect(value).not.toContain(credentials.token);
          }
        }
        if (!result.ok) {
          const error = result.error;
          const said = [
            error.message,
            error.title,
            error.detail,
            JSON.stringify(error.toProblem()),
            String(error.stack),
          ];
          for (const text of said) expect(text).not.toContain(credentials.token);
        }
        hosts?.restore();
      }
    }
    const readFailure = await githubResolver.readFile(
      repoRef(OWNER, 'node-app'),
      branch('main'),
      '.gitpod.yml',
      registry.lookup('github.com') as HostEntry,
      { kind: 'user', token: secret },
    );
    expect(readFailure.ok).toBe(false);
    if (!readFailure.ok) expect(JSON.stringify(readFailure.error.toProblem())).not.toContain(secret);
    for (const spy of consoleSpies) spy.mockRestore();
    expect(leaks.filter((line) => line.includes(secret))).toEqual([]);
    expect(leaks).toEqual([]);
  });
});

describe('GitHub resolver, .gitpod.yml', () => {
  it('fills configText from the same GraphQL query when there is a token', async () => {
    const cases: [string, string | null][] = [
      [SITE, GITPOD_YML],
      [`${SITE}/tree/feature/x/y/src`, GITPOD_YML],
      [`${SITE}/pull/2`, GITPOD_YML],
      [`${SITE}/issues/4`, GITPOD_YML],
      [`https://github.com/${OWNER}/no-config/tree/main`, null],
      [`https://github.com/${OWNER}/invalid-config`, INVALID_GITPOD_YML],
    ];
    for (const [url, configText] of cases) {
      const { value, requests } = await resolved(url, { credentials: user });
      expect(value.configText, url).toBe(configText);
      expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST https://api.github.com/graphql']);
    }
  });

  it('leaves configText to the caller without a token', async () => {
    const { value } = await resolved(`${SITE}/tree/feature/x/y/src`, { credentials: anonymous });
    expect(value).not.toHaveProperty('configText');
  });

  it('reads a file at a commit, or null when it is not there', async () => {
    install();
    const entry = registry.lookup('github.com') as HostEntry;
    const repo = repoRef(OWNER, 'node-app');
    for (const credentials of [anonymous, user]) {
      expect(await githubResolver.readFile(repo, branch('main'), '.gitpod.yml', entry, credentials)).toEqual({
        ok: true,
        value: GITPOD_YML,
      });
      expect(
        await githubResolver.readFile(repo, branch('feature/x/y'), 'src/feature.js', entry, credentials),
      ).toEqual({
        ok: true,
        value: 'export const x = 1;\n',
      });
      expect(
        await githubResolver.readFile(repo, branch('main'), 'src/feature.js', entry, credentials),
      ).toEqual({
        ok: true,
        value: null,
      });
      expect(await githubResolver.readFile(repo, branch('main'), 'src', entry, credentials)).toEqual({
        ok: true,
        value: null,
      });
    }
    const noConfig = repoRef(OWNER, 'no-config');
    const sha = repoOf(github, OWNER, 'no-config').branches.main ?? '';
    expect(await githubResolver.readFile(noConfig, sha, '.gitpod.yml', entry, anonymous)).toEqual({
      ok: true,
      value: null,
    });
  });

  it('reads from GitHub Enterprise too', async () => {
    install();
    const entry = registry.lookup(GHE) as HostEntry;
    const sha = repoOf(enterprise, OWNER, 'node-app').branches.main ?? '';
    const result = await githubResolver.readFile(
      repoRef(OWNER, 'node-app', GHE),
      sha,
      '.gitpod.yml',
      entry,
      user,
    );
    expect(result).toEqual({ ok: true, value: GITPOD_YML });
    expect(hosts?.requests.map((r) => r.url)).toEqual([
      `https://${GHE}/api/v3/repos/${OWNER}/node-app/contents/.gitpod.yml?ref=${sha}`,
    ]);
  });
});

describe('GitHub resolver, anonymous request budget', () => {
  it('lists refs past the first page by asking for the remaining candidates', async () => {
    const { value, roundTrips } = await resolved(`${SITE}/tree/many/zz/src`, { credentials: anonymous });
    expect(value).toMatchObject({ ref: { name: 'many/zz', type: 'branch' }, sha: branch('fix/typo') });
    expect(roundTrips).toBe(2);
  });

  it.each([
    ['repository', SITE, 2, 1],
    ['branch with slashes', `${SITE}/tree/deep/1/2/3/4/src/lib`, 3, 1],
    ['short sha', `${SITE}/commit/${branch('d1').slice(0, 8)}`, 2, 1],
    ['pull request', `${SITE}/pull/2`, 2, 2],
    ['issue', `${SITE}/issues/4`, 3, 1],
  ])(
    '%s: %s costs %i requests in %i round trips anonymously, one query with a token',
    async (_, url, count, trips) => {
      const anonymousRun = await resolved(url, { credentials: anonymous });
      expect(anonymousRun.requests).toHaveLength(count);
      expect(anonymousRun.roundTrips).toBe(trips);
      const tokenRun = await resolved(url, { credentials: user });
      expect(tokenRun.requests).toHaveLength(1);
      expect(tokenRun.roundTrips).toBe(1);
    },
  );
});
