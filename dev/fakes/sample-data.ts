// The sample repositories every fake host serves: branches with slashes at depths 1–5, tags, a pull request from
// the same repository, one from a fork, one whose head was deleted, issues, a private repository, one without and
// one with an invalid `.gitpod.yml`, ones with a `devcontainer.json` (alone, beside `.gitpod.yml`, invalid), and a
// hostile one that tries to leave its workspace. Commit ids are sha1 of their content, so they are stable across runs.

import { sha1 } from '@oslojs/crypto/sha1';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { utf8Bytes } from '../../shared/digest.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { HOSTILE_GITPOD_YML, HOSTILE_PROBE } from './hostile-repo.ts';
import type { FakeCommit, FakeHostData, FakeIssue, FakePull, FakeRepo } from './model.ts';

/**
 * The sample `.gitpod.yml`: its init sleeps `initSeconds`, standing in for installing dependencies (what a prebuild
 * saves a user). The demo and the benchmarks sleep 5 s; the suites' stacks 1 s.
 */
export function gitpodYml(initSeconds: number): string {
  return `image: node:20
tasks:
  - name: dependencies
    init: sleep ${initSeconds} && echo "dependencies installed" > .deps-ready
    command: node src/server.js
ports:
  - port: 3000
    onOpen: open-preview
`;
}

export const GITPOD_YML = gitpodYml(5);

/** The sample app the task's command runs: a page on port 3000 (the declared port). */
export const SERVER_JS = `const http = require('http');
http.createServer((req, res) => {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end('<!doctype html><title>node-app</title><h1>Hello from node-app</h1>');
}).listen(3000, () => console.log('ready to code: the app is on port 3000'));
`;

/** Line 5 has a port that is not a number or a range: the error page must name that line. */
export const INVALID_GITPOD_YML = `image: node:20
tasks:
  - init: npm ci
ports:
  - port: http
`;

/** The same app described the Dev Container way: postCreateCommand leaves a mark, postStartCommand serves. */
export const DEVCONTAINER_JSON = `{
  // JSON with comments, as the Dev Container spec allows
  "name": "node-app (dev container)",
  "image": "node:20",
  "postCreateCommand": "echo created by postCreateCommand > .post-create-ran",
  "postStartCommand": "node src/server.js",
  "forwardPorts": [3000],
  "portsAttributes": { "3000": { "label": "App", "onAutoForward": "openPreview" } },
}
`;

/** Line 4 names an unknown property: the error page must name that line and suggest the right one. */
export const INVALID_DEVCONTAINER_JSON = `{
  "image": "node:20",
  // a typo below
  "postCreateComand": "npm ci"
}
`;

interface Line {
  readonly message: string;
  readonly files: Readonly<Record<string, string | null>>;
}

/** Builds a first-parent chain of commits from `parent`, each applying its file changes (null deletes). */
function chain(
  seed: string,
  parent: FakeCommit | undefined,
  lines: readonly Line[],
  commits: Record<string, FakeCommit>,
): FakeCommit {
  let previous = parent;
  let day = 1;
  for (const line of lines) {
    const files: Record<string, string> = { ...(previous?.files ?? {}) };
    for (const [path, text] of Object.entries(line.files)) {
      if (text === null) delete files[path];
      else files[path] = text;
    }
    const date = new Date(Date.UTC(2026, 9, day++, 12)).toISOString();
    const sha = encodeHexLowerCase(
      sha1(utf8Bytes(`${seed}\n${previous?.sha ?? ''}\n${line.message}\n${JSON.stringify(files)}`)),
    );
    const commit: FakeCommit = {
      sha,
      parents: previous === undefined ? [] : [previous.sha],
      message: line.message,
      author: 'sample-bot',
      date,
      files,
    };
    commits[sha] = commit;
    previous = commit;
  }
  if (previous === undefined) throw new Error('chain needs at least one line');
  return previous;
}

