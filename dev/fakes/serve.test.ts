// The served fakes agree with git: real, stable shas; `git clone` through an insteadOf rule checks out the model's
// files; each API answers over real HTTP with the same shas; a commit added later shows up in both.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareRepoDir, cloneUrl, git, materialise } from './git-repos.ts';
import type { FakeHostData, FakeRepo } from './model.ts';
import { samples } from './sample-data.ts';
import { type FakeHosts, type SampleHost, startFakeHosts } from './serve.ts';

const SHA = /^[0-9a-f]{40}$/;
const HOSTS: readonly SampleHost[] = ['github', 'gitlab', 'bitbucketCloud', 'bitbucketServer'];

let work: string;
let fakes: FakeHosts;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'launchpod-serve-test-'));
  fakes = await startFakeHosts({ root: join(work, 'served') });
}, 20_000);

afterAll(async () => {
  await fakes?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const app = (host: SampleHost): FakeRepo => {
  const repo = fakes.data[host].repos.find((r) => r.name === 'node-app' && r.forkOf === undefined);
  if (repo === undefined) throw new Error(`no node-app on ${host}`);
  return repo;
};

/** Git with the host's insteadOf rule, so the real clone URL reaches the local server. */
const viaServer = (url: string, args: readonly string[]): Promise<string> => {
  const rule = fakes.gitRewrites.find((r) => url.startsWith(r.insteadOf));
  if (rule === undefined) throw new Error(`no rewrite for ${url}`);
  return git(['-c', `url.${rule.base}.insteadOf=${rule.insteadOf}`, ...args]);
};

/** Each API's answer for "default branch of node-app, and the sha of a branch", in its own shape. */
const API: Readonly<
  Record<
    SampleHost,
    {
      defaultBranch(base: string): Promise<string>;
      branchSha(base: string, branch: string): Promise<string>;
    }
  >
> = {
  github: {
    defaultBranch: async (base) => (await get(`${base}/repos/launchpod-samples/node-app`)).default_branch,
    branchSha: async (base, branch) =>
      (await get(`${base}/repos/launchpod-samples/node-app/branches/${branch}`)).commit.sha,
  },
  gitlab: {
    defaultBranch: async (base) =>
      (
        await get(
          `${base}/api/v4/projects/${encodeURIComponent('launchpod-samples/platform/backend/node-app')}`,
        )
      ).default_branch,
    branchSha: async (base, branch) =>
      (
        await get(
          `${base}/api/v4/projects/${encodeURIComponent('launchpod-samples/platform/backend/node-app')}/repository/branches/${encodeURIComponent(branch)}`,
        )
      ).commit.id,
  },
  bitbucketCloud: {
    defaultBranch: async (base) =>
      (await get(`${base}/2.0/repositories/launchpod-samples/node-app`)).mainbranch.name,
    branchSha: async (base, branch) =>
      (await get(`${base}/2.0/repositories/launchpod-samples/node-app/refs/branches/${branch}`)).target.hash,
  },
  bitbucketServer: {
    defaultBranch: async (base) =>
      (await get(`${base}/rest/api/1.0/projects/PLAT/repos/node-app/default-branch`)).displayId,
    branchSha: async (base, branch) => {
      const page = await get(
        `${base}/rest/api/1.0/projects/PLAT/repos/node-app/branches?filterText=${encodeURIComponent(branch)}`,
      );
      return page.values.find((b: { displayId: string }) => b.displayId === branch)?.latestCommit;
    },
  },
  codeberg: {
    defaultBranch: async (base) =>
      (await get(`${base}/api/v1/repos/launchpod-samples/node-app`)).default_branch,
    branchSha: async (base, branch) =>
      (await get(`${base}/api/v1/repos/launchpod-samples/node-app/branches/${branch}`)).commit.id,
  },
  azure: {
    defaultBranch: async (base) =>
      (
        await get(`${base}/launchpod/samples/_apis/git/repositories/node-app?api-version=7.1`)
      ).defaultBranch.slice(11),
    branchSha: async (base, branch) =>
      (
        await get(
          `${base}/launchpod/samples/_apis/git/repositories/node-app/commits?searchCriteria.itemVersion.version=${encodeURIComponent(branch)}&searchCriteria.$top=1&api-version=7.1`,
        )
      ).value[0].commitId,
  },
  azureServer: {
    defaultBranch: async (base) =>
      (
        await get(`${base}/tfs/DefaultCollection/Platform/_apis/git/repositories/node-app?api-version=7.1`)
      ).defaultBranch.slice(11),
    branchSha: async (base, branch) =>
      (
        await get(
          `${base}/tfs/DefaultCollection/Platform/_apis/git/repositories/node-app/commits?searchCriteria.itemVersion.version=${encodeURIComponent(branch)}&searchCriteria.$top=1&api-version=7.1`,
        )
      ).value[0].commitId,
  },
  gitea: {
    defaultBranch: async (base) => (await get(`${base}/git/api/v1/repos/platform/node-app`)).default_branch,
    branchSha: async (base, branch) =>
      (await get(`${base}/git/api/v1/repos/platform/node-app/branches/${branch}`)).commit.id,
  },
};

// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field and compared to the model.
async function get(url: string, init?: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  expect(response.status, url).toBe(200);
  return response.json();
}

describe('materialise', () => {
  it('writes real 40-hex shas that are the same in two fresh roots', async () => {
    const [a, b] = await Promise.all([
      materialise(samples.github, join(work, 'a')),
      materialise(samples.github, join(work, 'b')),
    ]);
    expect(a).toEqual(b);
    for (const repo of a.repos) {
      for (const [sha, commit] of Object.entries(repo.commits)) {
        expect(sha).toMatch(SHA);
        expect(commit.sha).toBe(sha);
        for (const parent of commit.parents) expect(repo.commits[parent]).toBeDefined();
      }
    }
    const main = a.repos[0]?.branches.main ?? '';
    expect(main).toMatch(SHA);
    expect(main).not.toBe(samples.github.repos[0]?.branches.main);
  });

  it.each(HOSTS)(
    'points every branch, tag and pull head of %s at a commit of its bare repository',
    async (host) => {
      const data = fakes.data[host];
      for (const repo of data.repos) {
        const shas = [
          ...Object.values(repo.branches),
          ...Object.values(repo.tags),
          ...repo.pulls.filter((p) => p.headDeleted !== true).map((p) => p.headSha),
        ];
        const dir = bareRepoDir(join(work, 'served'), data, repo);
        const types = await git(['--git-dir', dir, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], {
          input: Buffer.from(`${shas.join('\n')}\n`),
        });
        expect(types.trim().split('\n')).toEqual(shas.map((sha) => `${sha} commit`));
        const refs = await git(['--git-dir', dir, 'for-each-ref', '--format=%(refname) %(objectname)']);
        for (const [branch, sha] of Object.entries(repo.branches))
          expect(refs).toContain(`refs/heads/${branch} ${sha}`);
        for (const [tag, sha] of Object.entries(repo.tags)) expect(refs).toContain(`refs/tags/${tag} ${sha}`);
      }
    },
  );

  it('publishes GitHub pull request heads, including a fork’s, as refs/pull/<n>/head', async () => {
    const repo = app('github');
    const refs = await viaServer(cloneUrl(fakes.data.github, repo), [
      'ls-remote',
      cloneUrl(fakes.data.github, repo),
    ]);
    for (const pull of repo.pulls.filter((p) => p.headDeleted !== true)) {
      expect(refs).toContain(`${pull.headSha}\trefs/pull/${pull.number}/head`);
    }
  });
});

describe('git over smart HTTP', () => {
  it.each(HOSTS)(
    'clones %s node-app through an insteadOf rule and checks out the branch head',
    async (host) => {
      const data: FakeHostData = fakes.data[host];
      const repo = app(host);
      const url = cloneUrl(data, repo);
      expect(url).toMatch(/^https:\/\//);
      const dir = join(work, 'clones', host);
      await viaServer(url, ['clone', '--quiet', '--branch', 'feature/x/y', url, dir]);
      const head = repo.branches['feature/x/y'] ?? '';
      expect((await git(['-C', dir, 'rev-parse', 'HEAD'])).trim()).toBe(head);
      const files = repo.commits[head]?.files ?? {};
      const tracked = (await git(['-C', dir, 'ls-files'])).trim().split('\n');
      expect(tracked.sort()).toEqual(Object.keys(files).sort());
      for (const [path, text] of Object.entries(files))
        expect(await readFile(join(dir, path), 'utf8')).toBe(text);
    },
  );
});

describe('the fake APIs over HTTP', () => {
  it.each(HOSTS)('%s names main as default branch with the materialised sha', async (host) => {
    expect(await API[host].defaultBranch(fakes.apis[host])).toBe('main');
    expect(await API[host].branchSha(fakes.apis[host], 'main')).toBe(app(host).branches.main);
  });

  it('answers GitHub GraphQL at /graphql with the same sha', async () => {
    const body = await get(`${fakes.apis.github}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer server-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ repository(owner: "launchpod-samples", name: "node-app") { defaultBranchRef { target { oid } } } }',
      }),
    });
    expect(body.data.repository.defaultBranchRef.target.oid).toBe(app('github').branches.main);
  });
});

describe('addCommit', () => {
  it.each(HOSTS)('makes a new commit on %s visible to git and to the API', async (host) => {
    const data = fakes.data[host];
    const repo = app(host);
    const before = repo.branches['fix/typo'];
    const sha = await fakes.addCommit(host, {
      owner: repo.owner,
      name: repo.name,
      branch: 'fix/typo',
      message: 'Add notes',
      files: { 'NOTES.md': 'notes\n', 'deep.txt': null },
    });
    expect(sha).toMatch(SHA);
    expect(repo.branches['fix/typo']).toBe(sha);
    expect(repo.commits[sha]?.parents).toEqual([before]);
    expect(repo.commits[sha]?.files['NOTES.md']).toBe('notes\n');
    const url = cloneUrl(data, repo);
    expect(await viaServer(url, ['ls-remote', url, 'refs/heads/fix/typo'])).toBe(
      `${sha}\trefs/heads/fix/typo\n`,
    );
    expect(await API[host].branchSha(fakes.apis[host], 'fix/typo')).toBe(sha);
  });

  it('moves a same-repository GitHub pull request with its head branch', async () => {
    const repo = app('github');
    const sha = await fakes.addCommit('github', {
      owner: repo.owner,
      name: repo.name,
      branch: 'feature/x/y',
      message: 'Polish x/y',
      files: { 'src/feature.js': 'export const x = 2;\n' },
    });
    const pull = await get(`${fakes.apis.github}/repos/launchpod-samples/node-app/pulls/1`);
    expect(pull.head.sha).toBe(sha);
    const url = cloneUrl(fakes.data.github, repo);
    expect(await viaServer(url, ['ls-remote', url, 'refs/pull/1/head'])).toBe(`${sha}\trefs/pull/1/head\n`);
  });
});

describe('the CLI', () => {
  it('prints one JSON line, serves, and exits cleanly on SIGTERM', async () => {
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const script = fileURLToPath(new URL('./serve.ts', import.meta.url));
    const child = spawn(process.execPath, [tsx, script, '--root', join(work, 'cli')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const printed = JSON.parse(line);
      expect(Object.keys(printed).sort()).toEqual(['apis', 'gitBase', 'gitRewrites', 'webSite']);
      expect(printed.webSite).toBe(`${printed.apis.gitea}/git`);
      expect(await API.gitlab.defaultBranch(printed.apis.gitlab)).toBe('main');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 20_000);
});
