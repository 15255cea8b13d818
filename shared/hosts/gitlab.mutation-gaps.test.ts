// Behaviour of the GitLab grammar the mutation run (docs/mutation-testing.md) found unasserted: whole results compared
// strictly, every `/-/` route and its legacy twin with the deeper-project alternative, nested groups, project paths
// at their edges, a self-managed instance under a base path in messages and links, ssh forms, and page URLs.
import { describe, expect, it } from 'vitest';
import { hostFamilies } from '../host-registry.ts';
import type { GitContext, ParseError, RepoRef } from '../launch-request.ts';
import { parserWith, reading, refused } from './grammar.fixtures.ts';
import type { RepoContext } from './host-family.ts';

const { registry, parse } = parserWith([
  { hostname: 'code.example.org', family: 'gitlab', basePath: '/gitlab' },
  { hostname: 'lab.example', family: 'gitlab' },
]);

const project = (owner: string, name: string, host = 'gitlab.com'): RepoRef => ({
  host,
  family: 'gitlab',
  owner,
  name,
});
const gp = project('g', 'p');
const sha = '0123456789abcdef0123456789abcdef01234567';

const home = (repo: RepoRef): GitContext => ({
  kind: 'repository',
  repo,
  revision: { type: 'default' },
  page: 'repo',
});
const anyRef = (name: string) => ({ type: 'ref', name, refType: 'any' }) as const;

describe('GitLab /-/ routes, whole results', () => {
  it.each<[string, GitContext]>([
    ['https://gitlab.com/g/p/-/tree', home(gp)],
    ['https://gitlab.com/g/p/-/blob', home(gp)],
    ['https://gitlab.com/g/p/-/tags', home(gp)],
    ['https://gitlab.com/g/p/-/merge_requests', home(gp)],
    ['https://gitlab.com/g/p/-/issues', home(gp)],
    ['https://gitlab.com/g/p/-/work_items', home(gp)],
    ['https://gitlab.com/g/p/-/pipelines/12', home(gp)],
    ['https://gitlab.com/g/p/-/', home(gp)],
    [
      'https://gitlab.com/g/p/-/tree/main',
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'tree' },
    ],
    [
      'https://gitlab.com/g/p/-/tree/main/a#L3',
      {
        kind: 'repository',
        repo: gp,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'main', path: 'a' },
            { ref: 'main/a', path: '' },
          ],
        },
        page: 'tree',
      },
    ],
    [
      `https://gitlab.com/g/p/-/tree/${sha}/src`,
      {
        kind: 'repository',
        repo: gp,
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'src', kind: 'folder' },
      },
    ],
    [
      'https://gitlab.com/g/p/-/blob/main#L3',
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'blob' },
    ],
    [
      'https://gitlab.com/g/p/-/blob/main/a.rb#L3-9',
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a.rb', kind: 'file' },
        lines: { start: 3, end: 9 },
      },
    ],
    [
      'https://gitlab.com/g/p/-/raw/main/a.rb',
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a.rb', kind: 'file' },
      },
    ],
    [
      'https://gitlab.com/g/p/-/blame/main/a.rb#L2',
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a.rb', kind: 'file' },
        lines: { start: 2, end: 2 },
      },
    ],
    [
      'https://gitlab.com/g/p/-/commits',
      { kind: 'repository', repo: gp, revision: { type: 'default' }, page: 'commits' },
    ],
    [
      'https://gitlab.com/g/p/-/commits/main',
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'commits' },
    ],
    [
      `https://gitlab.com/g/p/-/commits/${sha}/app`,
      {
        kind: 'repository',
        repo: gp,
        revision: { type: 'commit', sha },
        page: 'commits',
        path: { path: 'app', kind: 'unknown' },
      },
    ],
    [
      'https://gitlab.com/g/p/-/commit/ABCDEF12',
      { kind: 'repository', repo: gp, revision: { type: 'commit', sha: 'abcdef12' }, page: 'commit' },
    ],
    [
      'https://gitlab.com/g/p/-/tags/v1/rc',
      { kind: 'repository', repo: gp, revision: { type: 'ref', name: 'v1/rc', refType: 'tag' }, page: 'tag' },
    ],
    ['https://gitlab.com/g/p/-/merge_requests/5', { kind: 'pull-request', repo: gp, number: 5 }],
    [
      'https://gitlab.com/g/p/-/merge_requests/5/diffs',
      { kind: 'pull-request', repo: gp, number: 5, tab: 'diffs' },
    ],
    [
      'https://gitlab.com/g/p/-/merge_requests/5/pipelines',
      { kind: 'pull-request', repo: gp, number: 5, tab: 'pipelines' },
    ],
    ['https://gitlab.com/g/p/-/merge_requests/5/overview', { kind: 'pull-request', repo: gp, number: 5 }],
    ['https://gitlab.com/g/p/-/issues/8', { kind: 'issue', repo: gp, number: 8 }],
    ['https://gitlab.com/g/p/-/work_items/8', { kind: 'issue', repo: gp, number: 8 }],
    [
      'https://gitlab.com/g/s.u_b/p-2/-/issues/8',
      { kind: 'issue', repo: project('g/s.u_b', 'p-2'), number: 8 },
    ],
    ['https://gitlab.com/_g/.p', home(project('_g', '.p'))],
    ['https://gitlab.com/g/p.git/-/issues/8', { kind: 'issue', repo: gp, number: 8 }],
  ])('%s', (input, context) => {
    expect(parse(input)).toStrictEqual(reading(context));
  });
});