export interface SampleRepoOptions {
  readonly id: number;
  readonly private?: boolean;
  readonly config?: string | null;
  readonly forkOf?: string;
  readonly pulls?: (branches: Record<string, string>) => FakePull[];
  readonly issues?: readonly FakeIssue[];
  /** More files in the first commit (the hostile repository's probe). */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * One sample repository: `main` with three commits, branches `feature/x/y`, `deep/1/2/3/4`, `release/1.0`,
 * `d1`, `fix/typo`, and tag `v1.0.0` on the second commit of main.
 */
export function sampleRepo(owner: string, name: string, options: SampleRepoOptions): FakeRepo {
  const commits: Record<string, FakeCommit> = {};
  const seed = `${owner}/${name}`;
  const config = options.config === undefined ? GITPOD_YML : options.config;
  const first = chain(
    seed,
    undefined,
    [
      {
        message: 'Initial commit',
        files: {
          'README.md': `# ${name}\n\nA sample repository for Launchpod.\n`,
          'src/index.js': "console.log('hello');\n",
          'src/lib/util.js': 'export const add = (a, b) => a + b;\n',
          'src/server.js': SERVER_JS,
          ...(config === null ? {} : { '.gitpod.yml': config }),
          ...options.files,
        },
      },
    ],
    commits,
  );
  const second = chain(
    seed,
    first,
    [{ message: 'Add greeting', files: { 'src/index.js': "console.log('hello, world');\n" } }],
    commits,
  );
  const main = chain(
    seed,
    second,
    [{ message: 'Document usage', files: { 'docs/usage.md': 'Run `npm start`.\n' } }],
    commits,
  );
  const feature = chain(
    seed,
    second,
    [{ message: 'Feature x/y', files: { 'src/feature.js': 'export const x = 1;\n' } }],
    commits,
  );
  const deep = chain(seed, main, [{ message: 'Deep branch', files: { 'deep.txt': 'deep\n' } }], commits);
  const release = chain(seed, second, [{ message: 'Release 1.0', files: { VERSION: '1.0\n' } }], commits);
  const fix = chain(
    seed,
    main,
    [{ message: 'Fix a typo', files: { 'README.md': `# ${name}\n\nA sample repository for Launchpod!\n` } }],
    commits,
  );
  const branches: Record<string, string> = {
    main: main.sha,
    'feature/x/y': feature.sha,
    'deep/1/2/3/4': deep.sha,
    d1: deep.sha,
    'release/1.0': release.sha,
    'fix/typo': fix.sha,
  };
  return {
    owner,
    name,
    id: options.id,
    private: options.private ?? false,
    defaultBranch: 'main',
    branches,
    tags: { 'v1.0.0': second.sha },
    commits,
    pulls: options.pulls?.(branches) ?? [],
    issues: options.issues ?? [],
    ...(options.forkOf !== undefined && { forkOf: options.forkOf }),
  };
}

/**
 * The repositories of one host. `owner` is the sample owner there (`launchpod-samples`, a GitLab subgroup path, a
 * Bitbucket Server project key).
 */
export function sampleHost(
  hostname: string,
  owner: string,
  forkOwner: string,
  config = GITPOD_YML,
): FakeHostData {
  const fork = sampleRepo(forkOwner, 'node-app', { id: 2, config, forkOf: `${owner}/node-app` });
  const app = sampleRepo(owner, 'node-app', {
    id: 1,
    config,
    pulls: (branches) => [
      pull(1, 'Feature x/y', `${owner}/node-app`, 'feature/x/y', branches['feature/x/y']),
      pull(2, 'Fix a typo', `${forkOwner}/node-app`, 'fix/typo', fork.branches['fix/typo']),
      {
        ...pull(3, 'Abandoned work', `${forkOwner}/node-app`, 'gone', '0'.repeat(40)),
        headDeleted: true,
        state: 'closed',
      },
    ],
    issues: [
      { number: 4, title: 'Add dark mode support', author: 'octo-reporter', state: 'open' },
      { number: 5, title: '', author: 'octo-reporter', state: 'open' },
    ],
  });
  return {
    hostname,
    repos: [
      app,
      fork,
      sampleRepo(owner, 'private-app', { id: 3, config, private: true }),
      sampleRepo(owner, 'no-config', { id: 4, config: null }),
      sampleRepo(owner, 'invalid-config', { id: 5, config: INVALID_GITPOD_YML }),
      // A stranger's repository that tries to leave its workspace (dev/fakes/hostile-repo.ts).
      sampleRepo(owner, 'hostile', {
        id: 6,
        config: HOSTILE_GITPOD_YML,
        files: { 'probe.js': HOSTILE_PROBE },
      }),
      sampleRepo(owner, 'devcontainer-app', {
        id: 7,
        config: null,
        files: { '.devcontainer/devcontainer.json': DEVCONTAINER_JSON },
      }),
      sampleRepo(owner, 'both-configs', {
        id: 8,
        config,
        files: { '.devcontainer.json': DEVCONTAINER_JSON },
      }),
      sampleRepo(owner, 'invalid-devcontainer', {
        id: 9,
        config: null,
        files: { '.devcontainer/devcontainer.json': INVALID_DEVCONTAINER_JSON },
      }),
    ],
    tokens: {
      'user-token-alice': { login: 'alice', id: 1001, canRead: [`${owner}/private-app`] },
      'server-token': { login: 'launchpod-bot', id: 1002, canRead: [] },
    },
  };
}

/**
 * A Gitea host's samples: pull request 3's fork is gone but its commits are not — Gitea keeps them at
 * `refs/pull/3/head` in the base repository, so the sample's head is a real commit (the fork's `fix/typo`).
 */
function giteaHost(data: FakeHostData): FakeHostData {
  const fork = data.repos.find((r) => r.forkOf !== undefined);
  const head = fork?.branches['fix/typo'];
  return {
    ...data,
    repos: data.repos.map((repo) => ({
      ...repo,
      pulls: repo.pulls.map((p) =>
        p.number === 3 && head !== undefined ? { ...p, headSha: head, state: 'open' as const } : p,
      ),
    })),
  };
}

function withRepo(data: FakeHostData, repo: FakeRepo): FakeHostData {
  return { ...data, repos: [...data.repos, repo] };
}

function pull(
  number: number,
  title: string,
  headRepo: string,
  headRef: string,
  headSha: string | undefined,
): FakePull {
  if (headSha === undefined) throw new Error(`no head for PR ${number}`);
  return { number, title, state: 'open', author: 'contributor', headRepo, headRef, headSha, baseRef: 'main' };
}

/** The sample hosts, with the sample `.gitpod.yml`'s init sleeping `initSeconds`. */
export function sampleHosts(initSeconds = 5) {
  const config = gitpodYml(initSeconds);
  return {
    github: sampleHost('github.com', 'launchpod-samples', 'contributor', config),
    gitlab: sampleHost('gitlab.com', 'launchpod-samples/platform/backend', 'contributor', config),
    bitbucketCloud: sampleHost('bitbucket.org', 'launchpod-samples', 'contributor', config),
    bitbucketServer: sampleHost('bitbucket.launchpod.test', 'PLAT', '~contributor', config),
    codeberg: giteaHost(sampleHost('codeberg.org', 'launchpod-samples', 'contributor', config)),
    // A self-hosted Gitea under a sub-path (ROOT_URL https://gitea.launchpod.test/git/).
    gitea: {
      ...giteaHost(sampleHost('gitea.launchpod.test', 'platform', 'contributor', config)),
      basePath: '/git',
    },
    // Azure DevOps Services: owner `<org>/<project>`; the fork lives in another project; a project and repository
    // named with spaces and non-ASCII letters.
    azure: withRepo(
      sampleHost('dev.azure.com', 'launchpod/samples', 'launchpod/contributor', config),
      sampleRepo('launchpod/My Project', 'Ünïcode Repo', { id: 7, config }),
    ),
    // Azure DevOps Server: a collection base, owner `<project>`.
    azureServer: {
      ...sampleHost('tfs.launchpod.test', 'Platform', 'Contributor', config),
      basePath: '/tfs/DefaultCollection',
    },
  } as const;
}

/** The sample hosts the tests, the benchmarks and the offline demo use (init sleeps 5 s). */
export const samples = sampleHosts();

/** The family each sample host is of. */
export const sampleFamilies: Readonly<Record<keyof typeof samples, HostFamilyId>> = {
  github: 'github',
  gitlab: 'gitlab',
  bitbucketCloud: 'bitbucket-cloud',
  bitbucketServer: 'bitbucket-server',
  codeberg: 'gitea',
  gitea: 'gitea',
  azure: 'azure-devops',
  azureServer: 'azure-devops',
};
