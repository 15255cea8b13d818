import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry, hostFamilies } from '../host-registry.ts';
import type { GitContext, RepoRef } from '../launch-request.ts';
import type { RepoContext } from './host-family.ts';

// dev.azure.com (and <org>.visualstudio.com) built in; an Azure DevOps Server collection configured.
const made = createHostRegistry([
  { hostname: 'tfs.corp.example', family: 'azure-devops', basePath: '/tfs/DefaultCollection' },
]);
if (!made.ok) throw new Error(made.error);
const registry = made.value;
const parse = (input: string) => parseLaunchInput(input, registry);

const az = 'https://dev.azure.com/contoso';
const repo: RepoRef = {
  host: 'dev.azure.com',
  family: 'azure-devops',
  owner: 'contoso/Fabrikam',
  name: 'web-app',
};
const spaced: RepoRef = {
  host: 'dev.azure.com',
  family: 'azure-devops',
  owner: 'contoso/My Project',
  name: 'Ünïcode Repo',
};
const server: RepoRef = { host: 'tfs.corp.example', family: 'azure-devops', owner: 'Platform', name: 'api' };
const sha = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const atDefault = (r: RepoRef): GitContext => ({
  kind: 'repository',
  repo: r,
  revision: { type: 'default' },
  page: 'repo',
});

const cases: [string, GitContext][] = [
  [`${az}/Fabrikam/_git/web-app`, atDefault(repo)],
  [`https://contoso.visualstudio.com/Fabrikam/_git/web-app`, atDefault(repo)],
  [`https://contoso.visualstudio.com/DefaultCollection/Fabrikam/_git/web-app`, atDefault(repo)],
  [`https://contoso@dev.azure.com/contoso/Fabrikam/_git/web-app`, atDefault(repo)],
  ['git@ssh.dev.azure.com:v3/contoso/Fabrikam/web-app', atDefault(repo)],
  ['contoso@vs-ssh.visualstudio.com:v3/contoso/Fabrikam/web-app', atDefault(repo)],
  [`${az}/web-app/_git/web-app`, atDefault({ ...repo, owner: 'contoso/web-app' })],
  [`${az}/_git/web-app`, atDefault({ ...repo, owner: 'contoso/web-app' })],
  [`${az}/Fabrikam`, atDefault({ ...repo, name: 'Fabrikam' })],
  [
    `${az}/Fabrikam/_git/web-app?version=GBfeature%2Fa%2Fb`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ref', name: 'feature/a/b', refType: 'branch' },
      page: 'tree',
    },
  ],
  [
    `${az}/Fabrikam/_git/web-app?version=GBfeature/a/b&path=/src/app.ts&line=10&lineEnd=12&lineStartColumn=1&lineEndColumn=5&lineStyle=plain&_a=contents`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ref', name: 'feature/a/b', refType: 'branch' },
      page: 'tree',
      path: { path: 'src/app.ts', kind: 'unknown' },
      lines: { start: 10, end: 12 },
    },
  ],
  [
    `${az}/Fabrikam/_git/web-app?version=GTv1.0.0`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'v1.0.0', refType: 'tag' }, page: 'tree' },
  ],
  [
    `${az}/Fabrikam/_git/web-app?path=%2Fdocs&version=GC${sha}`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'commit', sha },
      page: 'tree',
      path: { path: 'docs', kind: 'unknown' },
    },
  ],
  [`${az}/Fabrikam/_git/web-app?path=/`, atDefault(repo)],
  [
    `${az}/Fabrikam/_git/web-app?version=GBmain&_a=history`,
    { kind: 'repository', repo, revision: { type: 'ref', name: 'main', refType: 'branch' }, page: 'commits' },
  ],
  [
    `${az}/Fabrikam/_git/web-app/commit/${sha}?refName=refs/heads/main&path=/a.ts`,
    { kind: 'repository', repo, revision: { type: 'commit', sha, branch: 'main' }, page: 'commit' },
  ],
  [`${az}/Fabrikam/_git/web-app/pullrequest/42`, { kind: 'pull-request', repo, number: 42 }],
  [
    `${az}/Fabrikam/_git/web-app/pullRequest/42?_a=files&path=/a.vue`,
    { kind: 'pull-request', repo, number: 42, tab: 'files' },
  ],
  [
    `${az}/Fabrikam/_git/web-app/pullrequestcreate?sourceRef=fix/typo&targetRef=main`,
    {
      kind: 'repository',
      repo,
      revision: { type: 'ref', name: 'fix/typo', refType: 'branch' },
      page: 'tree',
    },
  ],
  [`${az}/Fabrikam/_git/web-app/branches`, atDefault(repo)],
  [`${az}/My%20Project/_git/%C3%9Cn%C3%AFcode%20Repo`, atDefault(spaced)],
  ['https://tfs.corp.example/tfs/DefaultCollection/Platform/_git/api', atDefault(server)],
  [
    'https://tfs.corp.example/tfs/DefaultCollection/Platform/_git/api/pullrequest/7',
    { kind: 'pull-request', repo: server, number: 7 },
  ],
  ['ssh://tfs.corp.example:22/tfs/DefaultCollection/Platform/_git/api', atDefault(server)],
];

describe('Azure DevOps URLs', () => {
  for (const [url, context] of cases) {
    it(url, () => {
      const parsed = parse(url);
      expect(parsed.ok ? parsed.value.context : parsed.error).toEqual(context);
    });
  }

  it.each([
    [`${az}/Fabrikam/_workitems/edit/12`, 'unsupported-page'],
    [`${az}/Fabrikam/_boards`, 'unsupported-page'],
    [`${az}/Fabrikam/_git/web-app/pullrequest/x`, 'invalid-number'],
    [`${az}/Fabrikam/_git/web-app/commit/zz`, 'invalid-sha'],
    ['https://dev.azure.com/', 'not-a-repository'],
    // The organisation of a legacy host is one label: no empty one, no dotted one (a `.` owner would fold paths).
    ['https://..visualstudio.com/Fabrikam/_git/web-app', 'not-a-repository'],
    ['https://a.b.visualstudio.com/Fabrikam/_git/web-app', 'not-a-repository'],
  ])('%s → %s', (url, code) => {
    const parsed = parse(url);
    expect(parsed.ok ? parsed.value.context : parsed.error.code).toBe(code);
  });

  it('writes each context back as a page URL that reads back to it, on Services and on Server', () => {
    for (const [, context] of cases) {
      if (context.kind === 'snapshot') continue;
      const entry = registry.lookup(context.repo.host, '/tfs/DefaultCollection/x');
      if (entry === undefined) throw new Error(`${context.repo.host} not registered`);
      const web = hostFamilies['azure-devops'].webUrl(context as RepoContext, entry);
      const back = parse(web);
      expect(back.ok && back.value.context, web).toEqual(context);
    }
  });

  it('clones from dev.azure.com whichever host form the link used, names encoded', () => {
    const entry = registry.lookup('dev.azure.com');
    if (entry === undefined) throw new Error('dev.azure.com not built in');
    expect(hostFamilies['azure-devops'].cloneUrl(spaced, entry)).toBe(
      'https://dev.azure.com/contoso/My%20Project/_git/%C3%9Cn%C3%AFcode%20Repo',
    );
  });
});
