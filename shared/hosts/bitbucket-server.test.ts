import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry } from '../host-registry.ts';
import {
  anyRef,
  at,
  bbs,
  branch,
  commit,
  defaultBranch,
  folder,
  lines,
  pull,
  repoPage,
  request,
  somePath,
  tag,
} from '../launch-request.fixtures.ts';
import type { GitContext, ParseError } from '../launch-request.ts';

const registry = createHostRegistry([
  { hostname: 'bitbucket.corp.example', family: 'bitbucket-server' },
  { hostname: 'tools.example.net:8443', family: 'bitbucket-server', basePath: '/bitbucket' },
]);
if (!registry.ok) throw new Error(registry.error);
const parse = (input: string) => parseLaunchInput(input, registry.value);

const site = 'https://bitbucket.corp.example';
const api = bbs('PLAT', 'api');
const personal = bbs('~jdoe', 'dotfiles');
const sha = '1234567890abcdef1234567890abcdef12345678';

const ok: [string, GitContext][] = [
  [`${site}/projects/PLAT/repos/api`, repoPage(api)],
  [`${site}/projects/PLAT/repos/api/`, repoPage(api)],
  [`${site}/projects/PLAT/repos/api/browse`, at(api, defaultBranch, 'browse')],
  [`${site}/projects/plat/repos/api/browse`, at(api, defaultBranch, 'browse')],
  [
    `${site}/projects/PLAT/repos/api/browse/src/main.go`,
    at(api, defaultBranch, 'browse', somePath('src/main.go')),
  ],
  [`${site}/projects/PLAT/repos/api/browse/src/`, at(api, defaultBranch, 'browse', folder('src'))],
  [
    `${site}/projects/PLAT/repos/api/browse?at=refs%2Fheads%2Ffeature%2Fauth`,
    at(api, branch('feature/auth'), 'browse'),
  ],
  [
    `${site}/projects/PLAT/repos/api/browse/src/main.go?at=refs/heads/feature/auth#12-20`,
    at(api, branch('feature/auth'), 'browse', somePath('src/main.go'), lines(12, 20)),
  ],
  [
    `${site}/projects/PLAT/repos/api/browse/src/main.go?at=refs%2Fheads%2Fmain#7`,
    at(api, branch('main'), 'browse', somePath('src/main.go'), lines(7)),
  ],
  [`${site}/projects/PLAT/repos/api/browse?at=refs%2Ftags%2Fv2.1.0`, at(api, tag('v2.1.0'), 'browse')],
  [`${site}/projects/PLAT/repos/api/browse?at=develop`, at(api, anyRef('develop'), 'browse')],
  [`${site}/projects/PLAT/repos/api/browse?at=${sha}`, at(api, commit(sha), 'browse')],
  [`${site}/projects/PLAT/repos/api?at=develop`, at(api, anyRef('develop'), 'browse')],
  [`${site}/projects/PLAT/repos/api/commits`, at(api, defaultBranch, 'commits')],
  [
    `${site}/projects/PLAT/repos/api/commits?until=refs%2Fheads%2Frelease%2F3.0`,
    at(api, branch('release/3.0'), 'commits'),
  ],
  [`${site}/projects/PLAT/repos/api/commits/${sha}`, at(api, commit(sha), 'commit')],
  [`${site}/projects/PLAT/repos/api/commits/1234567`, at(api, commit('1234567'), 'commit')],
  [`${site}/projects/PLAT/repos/api/commits/${sha}#src/main.go`, at(api, commit(sha), 'commit')],
  [`${site}/projects/PLAT/repos/api/pull-requests/42`, pull(api, 42)],
  [`${site}/projects/PLAT/repos/api/pull-requests/42/overview`, pull(api, 42, 'overview')],
  [`${site}/projects/PLAT/repos/api/pull-requests/42/diff`, pull(api, 42, 'diff')],
  [`${site}/projects/PLAT/repos/api/pull-requests/42/commits`, pull(api, 42, 'commits')],
  [`${site}/projects/PLAT/repos/api/pull-requests`, repoPage(api)],
  [`${site}/projects/PLAT/repos/api/branches`, repoPage(api)],
  [`${site}/users/jdoe/repos/dotfiles/browse`, at(personal, defaultBranch, 'browse')],
  [`${site}/users/JDoe/repos/dotfiles`, repoPage(personal)],
  [`${site}/scm/plat/api.git`, repoPage(api)],
  [`${site}/scm/~jdoe/dotfiles.git`, repoPage(personal)],
  ['ssh://git@bitbucket.corp.example:7999/plat/api.git', repoPage(api)],
  ['git@bitbucket.corp.example:plat/api.git', repoPage(api)],
  [
    'https://tools.example.net:8443/bitbucket/projects/OPS/repos/infra/browse/main.tf?at=refs%2Fheads%2Fmain',
    at(bbs('OPS', 'infra', 'tools.example.net:8443'), branch('main'), 'browse', somePath('main.tf')),
  ],
  [
    'https://tools.example.net:8443/bitbucket/scm/ops/infra.git',
    repoPage(bbs('OPS', 'infra', 'tools.example.net:8443')),
  ],
];

const errors: [string, ParseError][] = [
  [
    `${site}/projects/PLAT`,
    {
      code: 'not-a-repository',
      message: `That Bitbucket Server page is not a repository. Open a repository (${site}/projects/KEY/repos/name/browse) and try again.`,
    },
  ],
  [
    `${site}/dashboard`,
    {
      code: 'not-a-repository',
      message: `That Bitbucket Server page is not a repository. Open a repository (${site}/projects/KEY/repos/name/browse) and try again.`,
    },
  ],
  [
    `${site}/projects/PLAT/repos/api/pull-requests/abc`,
    {
      code: 'invalid-number',
      message: `Expected a pull request number after 'pull-requests/' but found 'abc'. A pull request link looks like ${site}/projects/KEY/repos/api/pull-requests/12.`,
    },
  ],
  [
    `${site}/projects/PLAT/repos/api/commits/zzz`,
    {
      code: 'invalid-sha',
      message: `Expected a commit id (7 to 40 hexadecimal digits) but found 'zzz'. A commit link looks like ${site}/projects/KEY/repos/api/commits/1a2b3c4.`,
    },
  ],
  [
    'https://tools.example.net:8443/projects/OPS/repos/infra',
    {
      code: 'unknown-host',
      message:
        "tools.example.net:8443 is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
    },
  ],
];

describe('Bitbucket Server / Data Center URLs', () => {
  it.each(ok)('%s', (input, context) => {
    expect(parse(input)).toEqual({ ok: true, value: request(context) });
  });

  it.each(errors)('%s is refused', (input, error) => {
    expect(parse(input)).toEqual({ ok: false, error });
  });
});
