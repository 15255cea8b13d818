import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitLabOptions, fakeGitLab } from '../../../dev/fakes/gitlab.ts';
import { type FakeHostData, type FakeRepo, findRepo, history } from '../../../dev/fakes/model.ts';
import {
  GITPOD_YML,
  INVALID_GITPOD_YML,
  sampleHost,
  sampleRepo,
  samples,
} from '../../../dev/fakes/sample-data.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { Result } from '../../../shared/result.ts';
import type { LaunchError } from '../../src/errors.ts';
import { gitlabResolver } from '../../src/hosts/gitlab.ts';
import type { HostCredentials, RepoContext } from '../../src/hosts/host-resolver.ts';
import { type FakeHosts, installFakeHosts } from '../fake-hosts.ts';

const OWNER = 'launchpod-samples/platform/backend';
const SITE = `https://gitlab.com/${OWNER}`;
const ALICE = 'user-token-alice';

const registryResult = createHostRegistry([
  { hostname: 'code.example.org', family: 'gitlab', basePath: '/gitlab' },
]);
if (!registryResult.ok) throw new Error(registryResult.error);
const registry = registryResult.value;

const repoOf = (data: FakeHostData, owner: string, name: string): FakeRepo => {
  const repo = findRepo(data, owner, name);
  if (repo === undefined) throw new Error(`no sample ${owner}/${name}`);
  return repo;
};
const app = repoOf(samples.gitlab, OWNER, 'node-app');
const fork = repoOf(samples.gitlab, 'contributor', 'node-app');
const sha = (repo: FakeRepo, branch: string): string => repo.branches[branch] ?? '';
const ref = (owner: string, name: string, host = 'gitlab.com'): RepoRef => ({
  host,
  family: 'gitlab',
  owner,
  name,
});

/** The samples plus a branch four levels deep and a branch `feature` that shadows `feature/x/y`'s prefix. */
const deeper: FakeHostData = {
  ...samples.gitlab,
  repos: samples.gitlab.repos.map((r) =>
    r === app ? { ...r, branches: { ...r.branches, 'team/ui/v2/next': sha(r, 'main') } } : r,
  ),
};

let fakes: FakeHosts | undefined;
afterEach(() => {
  fakes?.restore();
  fakes = undefined;
});

function serve(
  data: FakeHostData = samples.gitlab,
  options: FakeGitLabOptions = {},
  origin = 'https://gitlab.com',
) {
  fakes?.restore();
  fakes = installFakeHosts({ [origin]: fakeGitLab(data, options) });
  return fakes;
}

function credentials(token?: string, kind: HostCredentials['kind'] = 'user'): HostCredentials {
  return token === undefined ? { kind: 'anonymous' } : { kind, token };
}

function entryFor(host: string): HostEntry {
  const entry = registry.entries.find((e) => e.hostname === host);
  if (entry === undefined) throw new Error(`no entry for ${host}`);
  return entry;
}

