import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { defaultHostRegistry } from '../host-registry.ts';
import {
  anyRef,
  at,
  bb,
  branch,
  commit,
  defaultBranch,
  folder,
  issue,
  lines,
  pull,
  repoPage,
  request,
  somePath,
  splits,
  tag,
} from '../launch-request.fixtures.ts';
import type { GitContext, ParseError } from '../launch-request.ts';

const parse = (input: string) => parseLaunchInput(input, defaultHostRegistry);

const cli = bb('atlassian', 'bitbucket-cli');
const sha = '0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e';

const ok: [string, GitContext][] = [
  ['https://bitbucket.org/atlassian/bitbucket-cli', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli.git', repoPage(cli)],
  ['https://someone@bitbucket.org/atlassian/bitbucket-cli.git', repoPage(cli)],
  ['git@bitbucket.org:atlassian/bitbucket-cli.git', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/src', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/src/master/', at(cli, anyRef('master'), 'tree')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/src/master/docs/', at(cli, splits('master/docs'), 'tree')],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/src/master/README.md',
    at(cli, splits('master/README.md'), 'tree'),
  ],
  [
    `https://bitbucket.org/atlassian/bitbucket-cli/src/${sha}/README.md?at=master`,
    at(cli, commit(sha, 'master'), 'tree', somePath('README.md')),
  ],
  [
    `https://bitbucket.org/atlassian/bitbucket-cli/src/${sha}/?at=feature%2Flogin`,
    at(cli, commit(sha, 'feature/login'), 'tree'),
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/src/0f9e8d7c6b5a/setup.py#lines-10',
    at(cli, commit('0f9e8d7c6b5a'), 'tree', somePath('setup.py'), lines(10)),
  ],
  [
    `https://bitbucket.org/atlassian/bitbucket-cli/src/${sha}/setup.py#lines-10:20`,
    at(cli, commit(sha), 'tree', somePath('setup.py'), lines(10, 20)),
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/src/feature/login/app/main.py?at=feature/login',
    at(cli, branch('feature/login'), 'tree', somePath('app/main.py')),
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/src/feature/login/app/',
    at(cli, splits('feature/login/app'), 'tree'),
  ],
  [
    `https://bitbucket.org/atlassian/bitbucket-cli/src/${sha}/docs/`,
    at(cli, commit(sha), 'tree', folder('docs')),
  ],
  // A raw file keeps its ref and path (it used to open the repository's default branch).
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/raw/master/README.md',
    at(cli, anyRef('master'), 'tree', somePath('README.md')),
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/raw/feature/login/app/main.py#lines-3',
    at(cli, splits('feature/login/app/main.py', 1), 'tree', undefined, lines(3)),
  ],
  [
    `https://bitbucket.org/atlassian/bitbucket-cli/raw/${sha}/src/setup.py`,
    at(cli, commit(sha), 'tree', somePath('src/setup.py')),
  ],
  ['https://bitbucket.org/atlassian/bitbucket-cli/raw/master', repoPage(cli)],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/branch/feature/login',
    at(cli, branch('feature/login'), 'branch'),
  ],
  ['https://bitbucket.org/atlassian/bitbucket-cli/branch/main', at(cli, branch('main'), 'branch')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/branch', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/commits', at(cli, defaultBranch, 'commits')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/commits/all', at(cli, defaultBranch, 'commits')],
  [`https://bitbucket.org/atlassian/bitbucket-cli/commits/${sha}`, at(cli, commit(sha), 'commit')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/commits/0f9e8d7', at(cli, commit('0f9e8d7'), 'commit')],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/commits/branch/feature/login',
    at(cli, branch('feature/login'), 'commits'),
  ],
  ['https://bitbucket.org/atlassian/bitbucket-cli/commits/tag/v1.2.0', at(cli, tag('v1.2.0'), 'commits')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/17', pull(cli, 17)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/17/diff', pull(cli, 17, 'diff')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/17/add-login/diff', pull(cli, 17)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/17/commits', pull(cli, 17, 'commits')],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pull-requests', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/issues/5', issue(cli, 5)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/issues/5/crash-on-start', issue(cli, 5)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/issues', repoPage(cli)],
  ['https://bitbucket.org/atlassian/bitbucket-cli/pipelines', repoPage(cli)],
  ['https://www.bitbucket.org/atlassian/bitbucket-cli/downloads/', repoPage(cli)],
];

const errors: [string, ParseError][] = [
  [
    'https://bitbucket.org/atlassian',
    {
      code: 'not-a-repository',
      message:
        'https://bitbucket.org/atlassian is a Bitbucket workspace, not a repository. Open one of its repositories and try again.',
    },
  ],
  [
    'https://bitbucket.org/account/settings/',
    {
      code: 'unsupported-page',
      message:
        'That is a Bitbucket page, not a repository. Open a repository (https://bitbucket.org/workspace/repo) and try again.',
    },
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/commits/nothex',
    {
      code: 'invalid-sha',
      message:
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'nothex'. A commit link looks like https://bitbucket.org/atlassian/bitbucket-cli/commits/1a2b3c4.",
    },
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/new',
    {
      code: 'invalid-number',
      message:
        "Expected a pull request number after 'pull-requests/' but found 'new'. A pull request link looks like https://bitbucket.org/atlassian/bitbucket-cli/pull-requests/12.",
    },
  ],
  [
    'https://bitbucket.org/atlassian/bitbucket%20cli',
    {
      code: 'not-a-repository',
      message: "'atlassian/bitbucket cli' is not a valid Bitbucket repository path.",
    },
  ],
];

describe('Bitbucket Cloud URLs', () => {
  it.each(ok)('%s', (input, context) => {
    expect(parse(input)).toEqual({ ok: true, value: request(context) });
  });

  it.each(errors)('%s is refused', (input, error) => {
    expect(parse(input)).toEqual({ ok: false, error });
  });
});
