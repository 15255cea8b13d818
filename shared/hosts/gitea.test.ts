import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry, hostFamilies } from '../host-registry.ts';
import type { GitContext, RepoRef } from '../launch-request.ts';
import type { RepoContext } from './host-family.ts';

// codeberg.org is built in; a self-hosted Gitea lives under a sub-path (ROOT_URL https://corp.example/git/).
const registry = createHostRegistry([{ hostname: 'corp.example', family: 'gitea', basePath: '/git' }]);
if (!registry.ok) throw new Error(registry.error);
const parse = (input: string) => parseLaunchInput(input, registry.value);

const cb = 'https://codeberg.org';
const repo: RepoRef = { host: 'codeberg.org', family: 'gitea', owner: 'forgejo', name: 'forgejo' };
const corp: RepoRef = { host: 'corp.example', family: 'gitea', owner: 'team', name: 'app' };
const sha = '28dcc7f11a0123456789abcdef0123456789abcd';
const split = (text: string) =>
  text
    .split('/')
    .map((_, i, all) => ({ ref: all.slice(0, i + 1).join('/'), path: all.slice(i + 1).join('/') }));

const cases: [string, GitContext][] = [
  [`${cb}/forgejo/forgejo`, { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' }],
  [`${cb}/forgejo/forgejo.git`, { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' }],
  [
    `git@codeberg.org:forgejo/forgejo.git`,
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
  ],
  [
    'ssh://git@codeberg.org:2222/forgejo/forgejo.git',
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
  ],
  [
    `${cb}/forgejo/forgejo/src/branch/forgejo`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'forgejo', refType: 'branch' }, page: 'tree' },
  ],
  [
    `${cb}/forgejo/forgejo/src/branch/feature/x/README.md#L3-L9`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ambiguous', candidates: split('feature/x/README.md'), refType: 'branch' },
      page: 'tree',
      lines: { start: 3, end: 9 },
    },
  ],
  [
    `${cb}/forgejo/forgejo/src/tag/v9.0.0/docs`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ambiguous', candidates: split('v9.0.0/docs'), refType: 'tag' },
      page: 'tree',
    },
  ],
  [
    `${cb}/forgejo/forgejo/src/commit/${sha}/models/repo.go#L10`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'commit', sha },
      page: 'tree',
      path: { path: 'models/repo.go', kind: 'unknown' },
      lines: { start: 10, end: 10 },
    },
  ],
  // Legacy untyped form (Gogs heritage): branch, then tag, then commit — the resolver's question.
  [
    `${cb}/forgejo/forgejo/src/main/README.md`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ambiguous', candidates: split('main/README.md') },
      page: 'tree',
    },
  ],
  [
    `${cb}/forgejo/forgejo/src/main`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'any' }, page: 'tree' },
  ],
  // Gitea 1.24 redirects: tree → src, blob → src/commit.
  [
    `${cb}/forgejo/forgejo/tree/branch/main`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'branch' }, page: 'tree' },
  ],
  [
    `${cb}/forgejo/forgejo/blob/${sha}/go.mod`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'commit', sha },
      page: 'tree',
      path: { path: 'go.mod', kind: 'unknown' },
    },
  ],
  [
    `${cb}/forgejo/forgejo/raw/branch/main/go.mod`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ambiguous', candidates: split('main/go.mod'), refType: 'branch' },
      page: 'tree',
    },
  ],
  [
    `${cb}/forgejo/forgejo/commits`,
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'commits' },
  ],
  [
    `${cb}/forgejo/forgejo/commits/branch/main`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'branch' }, page: 'commits' },
  ],
  [
    `${cb}/forgejo/forgejo/commit/${sha}`,
    { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
  ],
  [
    `${cb}/forgejo/forgejo/commit/${sha}.diff`,
    { kind: 'repository', repo, revision: { type: 'commit', sha }, page: 'commit' },
  ],
  [`${cb}/forgejo/forgejo/pulls/4321`, { kind: 'pull-request', repo, number: 4321 }],
  [`${cb}/forgejo/forgejo/pulls/4321/files`, { kind: 'pull-request', repo, number: 4321, tab: 'files' }],
  [`${cb}/forgejo/forgejo/pulls/4321.patch`, { kind: 'pull-request', repo, number: 4321 }],
  // An issue number that is really a pull request: the resolver follows Gitea's redirect.
  [`${cb}/forgejo/forgejo/issues/12`, { kind: 'issue', repo, number: 12 }],
  [
    `${cb}/forgejo/forgejo/releases/tag/v9.0.0`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'v9.0.0', refType: 'tag' }, page: 'tag' },
  ],
  [
    `${cb}/forgejo/forgejo/pulls/new/fix/typo`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ambiguous', candidates: split('fix/typo'), refType: 'branch' },
      page: 'tree',
    },
  ],
  [
    `${cb}/forgejo/forgejo/wiki/Home`,
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
  ],
  // og:url on Gitea 1.21–Forgejo 13 pages carries a double slash after the host.
  [
    `${cb}//forgejo/forgejo/src/branch/forgejo`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ref', name: 'forgejo', refType: 'branch' },
      page: 'tree',
    },
  ],
  // Percent-encoded UTF-8 paths.
  [
    `${cb}/forgejo/forgejo/src/commit/${sha}/js/%E6%88%91.js`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'commit', sha },
      page: 'tree',
      path: { path: 'js/我.js', kind: 'unknown' },
    },
  ],
  // A self-hosted instance under a sub-path.
  [
    'https://corp.example/git/team/app',
    { kind: 'repository', repo: corp, revision: { type: 'default' }, page: 'repo' },
  ],
  ['https://corp.example/git/team/app/pulls/7', { kind: 'pull-request', repo: corp, number: 7 }],
  [
    'git@corp.example:team/app.git',
    { kind: 'repository', repo: corp, revision: { type: 'default' }, page: 'repo' },
  ],
];

