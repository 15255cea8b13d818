import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry } from '../host-registry.ts';
import {
  anyRef,
  at,
  commit,
  defaultBranch,
  file,
  folder,
  gh,
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

const registry = createHostRegistry([{ hostname: 'github.corp.example', family: 'github' }]);
if (!registry.ok) throw new Error(registry.error);
const parse = (input: string) => parseLaunchInput(input, registry.value);

const vscode = gh('microsoft', 'vscode');
const gitpod = gh('gitpod-io', 'gitpod');
const sha = '8e2f3f3b4c5d6e7f8091a2b3c4d5e6f708192a3b';

const ok: [string, GitContext][] = [
  ['https://github.com/microsoft/vscode', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/', repoPage(vscode)],
  ['https://github.com/microsoft/vscode.git', repoPage(vscode)],
  ['https://github.com/Microsoft/VSCode', repoPage(gh('Microsoft', 'VSCode'))],
  ['https://github.com/microsoft/vscode?tab=readme-ov-file', repoPage(vscode)],
  ['https://github.com/microsoft/vscode#readme', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/actions', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/pulls', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/issues', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/wiki/Home', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/tree', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/tree/main', at(vscode, anyRef('main'), 'tree')],
  ['https://github.com/microsoft/vscode/tree/release/1.95', at(vscode, splits('release/1.95'), 'tree')],
  ['https://github.com/microsoft/vscode/tree/main/src/vs', at(vscode, splits('main/src/vs'), 'tree')],
  ['https://github.com/gitpod-io/gitpod/tree/a/b/c/d/e', at(gitpod, splits('a/b/c/d/e'), 'tree')],
  [`https://github.com/microsoft/vscode/tree/${sha}`, at(vscode, commit(sha), 'tree')],
  [
    `https://github.com/microsoft/vscode/tree/${sha}/src/vs`,
    at(vscode, commit(sha), 'tree', folder('src/vs')),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md',
    at(vscode, anyRef('main'), 'blob', file('README.md')),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/src/vs/code/electron-main/main.ts',
    at(vscode, splits('main/src/vs/code/electron-main/main.ts', 1), 'blob'),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md#L10',
    at(vscode, anyRef('main'), 'blob', file('README.md'), lines(10)),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md#L10-L20',
    at(vscode, anyRef('main'), 'blob', file('README.md'), lines(10, 20)),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md#L20-L10',
    at(vscode, anyRef('main'), 'blob', file('README.md'), lines(10, 20)),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md#L5C3-L9C12',
    at(vscode, anyRef('main'), 'blob', file('README.md'), lines(5, 9)),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md?plain=1#L3',
    at(vscode, anyRef('main'), 'blob', file('README.md'), lines(3)),
  ],
  [
    'https://github.com/microsoft/vscode/blob/main/README.md#readme',
    at(vscode, anyRef('main'), 'blob', file('README.md')),
  ],
  [
    `https://github.com/microsoft/vscode/blob/${sha}/package.json#L2`,
    at(vscode, commit(sha), 'blob', file('package.json'), lines(2)),
  ],
  [
    `https://github.com/microsoft/vscode/blob/${sha.toUpperCase()}/package.json`,
    at(vscode, commit(sha), 'blob', file('package.json')),
  ],
  ['https://github.com/microsoft/vscode/blob/main', at(vscode, anyRef('main'), 'blob')],
  [
    'https://github.com/gitpod-io/gitpod/blob/breakedpod%23/README.md',
    at(gitpod, anyRef('breakedpod#'), 'blob', file('README.md')),
  ],
  [
    'https://github.com/gitpod-io/gitpod/tree/feature%20with%20spaces',
    at(gitpod, anyRef('feature with spaces'), 'tree'),
  ],
  ['https://github.com/gitpod-io/gitpod/tree/50%off', at(gitpod, anyRef('50%off'), 'tree')],
  ['https://github.com/gitpod-io/gitpod/tree/%E6%97%A5%E6%9C%AC', at(gitpod, anyRef('日本'), 'tree')],
  ['https://github.com/gitpod-io/gitpod/tree/日本', at(gitpod, anyRef('日本'), 'tree')],
  ['https://github.com/gitpod-io/gitpod/tree/a%2Fb', at(gitpod, anyRef('a/b'), 'tree')],
  ['https://github.com/microsoft/vscode/commits', at(vscode, defaultBranch, 'commits')],
  ['https://github.com/microsoft/vscode/commits/main', at(vscode, anyRef('main'), 'commits')],
  ['https://github.com/microsoft/vscode/commits/release/1.95', at(vscode, splits('release/1.95'), 'commits')],
  [
    `https://github.com/microsoft/vscode/commits/${sha}/src`,
    at(vscode, commit(sha), 'commits', somePath('src')),
  ],
  [`https://github.com/microsoft/vscode/commit/${sha}`, at(vscode, commit(sha), 'commit')],
  ['https://github.com/microsoft/vscode/commit/8e2f3f3', at(vscode, commit('8e2f3f3'), 'commit')],
  [`https://github.com/microsoft/vscode/commit/${sha}.patch`, at(vscode, commit(sha), 'commit')],
  [`https://github.com/microsoft/vscode/commit/${sha}?diff=split`, at(vscode, commit(sha), 'commit')],
  ['https://github.com/microsoft/vscode/releases/tag/1.95.0', at(vscode, tag('1.95.0'), 'tag')],
  [
    'https://github.com/gitpod-io/gitpod/releases/tag/release/2024.1',
    at(gitpod, tag('release/2024.1'), 'tag'),
  ],
  ['https://github.com/microsoft/vscode/releases', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/releases/latest', repoPage(vscode)],
  ['https://github.com/microsoft/vscode/pull/12345', pull(vscode, 12345)],
  ['https://github.com/microsoft/vscode/pull/12345/files', pull(vscode, 12345, 'files')],
  ['https://github.com/microsoft/vscode/pull/12345/commits', pull(vscode, 12345, 'commits')],
  ['https://github.com/microsoft/vscode/pull/12345/checks', pull(vscode, 12345, 'checks')],
  [`https://github.com/microsoft/vscode/pull/12345/commits/${sha}`, pull(vscode, 12345, 'commits')],
  ['https://github.com/microsoft/vscode/pull/12345/unknown-tab', pull(vscode, 12345)],
  ['https://github.com/microsoft/vscode/pull/12345#issuecomment-1', pull(vscode, 12345)],
  ['https://github.com/microsoft/vscode/issues/42', issue(vscode, 42)],
  ['https://github.com/microsoft/vscode/issues/42#issue-123', issue(vscode, 42)],
  [
    'https://github.dev/microsoft/vscode/blob/main/README.md',
    at(vscode, anyRef('main'), 'blob', file('README.md')),
  ],
  ['https://www.github.com/microsoft/vscode', repoPage(vscode)],
  ['https://GitHub.com/microsoft/vscode', repoPage(vscode)],
  ['https://github.com:443/microsoft/vscode', repoPage(vscode)],
  ['github.com/microsoft/vscode/pull/7', pull(vscode, 7)],
  ['git@github.com:microsoft/vscode.git', repoPage(vscode)],
  ['ssh://git@github.com/microsoft/vscode.git', repoPage(vscode)],
  ['git+ssh://git@github.com/microsoft/vscode.git', repoPage(vscode)],
  [
    'https://github.corp.example/platform/api/tree/main',
    at(gh('platform', 'api', 'github.corp.example'), anyRef('main'), 'tree'),
  ],
  ['https://github.corp.example/platform/api/pull/3', pull(gh('platform', 'api', 'github.corp.example'), 3)],
];

const errors: [string, ParseError][] = [
  [
    'https://github.com/',
    {
      code: 'not-a-repository',
      message:
        'https://github.com is GitHub itself, not a repository. Paste a repository URL like https://github.com/owner/repo.',
    },
  ],
  [
    'https://github.com/microsoft',
    {
      code: 'not-a-repository',
      message:
        'https://github.com/microsoft is a user or organisation, not a repository. Open one of its repositories and try again.',
    },
  ],
  [
    'https://github.com/settings/profile',
    {
      code: 'unsupported-page',
      message:
        'https://github.com/settings is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.',
    },
  ],
  [
    'https://github.com/orgs/gitpod-io/repositories',
    {
      code: 'unsupported-page',
      message:
        'https://github.com/orgs is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.',
    },
  ],
  [
    'https://github.com/microsoft/vscode/pull/abc',
    {
      code: 'invalid-number',
      message:
        "Expected a pull request number after 'pull/' but found 'abc'. A pull request link looks like https://github.com/microsoft/vscode/pull/12.",
    },
  ],
  [
    'https://github.com/microsoft/vscode/pull',
    {
      code: 'invalid-number',
      message:
        "Expected a pull request number after 'pull/' but found nothing. A pull request link looks like https://github.com/microsoft/vscode/pull/12.",
    },
  ],
  [
    'https://github.com/microsoft/vscode/pull/0',
    {
      code: 'invalid-number',
      message:
        "Expected a pull request number after 'pull/' but found '0'. A pull request link looks like https://github.com/microsoft/vscode/pull/12.",
    },
  ],
  [
    'https://github.com/microsoft/vscode/issues/99999999999',
    {
      code: 'invalid-number',
      message:
        "Expected an issue number after 'issues/' but found '99999999999'. An issue link looks like https://github.com/microsoft/vscode/issues/7.",
    },
  ],
  [
    'https://github.com/microsoft/vscode/commit/xyz',
    {
      code: 'invalid-sha',
      message:
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like https://github.com/microsoft/vscode/commit/1a2b3c4.",
    },
  ],
  [
    'https://github.com/microsoft/vscode/commit/abc12',
    {
      code: 'invalid-sha',
      message:
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'abc12'. A commit link looks like https://github.com/microsoft/vscode/commit/1a2b3c4.",
    },
  ],
  [
    'https://github.com/micro_soft/vscode',
    {
      code: 'unsupported-page',
      message:
        'https://github.com/micro_soft is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.',
    },
  ],
  [
    'https://github.com/microsoft/vs%20code',
    {
      code: 'not-a-repository',
      message: "'vs code' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).",
    },
  ],
  [
    'http://github.com/microsoft/vscode',
    {
      code: 'insecure-scheme',
      message:
        'github.com is served over https only, and this link uses plain http. Use the https:// address instead.',
    },
  ],
];

describe('GitHub URLs', () => {
  it.each(ok)('%s', (input, context) => {
    expect(parse(input)).toEqual({ ok: true, value: request(context) });
  });

  it.each(errors)('%s is refused', (input, error) => {
    expect(parse(input)).toEqual({ ok: false, error });
  });
});