async function resolveUrl(
  url: string,
  options: { token?: string; kind?: HostCredentials['kind']; userName?: string } = {},
): Promise<Result<ResolvedContext, LaunchError>> {
  const parsed = parseLaunchInput(url, registry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { context, alternatives } = parsed.value;
  if (context.kind === 'snapshot') throw new Error('not a repository');
  return gitlabResolver.resolve({
    context,
    alternatives,
    entry: entryFor(context.repo.host),
    credentials: credentials(options.token, options.kind),
    http: { backoffMs: [0, 0] },
    ...(options.userName !== undefined && { userName: options.userName }),
  });
}

async function resolved(url: string, options?: Parameters<typeof resolveUrl>[1]): Promise<ResolvedContext> {
  const result = await resolveUrl(url, options);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.detail}`);
  return result.value;
}

async function failed(url: string, options?: Parameters<typeof resolveUrl>[1]): Promise<LaunchError> {
  const result = await resolveUrl(url, options);
  if (result.ok) throw new Error(`expected an error, resolved ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('GitLab resolver: repositories and refs', () => {
  it('opens a subgroup project at its default branch head, with .gitpod.yml, in one round trip', async () => {
    const hosts = serve();
    expect(await resolved(`${SITE}/node-app`)).toStrictEqual({
      repo: ref(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}/node-app.git`,
      webUrl: `${SITE}/node-app`,
      defaultBranch: 'main',
      ref: { name: 'main', type: 'branch' },
      sha: sha(app, 'main'),
      configText: GITPOD_YML,
    });
    expect(hosts.roundTrips()).toBe(1);
    expect(hosts.requests).toHaveLength(3);
    expect(hosts.requests[0]?.url).toBe(
      `https://gitlab.com/api/v4/projects/launchpod-samples%2Fplatform%2Fbackend%2Fnode-app`,
    );
  });

  it('says when a project has no .gitpod.yml (null) and hands over an invalid one as it is', async () => {
    serve();
    expect((await resolved(`${SITE}/no-config`)).configText).toBeNull();
    expect((await resolved(`${SITE}/invalid-config`)).configText).toBe(INVALID_GITPOD_YML);
  });

  it('opens a branch, and a file on it with its lines', async () => {
    const hosts = serve();
    const branch = await resolved(`${SITE}/node-app/-/tree/d1`);
    expect(branch).toMatchObject({
      ref: { name: 'd1', type: 'branch' },
      sha: sha(app, 'd1'),
      configText: GITPOD_YML,
    });
    expect(branch.path).toBeUndefined();
    const blob = await resolved(`${SITE}/node-app/-/blob/main/README.md#L2-3`);
    expect(blob).toMatchObject({
      ref: { name: 'main', type: 'branch' },
      sha: sha(app, 'main'),
      path: { path: 'README.md', kind: 'file' },
      lines: { start: 2, end: 3 },
      webUrl: `${SITE}/node-app/-/blob/main/README.md#L2-3`,
    });
    expect(hosts.roundTrips()).toBe(2);
  });

  it('opens a tag at the commit it points to (annotated tags are peeled)', async () => {
    serve();
    const tagSha = app.tags['v1.0.0'];
    expect(await resolved(`${SITE}/node-app/-/tags/v1.0.0`)).toMatchObject({
      ref: { name: 'v1.0.0', type: 'tag' },
      sha: tagSha,
      webUrl: `${SITE}/node-app/-/tags/v1.0.0`,
    });
    expect(await resolved(`${SITE}/node-app/-/tree/v1.0.0`)).toMatchObject({
      ref: { name: 'v1.0.0', type: 'tag' },
      sha: tagSha,
    });
  });

  it('turns a short sha into the full commit, detached', async () => {
    const hosts = serve();
    const full = sha(app, 'fix/typo');
    const result = await resolved(`${SITE}/node-app/-/commit/${full.slice(0, 7)}`);
    expect(result.sha).toBe(full);
    expect(result.ref).toBeUndefined();
    expect(result.configText).toBe(GITPOD_YML);
    expect(hosts.roundTrips()).toBe(1);
  });

  it('keeps a branch hint only when that branch head is the commit', async () => {
    serve();
    const context = (commit: string): RepoContext => ({
      kind: 'repository',
      repo: ref(OWNER, 'node-app'),
      revision: { type: 'commit', sha: commit, branch: 'main' },
      page: 'commit',
    });
    const resolve = (commit: string) =>
      gitlabResolver.resolve({
        context: context(commit),
        alternatives: [],
        entry: entryFor('gitlab.com'),
        credentials: { kind: 'anonymous' },
        http: { backoffMs: [0, 0] },
      });
    const head = await resolve(sha(app, 'main'));
    expect(head.ok && head.value.ref).toEqual({ name: 'main', type: 'branch' });
    const older = history(app, sha(app, 'main'), 2)[1]?.sha ?? '';
    const detached = await resolve(older);
    expect(detached.ok && detached.value).toMatchObject({ sha: older });
    expect(detached.ok && detached.value.ref).toBeUndefined();
  });

  it('names a missing ref and links to the branches page', async () => {
    serve();
    const error = await failed(`${SITE}/node-app/-/tree/no-such-branch`);
    expect(error.code).toBe('ref-not-found');
    expect(error.detail).toContain("'no-such-branch'");
    expect(error.wayOut?.href).toBe(`${SITE}/node-app/-/branches`);
    const deep = await failed(`${SITE}/node-app/-/tree/no/such/branch`);
    expect(deep.code).toBe('ref-not-found');
    expect(deep.detail).toContain("'no/such/branch'");
  });
});

describe('GitLab resolver: refs with slashes', () => {
  it.each([
    ['d1', 1],
    ['fix/typo', 2],
    ['feature/x/y', 3],
    ['team/ui/v2/next', 4],
    ['deep/1/2/3/4', 5],
  ])('finds %s (depth %i) under a folder path in one round trip', async (branch) => {
    const hosts = serve(deeper);
    const target = repoOf(deeper, OWNER, 'node-app');
    expect(await resolved(`${SITE}/node-app/-/tree/${branch}/src/lib`)).toMatchObject({
      ref: { name: branch, type: 'branch' },
      sha: sha(target, branch),
      path: { path: 'src/lib', kind: 'folder' },
      webUrl: `${SITE}/node-app/-/tree/${branch}/src/lib`,
    });
    expect(hosts.roundTrips()).toBe(1);
    expect(hosts.requests.length).toBeLessThanOrEqual(5);
  });

  it('finds a branch with slashes as a whole tree, and a file on it with lines', async () => {
    const hosts = serve();
    const whole = await resolved(`${SITE}/node-app/-/tree/feature/x/y`);
    expect(whole).toMatchObject({
      ref: { name: 'feature/x/y', type: 'branch' },
      sha: sha(app, 'feature/x/y'),
    });
    expect(whole.path).toBeUndefined();
    const file = await resolved(`${SITE}/node-app/-/blob/feature/x/y/src/feature.js#L1`);
    expect(file).toMatchObject({
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src/feature.js', kind: 'file' },
      lines: { start: 1, end: 1 },
    });
    expect(hosts.roundTrips()).toBe(2);
  });

  it('lets the shortest existing branch win', async () => {
    const shadowed: FakeHostData = {
      ...samples.gitlab,
      repos: samples.gitlab.repos.map((r) =>
        r === app ? { ...r, branches: { ...r.branches, feature: sha(r, 'main') } } : r,
      ),
    };
    serve(shadowed);
    expect(await resolved(`${SITE}/node-app/-/tree/feature/x/y`)).toMatchObject({
      ref: { name: 'feature', type: 'branch' },
      sha: sha(app, 'main'),
      path: { path: 'x/y', kind: 'folder' },
    });
  });

  it('falls back to a tag, then to a commit for the first segment', async () => {
    serve();
    expect(await resolved(`${SITE}/node-app/-/tree/v1.0.0/src`)).toMatchObject({
      ref: { name: 'v1.0.0', type: 'tag' },
      sha: app.tags['v1.0.0'],
      path: { path: 'src', kind: 'folder' },
    });
    const full = sha(app, 'release/1.0');
    const commit = await resolved(`${SITE}/node-app/-/blob/${full.slice(0, 10)}/src/index.js`);
    expect(commit).toMatchObject({ sha: full, path: { path: 'src/index.js', kind: 'file' } });
    expect(commit.ref).toBeUndefined();
  });

  it('looks candidates up one by one when more than a page of branches share the prefix', async () => {
    const crowded: FakeHostData = {
      ...samples.gitlab,
      repos: samples.gitlab.repos.map((r) => {
        if (r !== app) return r;
        const extra = Object.fromEntries(
          Array.from({ length: 120 }, (_, i) => [`feature/a${String(i).padStart(3, '0')}`, sha(r, 'main')]),
        );
        return { ...r, branches: { ...r.branches, ...extra } };
      }),
    };
    const hosts = serve(crowded);
    expect(await resolved(`${SITE}/node-app/-/tree/feature/x/y/src`)).toMatchObject({
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src', kind: 'folder' },
    });
    expect(hosts.roundTrips()).toBe(2);
  });
});

describe('GitLab resolver: paths whose kind the URL does not tell', () => {
  it('asks whether a path is a file or a folder, in the same round trip when the shortest ref wins', async () => {
    const hosts = serve();
    expect((await resolved(`${SITE}/node-app/-/commits/main/src`)).path).toEqual({
      path: 'src',
      kind: 'folder',
    });
    expect((await resolved(`${SITE}/node-app/-/commits/main/README.md`)).path).toEqual({
      path: 'README.md',
      kind: 'file',
    });
    expect(hosts.roundTrips()).toBe(2);
  });

  it('drops a path that does not exist at the commit, and still opens', async () => {
    serve();
    const first = history(app, sha(app, 'main'), 3)[2]?.sha ?? '';
    const result = await resolved(`${SITE}/node-app/-/commits/${first}/docs/usage.md`);
    expect(result.sha).toBe(first);
    expect(result.path).toBeUndefined();
    expect(result.lines).toBeUndefined();
  });

  it('asks at the commit in a second round trip when the ref had slashes', async () => {
    const hosts = serve();
    expect(await resolved(`${SITE}/node-app/-/commits/feature/x/y/src/feature.js`)).toMatchObject({
      ref: { name: 'feature/x/y', type: 'branch' },
      path: { path: 'src/feature.js', kind: 'file' },
      configText: GITPOD_YML,
    });
    expect(hosts.roundTrips()).toBe(2);
  });
});

describe('GitLab resolver: merge requests', () => {
  it('opens a merge request from the same project at its source branch, in two round trips', async () => {
    const hosts = serve();
    expect(await resolved(`${SITE}/node-app/-/merge_requests/1`)).toStrictEqual({
      repo: ref(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}/node-app.git`,
      webUrl: `${SITE}/node-app/-/merge_requests/1`,
      defaultBranch: 'main',
      ref: { name: 'feature/x/y', type: 'branch' },
      sha: sha(app, 'feature/x/y'),
      pullRequest: {
        number: 1,
        title: 'Feature x/y',
        state: 'open',
        headRepo: ref(OWNER, 'node-app'),
        headRef: 'feature/x/y',
        headSha: sha(app, 'feature/x/y'),
        baseRepo: ref(OWNER, 'node-app'),
        baseRef: 'main',
        fromFork: false,
      },
      configText: GITPOD_YML,
    });
    expect(hosts.roundTrips()).toBe(2);
    expect(hosts.requests).toHaveLength(4);
  });

  it('opens a merge request from a fork in the fork, in two round trips', async () => {
    const hosts = serve();
    const result = await resolved(`${SITE}/node-app/-/merge_requests/2/diffs`);
    expect(result).toMatchObject({
      repo: ref('contributor', 'node-app'),
      cloneUrl: 'https://gitlab.com/contributor/node-app.git',
      webUrl: `${SITE}/node-app/-/merge_requests/2/diffs`,
      ref: { name: 'fix/typo', type: 'branch' },
      sha: sha(fork, 'fix/typo'),
      pullRequest: {
        number: 2,
        headRepo: ref('contributor', 'node-app'),
        headRef: 'fix/typo',
        baseRepo: ref(OWNER, 'node-app'),
        baseRef: 'main',
        fromFork: true,
      },
    });
    expect(hosts.roundTrips()).toBe(2);
    expect(hosts.requests).toHaveLength(5);
  });

  it('says the source branch is gone, with a way to the target project', async () => {
    serve();
    const error = await failed(`${SITE}/node-app/-/merge_requests/3`);
    expect(error.code).toBe('pr-head-deleted');
    expect(error.status).toBe(410);
    expect(error.wayOut?.href).toBe(`${SITE}/node-app`);
  });

  it('says when the source project is gone too', async () => {
    const orphaned: FakeHostData = {
      ...samples.gitlab,
      repos: samples.gitlab.repos.filter((r) => r !== fork),
    };
    serve(orphaned);
    expect((await failed(`${SITE}/node-app/-/merge_requests/2`)).code).toBe('pr-head-deleted');
  });

  it('names a missing merge request', async () => {
    serve();
    const error = await failed(`${SITE}/node-app/-/merge_requests/99`);
    expect(error.code).toBe('pr-not-found');
    expect(error.detail).toContain('!99');
  });
});

describe('GitLab resolver: issues', () => {
  it("starts a branch named for the issue's author, from the default branch head, in one round trip", async () => {
    const hosts = serve();
    expect(await resolved(`${SITE}/node-app/-/issues/4`)).toStrictEqual({
      repo: ref(OWNER, 'node-app'),
      visibility: 'public',
      cloneUrl: `${SITE}/node-app.git`,
      webUrl: `${SITE}/node-app/-/issues/4`,
      defaultBranch: 'main',
      ref: { name: 'octo-reporter/add-dark-mode-support-4', type: 'branch' },
      sha: sha(app, 'main'),
      issue: { number: 4, title: 'Add dark mode support', branch: 'octo-reporter/add-dark-mode-support-4' },
      configText: GITPOD_YML,
    });
    expect(hosts.roundTrips()).toBe(1);
  });

  it('names the branch for the launching user when signed in, and copes with an empty title', async () => {
    serve();
    expect((await resolved(`${SITE}/node-app/-/issues/4`, { userName: 'Alice' })).issue?.branch).toBe(
      'alice/add-dark-mode-support-4',
    );
    expect((await resolved(`${SITE}/node-app/-/issues/5`)).issue).toEqual({
      number: 5,
      title: '',
      branch: 'octo-reporter/5',
    });
  });

  it('names a missing issue', async () => {
    serve();
    expect((await failed(`${SITE}/node-app/-/issues/77`)).code).toBe('issue-not-found');
  });
});

describe('GitLab resolver: access', () => {
  it('says a missing project may be private when not signed in', async () => {
    serve();
    const error = await failed(`${SITE}/no-such-project`);
    expect(error.code).toBe('repo-not-found');
    expect(error.facts).toEqual({ maybePrivate: true });
    expect(error.detail).toContain('Sign in with GitLab');
    const server = await failed(`${SITE}/private-app`, { token: 'server-token', kind: 'server' });
    expect(server.facts).toEqual({ maybePrivate: true });
  });

  it('says a missing project is missing when signed in', async () => {
    serve();
    const error = await failed(`${SITE}/no-such-project`, { token: ALICE });
    expect(error.code).toBe('repo-not-found');
    expect(error.facts).toEqual({});
    expect(error.detail).not.toContain('Sign in');
  });

  it('hides a private project from strangers and opens it with a token that can read it', async () => {
    serve();
    expect((await failed(`${SITE}/private-app`)).code).toBe('repo-not-found');
    expect(await resolved(`${SITE}/private-app/-/tree/main`, { token: ALICE })).toMatchObject({
      repo: ref(OWNER, 'private-app'),
      ref: { name: 'main', type: 'branch' },
      configText: GITPOD_YML,
    });
  });

  it('asks to sign in again when GitLab refuses the token', async () => {
    serve();
    const error = await failed(`${SITE}/node-app`, { token: 'revoked-token-123' });
    expect(error.code).toBe('private-repo');
    expect(error.detail).toContain('Sign in with GitLab again');
  });

  it('sends the token only in the Authorization header and never shows it', async () => {
    const hosts = serve();
    const tokens = [ALICE, 'revoked-token-123'];
    const errors: LaunchError[] = [];
    for (const token of tokens) {
      for (const url of [
        `${SITE}/private-app/-/tree/feature/x/y/src`,
        `${SITE}/node-app/-/merge_requests/2`,
        `${SITE}/node-app/-/merge_requests/3`,
        `${SITE}/node-app/-/issues/4`,
        `${SITE}/no-such-project`,
        `${SITE}/node-app/-/commits/main/src`,
      ]) {
        const result = await resolveUrl(url, { token });
        if (!result.ok) errors.push(result.error);
      }
    }
    expect(hosts.requests.length).toBeGreaterThan(20);
    for (const request of hosts.requests) {
      const token = tokens.find((t) => request.headers.get('authorization') === `Bearer ${t}`);
      expect(token).toBeDefined();
      for (const t of tokens) expect(request.url).not.toContain(t);
      for (const [name, value] of request.headers) {
        if (name !== 'authorization') for (const t of tokens) expect(value).not.toContain(t);
      }
    }
    expect(errors.length).toBeGreaterThanOrEqual(8);
    for (const error of errors) {
      const shown = JSON.stringify([error.message, error.toProblem(), error.stack]);
      for (const t of tokens) expect(shown).not.toContain(t);
    }
  });
});

describe('GitLab resolver: an unwell host', () => {
  it('reports a rate limit with the wait GitLab asked for', async () => {
    serve(samples.gitlab, { rateLimited: true, retryAfterSeconds: 42 });
    const error = await failed(`${SITE}/node-app`);
    expect(error.code).toBe('rate-limited');
    expect(error.retryAfterSeconds).toBe(42);
  });

  it('retries a host that fails twice, then answers', async () => {
    const hosts = serve(samples.gitlab, { failTimes: 2 });
    expect((await resolved(`${SITE}/node-app`)).sha).toBe(sha(app, 'main'));
    expect(hosts.requests).toHaveLength(5);
  });

  it('gives up on a host that keeps failing', async () => {
    serve(samples.gitlab, { failTimes: Number.POSITIVE_INFINITY });
    const error = await failed(`${SITE}/node-app`);
    expect(error.code).toBe('host-unavailable');
    expect(error.wayOut?.href).toBe('https://gitlab.com');
  });
});

describe('GitLab resolver: where GitLab lives', () => {
  const selfManaged = sampleHost('code.example.org', 'team/platform', 'contributor');
  const selfApp = repoOf(selfManaged, 'team/platform', 'node-app');
  const base = 'https://code.example.org/gitlab';

  it('talks to a self-managed instance under its base path', async () => {
    const hosts = serve(selfManaged, { basePath: '/gitlab' }, 'https://code.example.org');
    expect(await resolved(`${base}/team/platform/node-app/-/tree/feature/x/y/src`)).toMatchObject({
      repo: ref('team/platform', 'node-app', 'code.example.org'),
      cloneUrl: `${base}/team/platform/node-app.git`,
      webUrl: `${base}/team/platform/node-app/-/tree/feature/x/y/src`,
      ref: { name: 'feature/x/y', type: 'branch' },
      sha: sha(selfApp, 'feature/x/y'),
      path: { path: 'src', kind: 'folder' },
    });
    expect(await resolved(`${base}/team/platform/node-app/-/merge_requests/2`)).toMatchObject({
      cloneUrl: `${base}/contributor/node-app.git`,
      pullRequest: { fromFork: true },
    });
    for (const request of hosts.requests)
      expect(request.url.startsWith(`${base}/api/v4/projects/`)).toBe(true);
    const missing = await failed(`${base}/team/platform/nothing-here`);
    expect(missing.detail).toContain('Sign in with GitLab at code.example.org');
    expect(missing.wayOut?.href).toBe(base);
  });

  it('opens the deeper project a legacy route may name, in the same round trip', async () => {
    // `…/platform/tree/main` is project `platform` at branch main — or project `main` in group `…/platform/tree`.
    const legacy: FakeHostData = {
      ...samples.gitlab,
      repos: [...samples.gitlab.repos, sampleRepo('launchpod-samples/platform/tree', 'main', { id: 40 })],
    };
    const hosts = serve(legacy);
    const deep = repoOf(legacy, 'launchpod-samples/platform/tree', 'main');
    expect(await resolved('https://gitlab.com/launchpod-samples/platform/tree/main')).toMatchObject({
      repo: ref('launchpod-samples/platform/tree', 'main'),
      cloneUrl: 'https://gitlab.com/launchpod-samples/platform/tree/main.git',
      ref: { name: 'main', type: 'branch' },
      sha: sha(deep, 'main'),
    });
    expect(hosts.roundTrips()).toBe(1);
  });

  it('keeps the keyword reading of a legacy route when that project exists', async () => {
    const hosts = serve();
    expect(await resolved(`${SITE}/node-app/tree/d1`)).toMatchObject({
      repo: ref(OWNER, 'node-app'),
      ref: { name: 'd1', type: 'branch' },
      sha: sha(app, 'd1'),
    });
    expect(hosts.roundTrips()).toBe(1);
  });

  it('reports the keyword reading when neither reading exists', async () => {
    serve();
    const error = await failed(`${SITE}/missing/tree/main`);
    expect(error.code).toBe('repo-not-found');
    expect(error.detail).toContain(`${SITE}/missing`);
  });
});

describe('GitLab resolver: reading files', () => {
  const repo = ref(OWNER, 'node-app');
  const entry = entryFor('gitlab.com');

  it('reads a file at a commit, and null for one that is not there', async () => {
    serve();
    const main = sha(app, 'main');
    expect(await gitlabResolver.readFile(repo, main, 'docs/usage.md', entry, { kind: 'anonymous' })).toEqual({
      ok: true,
      value: 'Run `npm start`.\n',
    });
    expect(await gitlabResolver.readFile(repo, main, 'no/such.txt', entry, { kind: 'anonymous' })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('reads a private file with a token that can read it, and says when the project is hidden', async () => {
    serve();
    const privateRepo = ref(OWNER, 'private-app');
    const privateSha = sha(repoOf(samples.gitlab, OWNER, 'private-app'), 'main');
    const read = await gitlabResolver.readFile(
      privateRepo,
      privateSha,
      '.gitpod.yml',
      entry,
      credentials(ALICE),
    );
    expect(read).toEqual({ ok: true, value: GITPOD_YML });
    const hidden = await gitlabResolver.readFile(privateRepo, privateSha, '.gitpod.yml', entry, {
      kind: 'anonymous',
    });
    expect(!hidden.ok && hidden.error.code).toBe('repo-not-found');
  });
});