describe('Gitea / Forgejo URLs', () => {
  for (const [url, context] of cases) {
    it(url, () => {
      const parsed = parse(url);
      expect(parsed.ok ? parsed.value.context : parsed.error).toEqual(context);
    });
  }

  it.each([
    [`${cb}/explore/repos`, 'unsupported-page'],
    [`${cb}/user/login`, 'unsupported-page'],
    [`${cb}/-/admin`, 'unsupported-page'],
    [`${cb}/forgejo`, 'not-a-repository'],
    [cb, 'not-a-repository'],
    [`${cb}/forgejo/forgejo/pulls/abc`, 'invalid-number'],
    [`${cb}/forgejo/forgejo/commit/xyz`, 'invalid-sha'],
    ['https://corp.example/team/app', 'unknown-host'],
  ])('%s → %s', (url, code) => {
    const parsed = parse(url);
    expect(parsed.ok ? parsed.value.context : parsed.error.code).toBe(code);
  });

  it('writes the typed form back, so each page URL reads back to itself', () => {
    const entry = registry.value.lookup('corp.example', '/git/team/app');
    if (entry === undefined) throw new Error('corp.example not registered');
    for (const [url, context] of cases) {
      if (context.kind === 'snapshot' || context.repo.host !== 'codeberg.org') continue;
      const cbEntry = registry.value.lookup('codeberg.org');
      if (cbEntry === undefined) throw new Error('codeberg.org not built in');
      const web = hostFamilies.gitea.webUrl(context as RepoContext, cbEntry);
      const back = parse(web);
      expect(back.ok && back.value.context, `${url} → ${web}`).toEqual(context);
    }
    expect(hostFamilies.gitea.webUrl({ kind: 'pull-request', repo: corp, number: 7 }, entry)).toBe(
      'https://corp.example/git/team/app/pulls/7',
    );
    expect(hostFamilies.gitea.cloneUrl(corp, entry)).toBe('https://corp.example/git/team/app.git');
  });
});
