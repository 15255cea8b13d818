// The fake Gitea's web pages (the offline demo's button door): each page kind answers with the markup the extension
// reads — the inline config naming the sub-path, and the block its anchor table names for that kind — from the same
// model as the API; a private repository, an unknown page and a path outside the instance are not pages; every value
// is escaped.

import { describe, expect, it } from 'vitest';
import { fakeGitea } from './gitea.ts';
import type { FakeHostData } from './model.ts';
import { samples } from './sample-data.ts';

const ORIGIN = 'http://127.0.0.1:41234';
const data: FakeHostData = samples.gitea;
const serve = fakeGitea(data);
const get = async (path: string) => {
  const response = await serve(new Request(`${ORIGIN}${path}`));
  return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
};
const app = data.repos.find((r) => r.owner === 'platform' && r.name === 'node-app');

describe('the fake Gitea’s web pages', () => {
  it.each([
    ['the repository home', '/git/platform/node-app', 'class="repo-button-row"'],
    [
      'a file on a branch with slashes',
      '/git/platform/node-app/src/branch/feature/x/y/src/feature.js',
      'class="file-header-right file-actions"',
    ],
    ['a folder on a branch', '/git/platform/node-app/src/branch/main/src', 'class="repo-button-row"'],
    ['a pull request', '/git/platform/node-app/pulls/2', 'class="issue-title-buttons"'],
    ['a pull request at its issue address', '/git/platform/node-app/issues/2', 'class="issue-title-buttons"'],
    ['an issue', '/git/platform/node-app/issues/4', 'class="issue-title-buttons"'],
  ])('%s: Gitea’s config with the sub-path, the header and the anchor block', async (_, path, anchor) => {
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.html).toContain("appSubUrl: '\\/git',");
    expect(page.html).toContain(`appUrl: 'http:\\/\\/127.0.0.1:41234\\/git\\/',`);
    expect(page.html).toContain('<div class="repo-header">');
    expect(page.html).toContain(anchor);
  });

  it('shows a file’s text, a commit, and links the branches, pulls and issues it has', async () => {
    const file = await get('/git/platform/node-app/src/branch/feature/x/y/src/feature.js');
    const sha = app?.branches['feature/x/y'] ?? '';
    const text = app?.commits[sha]?.files['src/feature.js'] ?? '';
    expect(text).not.toBe('');
    expect(file.html).toContain(
      text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
    );
    expect(file.html).toContain('href="/git/platform/node-app/src/branch/feature/x/y"');
    const commit = await get(`/git/platform/node-app/commit/${sha}`);
    expect(commit.status).toBe(200);
    expect(commit.html).toContain('class="commit-header-buttons"');
    const pulls = await get('/git/platform/node-app/pulls');
    expect(pulls.html).toContain('href="/git/platform/node-app/pulls/2"');
    const explore = await get('/git/');
    expect(explore.html).toContain('href="/git/platform/node-app"');
    expect(explore.html).not.toContain('private-app');
  });

  it.each([
    ['a private repository', '/git/platform/private-app'],
    ['an unknown repository', '/git/platform/nope'],
    ['an unknown branch', '/git/platform/node-app/src/branch/nope/README.md'],
    ['a pull request that does not exist', '/git/platform/node-app/pulls/99'],
    ['an issue number at the pulls address', '/git/platform/node-app/pulls/4'],
    ['a path outside the instance', '/platform/node-app'],
  ])('%s is not a page (the API’s 404)', async (_, path) => {
    const page = await get(path);
    expect(page.status).toBe(404);
    expect(page.html).not.toContain('<html');
  });

  it('escapes every value it shows', async () => {
    const hostile: FakeHostData = {
      ...data,
      repos: data.repos.map((r) =>
        r === app
          ? {
              ...r,
              issues: [{ number: 9, title: '<img src=x onerror=alert(1)>', author: 'x', state: 'open' }],
            }
          : r,
      ),
    };
    const response = await fakeGitea(hostile)(new Request(`${ORIGIN}/git/platform/node-app/issues/9`));
    const html = await response.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});