describe('GitLab legacy routes (no /-/)', () => {
  it.each<[string, GitContext, GitContext[]]>([
    [
      'https://gitlab.com/g/p/tree/main',
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'tree' },
      [home(project('g/p/tree', 'main'))],
    ],
    [
      'https://gitlab.com/g/p/tree/a/b',
      {
        kind: 'repository',
        repo: gp,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'a', path: 'b' },
            { ref: 'a/b', path: '' },
          ],
        },
        page: 'tree',
      },
      [home(project('g/p/tree/a', 'b'))],
    ],
    [
      'https://gitlab.com/g/p/blob/main/a.rb#L4',
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a.rb', kind: 'file' },
        lines: { start: 4, end: 4 },
      },
      [home(project('g/p/blob/main', 'a.rb'))],
    ],
    [
      `https://gitlab.com/g/p/blob/${sha}/x/a.rb`,
      {
        kind: 'repository',
        repo: gp,
        revision: { type: 'commit', sha },
        page: 'blob',
        path: { path: 'x/a.rb', kind: 'file' },
      },
      [home(project(`g/p/blob/${sha}/x`, 'a.rb'))],
    ],
    // A file name no project may have: no deeper reading.
    [
      'https://gitlab.com/g/p/blob/main/a%20b.rb',
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a b.rb', kind: 'file' },
      },
      [],
    ],
    // A folder name no group may have, before the last segment: no deeper reading either.
    [
      'https://gitlab.com/g/p/blob/main/a%20b/c.rb',
      {
        kind: 'repository',
        repo: gp,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'main', path: 'a b/c.rb' },
            { ref: 'main/a b', path: 'c.rb' },
          ],
        },
        page: 'blob',
      },
      [],
    ],
    [
      'https://gitlab.com/g/p/commits/main',
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'commits' },
      [home(project('g/p/commits', 'main'))],
    ],
    [
      'https://gitlab.com/g/p/commit/abcdef1',
      { kind: 'repository', repo: gp, revision: { type: 'commit', sha: 'abcdef1' }, page: 'commit' },
      [home(project('g/p/commit', 'abcdef1'))],
    ],
    [
      'https://gitlab.com/g/p/merge_requests/3/diffs',
      { kind: 'pull-request', repo: gp, number: 3, tab: 'diffs' },
      [home(project('g/p/merge_requests/3', 'diffs'))],
    ],
    [
      'https://gitlab.com/g/p/merge_requests/3',
      { kind: 'pull-request', repo: gp, number: 3 },
      [home(project('g/p/merge_requests', '3'))],
    ],
    [
      'https://gitlab.com/g/p/issues/3',
      { kind: 'issue', repo: gp, number: 3 },
      [home(project('g/p/issues', '3'))],
    ],
    [
      'https://gitlab.com/g/sub/p/issues/3',
      { kind: 'issue', repo: project('g/sub', 'p'), number: 3 },
      [home(project('g/sub/p/issues', '3'))],
    ],
  ])('%s', (input, context, alternatives) => {
    expect(parse(input)).toStrictEqual(reading(context, alternatives));
  });

  it.each<[string, RepoRef]>([
    // A keyword at the end, or right after the group, is a project name.
    ['https://gitlab.com/g/p/tree', project('g/p', 'tree')],
    ['https://gitlab.com/g/tree/main', project('g/tree', 'main')],
    ['https://gitlab.com/g/p/tags/v1', project('g/p/tags', 'v1')],
    // ssh paths have no routes: all of it is the project.
    ['git@gitlab.com:g/p/tree/main.git', project('g/p/tree', 'main')],
    ['ssh://git@gitlab.com/g/sub/p.git', project('g/sub', 'p')],
  ])('%s is a project', (input, repo) => {
    expect(parse(input)).toStrictEqual(reading(home(repo)));
  });
});

