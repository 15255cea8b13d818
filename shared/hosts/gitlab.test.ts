import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry } from '../host-registry.ts';
import {
  anyRef,
  at,
  commit,
  defaultBranch,
  file,
  gl,
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

const registry = createHostRegistry([
  { hostname: 'gitlab.corp.example', family: 'gitlab' },
  { hostname: 'code.example.org', family: 'gitlab', basePath: '/gitlab' },
]);
if (!registry.ok) throw new Error(registry.error);
const parse = (input: string) => parseLaunchInput(input, registry.value);

const gitlab = gl('gitlab-org', 'gitlab');
const runner = gl('gitlab-org', 'gitlab-runner');
const deep = gl('gitlab-org/security-products/analyzers', 'semgrep');
const sha = '4f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6';

const ok: [string, GitContext][] = [
  ['https://gitlab.com/gitlab-org/gitlab', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/gitlab/', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/gitlab.git', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/security-products/analyzers/semgrep', repoPage(deep)],
  ['https://gitlab.com/gitlab-org/gitlab/-/tree/master', at(gitlab, anyRef('master'), 'tree')],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/tree/master/app/models',
    at(gitlab, splits('master/app/models'), 'tree'),
  ],
  ['https://gitlab.com/gitlab-org/gitlab/-/tree/master?ref_type=heads', at(gitlab, anyRef('master'), 'tree')],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/blob/master/README.md',
    at(gitlab, anyRef('master'), 'blob', file('README.md')),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/blob/master/README.md#L12',
    at(gitlab, anyRef('master'), 'blob', file('README.md'), lines(12)),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/blob/master/README.md#L12-30',
    at(gitlab, anyRef('master'), 'blob', file('README.md'), lines(12, 30)),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/blob/master/app/models/user.rb?ref_type=heads#L5',
    at(gitlab, splits('master/app/models/user.rb', 1), 'blob', undefined, lines(5)),
  ],
  [
    `https://gitlab.com/gitlab-org/gitlab/-/blob/${sha}/Gemfile`,
    at(gitlab, commit(sha), 'blob', file('Gemfile')),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/blame/master/Gemfile#L3',
    at(gitlab, anyRef('master'), 'blob', file('Gemfile'), lines(3)),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/raw/master/Gemfile',
    at(gitlab, anyRef('master'), 'blob', file('Gemfile')),
  ],
  [
    'https://gitlab.com/gitlab-org/security-products/analyzers/semgrep/-/tree/feature/x/y',
    at(deep, splits('feature/x/y'), 'tree'),
  ],
  ['https://gitlab.com/gitlab-org/gitlab/-/commits/master', at(gitlab, anyRef('master'), 'commits')],
  ['https://gitlab.com/gitlab-org/gitlab/-/commits', at(gitlab, defaultBranch, 'commits')],
  [
    `https://gitlab.com/gitlab-org/gitlab/-/commits/${sha}/app`,
    at(gitlab, commit(sha), 'commits', somePath('app')),
  ],
  [`https://gitlab.com/gitlab-org/gitlab/-/commit/${sha}`, at(gitlab, commit(sha), 'commit')],
  ['https://gitlab.com/gitlab-org/gitlab/-/commit/4f1e2d3c', at(gitlab, commit('4f1e2d3c'), 'commit')],
  [
    `https://gitlab.com/gitlab-org/gitlab/-/commit/${sha}?merge_request_iid=5`,
    at(gitlab, commit(sha), 'commit'),
  ],
  ['https://gitlab.com/gitlab-org/gitlab/-/tags/v17.0.0-ee', at(gitlab, tag('v17.0.0-ee'), 'tag')],
  ['https://gitlab.com/gitlab-org/gitlab/-/tags', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/gitlab/-/merge_requests/123', pull(gitlab, 123)],
  ['https://gitlab.com/gitlab-org/gitlab/-/merge_requests/123/diffs', pull(gitlab, 123, 'diffs')],
  ['https://gitlab.com/gitlab-org/gitlab/-/merge_requests/123/commits', pull(gitlab, 123, 'commits')],
  ['https://gitlab.com/gitlab-org/gitlab/-/merge_requests/123/pipelines', pull(gitlab, 123, 'pipelines')],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/merge_requests/123/diffs?commit_id=abc',
    pull(gitlab, 123, 'diffs'),
  ],
  ['https://gitlab.com/gitlab-org/gitlab/-/merge_requests', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/security-products/analyzers/semgrep/-/merge_requests/9', pull(deep, 9)],
  ['https://gitlab.com/gitlab-org/gitlab/-/issues/456', issue(gitlab, 456)],
  ['https://gitlab.com/gitlab-org/gitlab/-/issues/456#note_1', issue(gitlab, 456)],
  ['https://gitlab.com/gitlab-org/gitlab/-/work_items/456', issue(gitlab, 456)],
  ['https://gitlab.com/gitlab-org/gitlab/-/issues', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/gitlab/-/pipelines', repoPage(gitlab)],
  ['https://gitlab.com/gitlab-org/gitlab/-/settings/repository', repoPage(gitlab)],
  ['gitlab.com/gitlab-org/gitlab-runner', repoPage(runner)],
  ['git@gitlab.com:gitlab-org/gitlab-runner.git', repoPage(runner)],
  ['ssh://git@gitlab.com/gitlab-org/security-products/analyzers/semgrep.git', repoPage(deep)],
  ['git@gitlab.com:gitlab-org/tree.git', repoPage(gl('gitlab-org', 'tree'))],
  [
    'https://gitlab.corp.example/platform/backend/api/-/tree/main',
    at(gl('platform/backend', 'api', 'gitlab.corp.example'), anyRef('main'), 'tree'),
  ],
  [
    'https://code.example.org/gitlab/team/app/-/merge_requests/4',
    pull(gl('team', 'app', 'code.example.org'), 4),
  ],
];

// Legacy routes (no `-/`): the keyword reading first, the whole path as a project as the alternative.
const legacy: [string, GitContext, GitContext][] = [
  [
    'https://gitlab.com/gitlab-org/gitlab/tree/master',
    at(gitlab, anyRef('master'), 'tree'),
    repoPage(gl('gitlab-org/gitlab/tree', 'master')),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/blob/master/README.md',
    at(gitlab, anyRef('master'), 'blob', file('README.md')),
    repoPage(gl('gitlab-org/gitlab/blob/master', 'README.md')),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/merge_requests/1',
    pull(gitlab, 1),
    repoPage(gl('gitlab-org/gitlab/merge_requests', '1')),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/issues/2',
    issue(gitlab, 2),
    repoPage(gl('gitlab-org/gitlab/issues', '2')),
  ],
  [
    `https://gitlab.com/gitlab-org/gitlab/commit/${sha}`,
    at(gitlab, commit(sha), 'commit'),
    repoPage(gl(`gitlab-org/gitlab/commit`, sha)),
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/commits/master',
    at(gitlab, anyRef('master'), 'commits'),
    repoPage(gl('gitlab-org/gitlab/commits', 'master')),
  ],
  [
    'https://gitlab.com/gitlab-org/security-products/analyzers/semgrep/tree/main/src',
    at(deep, splits('main/src'), 'tree'),
    repoPage(gl('gitlab-org/security-products/analyzers/semgrep/tree/main', 'src')),
  ],
];

const errors: [string, ParseError][] = [
  [
    'https://gitlab.com/gitlab-org',
    {
      code: 'not-a-repository',
      message:
        'https://gitlab.com/gitlab-org is a GitLab group or user, not a project. Open one of its projects and try again.',
    },
  ],
  [
    'https://gitlab.com/explore/projects',
    {
      code: 'unsupported-page',
      message:
        'https://gitlab.com/explore/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    },
  ],
  [
    'https://gitlab.com/groups/gitlab-org/-/epics',
    {
      code: 'unsupported-page',
      message:
        'https://gitlab.com/groups/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    },
  ],
  [
    'https://gitlab.com/-/ide/project/gitlab-org/gitlab',
    {
      code: 'unsupported-page',
      message:
        'https://gitlab.com/-/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    },
  ],
  [
    'https://gitlab.com/',
    {
      code: 'not-a-repository',
      message:
        'https://gitlab.com is GitLab itself, not a project. Paste a project URL like https://gitlab.com/group/project.',
    },
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/merge_requests/new',
    {
      code: 'invalid-number',
      message:
        "Expected a merge request number after 'merge_requests/' but found 'new'. A merge request link looks like https://gitlab.com/gitlab-org/gitlab/-/merge_requests/12.",
    },
  ],
  [
    'https://gitlab.com/gitlab-org/gitlab/-/commit/master',
    {
      code: 'invalid-sha',
      message:
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'master'. A commit link looks like https://gitlab.com/gitlab-org/gitlab/-/commit/1a2b3c4.",
    },
  ],
  [
    'https://gitlab.com/gitlab-org/-/merge_requests/1',
    {
      code: 'not-a-repository',
      message:
        'https://gitlab.com/gitlab-org is a GitLab group or user, not a project. Open one of its projects and try again.',
    },
  ],
  [
    'https://gitlab.com/gitlab-org/my%20project',
    {
      code: 'not-a-repository',
      message:
        "'gitlab-org/my project' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).",
    },
  ],
];

describe('GitLab URLs', () => {
  it.each(ok)('%s', (input, context) => {
    expect(parse(input)).toEqual({ ok: true, value: request(context) });
  });

  it.each(legacy)(
    '%s (legacy route) carries the deeper project as an alternative',
    (input, context, alternative) => {
      expect(parse(input)).toEqual({ ok: true, value: request(context, { alternatives: [alternative] }) });
    },
  );

  it.each(errors)('%s is refused', (input, error) => {
    expect(parse(input)).toEqual({ ok: false, error });
  });
});