describe('GitLab errors', () => {
  it.each<[string, ParseError['code'], string]>([
    [
      'https://gitlab.com/',
      'not-a-repository',
      'https://gitlab.com is GitLab itself, not a project. Paste a project URL like https://gitlab.com/group/project.',
    ],
    [
      'https://gitlab.com/Explore/projects',
      'unsupported-page',
      'https://gitlab.com/Explore/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    ],
    [
      'https://gitlab.com/-/ide/project/g/p',
      'unsupported-page',
      'https://gitlab.com/-/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    ],
    [
      'https://gitlab.com/uploads/x',
      'unsupported-page',
      'https://gitlab.com/uploads/… is a GitLab page, not a project. Open a project (https://gitlab.com/group/project) and try again.',
    ],
    [
      'https://gitlab.com/g',
      'not-a-repository',
      'https://gitlab.com/g is a GitLab group or user, not a project. Open one of its projects and try again.',
    ],
    [
      'https://gitlab.com/g/-/issues/1',
      'not-a-repository',
      'https://gitlab.com/g is a GitLab group or user, not a project. Open one of its projects and try again.',
    ],
    [
      'https://gitlab.com/g/p%20q',
      'not-a-repository',
      "'g/p q' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).",
    ],
    [
      'https://gitlab.com/-g/p',
      'not-a-repository',
      "'-g/p' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).",
    ],
    [
      'https://gitlab.com/g/s%20b/p',
      'not-a-repository',
      "'g/s b/p' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).",
    ],
    [
      'https://gitlab.com/g/-p',
      'not-a-repository',
      "'g/-p' is not a valid GitLab project path (letters, digits, '_', '-' and '.' only).",
    ],
    [
      'https://gitlab.com/g/p/-/commit',
      'invalid-sha',
      'Expected a commit id (7 to 40 hexadecimal digits) but found nothing. A commit link looks like https://gitlab.com/g/p/-/commit/1a2b3c4.',
    ],
    [
      'https://gitlab.com/g/p/-/commit/xyz',
      'invalid-sha',
      "Expected a commit id (7 to 40 hexadecimal digits) but found 'xyz'. A commit link looks like https://gitlab.com/g/p/-/commit/1a2b3c4.",
    ],
    [
      'https://gitlab.com/g/p/-/merge_requests/x',
      'invalid-number',
      "Expected a merge request number after 'merge_requests/' but found 'x'. A merge request link looks like https://gitlab.com/g/p/-/merge_requests/12.",
    ],
    [
      'https://gitlab.com/g/p/-/issues/0',
      'invalid-number',
      "Expected an issue number after 'issues/' but found '0'. An issue link looks like https://gitlab.com/g/p/-/issues/7.",
    ],
    [
      'https://gitlab.com/g/p/-/work_items/x',
      'invalid-number',
      "Expected an issue number after 'work_items/' but found 'x'. An issue link looks like https://gitlab.com/g/p/-/issues/7.",
    ],
    [
      'https://gitlab.com/g/p/issues/x',
      'invalid-number',
      "Expected an issue number after 'issues/' but found 'x'. An issue link looks like https://gitlab.com/g/p/-/issues/7.",
    ],
  ])('%s', (input, code, message) => {
    expect(parse(input)).toStrictEqual(refused(code, message));
  });
});

describe('GitLab self-managed under a base path', () => {
  const corp = project('g', 'p', 'code.example.org');

  it('reads the path after the base path, and ssh paths without it', () => {
    expect(parse('https://code.example.org/gitlab/g/p/-/merge_requests/2')).toStrictEqual(
      reading({ kind: 'pull-request', repo: corp, number: 2 }),
    );
    expect(parse('git@code.example.org:g/p.git')).toStrictEqual(reading(home(corp)));
  });

  it('names the instance with its base path in every message', () => {
    expect(parse('https://code.example.org/gitlab/')).toStrictEqual(
      refused(
        'not-a-repository',
        'https://code.example.org/gitlab is GitLab itself, not a project. Paste a project URL like https://code.example.org/gitlab/group/project.',
      ),
    );
    expect(parse('https://code.example.org/gitlab/help')).toStrictEqual(
      refused(
        'unsupported-page',
        'https://code.example.org/gitlab/help/… is a GitLab page, not a project. Open a project (https://code.example.org/gitlab/group/project) and try again.',
      ),
    );
    expect(parse('https://code.example.org/gitlab/g')).toStrictEqual(
      refused(
        'not-a-repository',
        'https://code.example.org/gitlab/g is a GitLab group or user, not a project. Open one of its projects and try again.',
      ),
    );
    expect(parse('https://code.example.org/gitlab/g/p/-/commit/zz')).toStrictEqual(
      refused(
        'invalid-sha',
        "Expected a commit id (7 to 40 hexadecimal digits) but found 'zz'. A commit link looks like https://code.example.org/gitlab/g/p/-/commit/1a2b3c4.",
      ),
    );
    expect(parse('https://code.example.org/gitlab/g/p/-/merge_requests/0')).toStrictEqual(
      refused(
        'invalid-number',
        "Expected a merge request number after 'merge_requests/' but found '0'. A merge request link looks like https://code.example.org/gitlab/g/p/-/merge_requests/12.",
      ),
    );
  });

  it('gets the /api/v4 API under its base path', () => {
    expect(registry.lookup('code.example.org', '/gitlab/g/p')?.apiBaseUrl).toBe(
      'https://code.example.org/gitlab/api/v4',
    );
    expect(registry.lookup('lab.example')?.apiBaseUrl).toBe('https://lab.example/api/v4');
  });
});

describe('GitLab page URLs', () => {
  const family = hostFamilies.gitlab;
  const entry = registry.lookup('gitlab.com');
  const corpEntry = registry.lookup('code.example.org', '/gitlab/g/p');
  if (entry === undefined || corpEntry === undefined) throw new Error('no entries');
  const deep = project('g/sub', 'p');

  it.each<[RepoContext, string, string]>([
    [
      { kind: 'pull-request', repo: gp, number: 3 },
      'https://gitlab.com/g/p/-/merge_requests/3',
      'https://gitlab.com/g/p/merge_requests/3',
    ],
    [
      { kind: 'pull-request', repo: gp, number: 3, tab: 'diffs' },
      'https://gitlab.com/g/p/-/merge_requests/3/diffs',
      'https://gitlab.com/g/p/merge_requests/3/diffs',
    ],
    [
      { kind: 'issue', repo: deep, number: 9 },
      'https://gitlab.com/g/sub/p/-/issues/9',
      'https://gitlab.com/g/sub/p/issues/9',
    ],
    [home(gp) as RepoContext, 'https://gitlab.com/g/p', 'https://gitlab.com/g/p'],
    [
      { kind: 'repository', repo: gp, revision: { type: 'default' }, page: 'commits' },
      'https://gitlab.com/g/p/-/commits',
      'https://gitlab.com/g/p/commits',
    ],
    [
      { kind: 'repository', repo: gp, revision: { type: 'commit', sha }, page: 'commit' },
      `https://gitlab.com/g/p/-/commit/${sha}`,
      `https://gitlab.com/g/p/commit/${sha}`,
    ],
    [
      { kind: 'repository', repo: gp, revision: { type: 'ref', name: 'v1 x', refType: 'tag' }, page: 'tag' },
      'https://gitlab.com/g/p/-/tags/v1%20x',
      'https://gitlab.com/g/p/-/tags/v1%20x',
    ],
    [
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'blob',
        path: { path: 'a.rb', kind: 'file' },
        lines: { start: 3, end: 9 },
      },
      'https://gitlab.com/g/p/-/blob/main/a.rb#L3-9',
      'https://gitlab.com/g/p/blob/main/a.rb#L3-9',
    ],
    [
      { kind: 'repository', repo: gp, revision: anyRef('main'), page: 'commits' },
      'https://gitlab.com/g/p/-/commits/main',
      'https://gitlab.com/g/p/commits/main',
    ],
    [
      {
        kind: 'repository',
        repo: gp,
        revision: anyRef('main'),
        page: 'tree',
        path: { path: 'a', kind: 'folder' },
      },
      'https://gitlab.com/g/p/-/tree/main/a',
      'https://gitlab.com/g/p/tree/main/a',
    ],
    // A project whose path reads like a legacy route gets a closing /-/ on its modern link.
    [
      home(project('g/p/tree', 'main')) as RepoContext,
      'https://gitlab.com/g/p/tree/main/-/',
      'https://gitlab.com/g/p/tree/main',
    ],
    [
      home(project('g/p', 'issues')) as RepoContext,
      'https://gitlab.com/g/p/issues/-/',
      'https://gitlab.com/g/p/issues',
    ],
    [home(project('g', 'tree')) as RepoContext, 'https://gitlab.com/g/tree', 'https://gitlab.com/g/tree'],
    [home(project('tree', 'x')) as RepoContext, 'https://gitlab.com/tree/x', 'https://gitlab.com/tree/x'],
    [
      home(project('g/x', 'tags')) as RepoContext,
      'https://gitlab.com/g/x/tags',
      'https://gitlab.com/g/x/tags',
    ],
  ])('%j → %s (legacy: %s)', (context, modern, legacy) => {
    expect(family.webUrl(context, entry)).toBe(modern);
    expect(family.webUrl(context, entry, { legacyRoute: false })).toBe(modern);
    expect(family.webUrl(context, entry, { legacyRoute: true })).toBe(legacy);
  });

  it('read back to the same project, modern and legacy', () => {
    const tricky = home(project('g/p/tree', 'main')) as RepoContext;
    const modern = parse(family.webUrl(tricky, entry));
    expect(modern).toStrictEqual(reading(tricky));
  });

  it('puts links and clone URLs of a self-managed instance under its base path', () => {
    const corp = project('g/sub', 'p', 'code.example.org');
    expect(family.webUrl({ kind: 'issue', repo: corp, number: 1 }, corpEntry)).toBe(
      'https://code.example.org/gitlab/g/sub/p/-/issues/1',
    );
    expect(family.cloneUrl(corp, corpEntry)).toBe('https://code.example.org/gitlab/g/sub/p.git');
  });
});

describe('GitLab page URLs of a commit on a tree page', () => {
  it('write the tree route, not the commit page', () => {
    const entry = registry.lookup('gitlab.com');
    if (entry === undefined) throw new Error('no entry');
    const context: RepoContext = {
      kind: 'repository',
      repo: gp,
      revision: { type: 'commit', sha },
      page: 'tree',
      path: { path: 'src', kind: 'folder' },
    };
    expect(hostFamilies.gitlab.webUrl(context, entry)).toBe(`https://gitlab.com/g/p/-/tree/${sha}/src`);
    expect(parse(hostFamilies.gitlab.webUrl(context, entry))).toStrictEqual(reading(context));
  });
});
