import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitSafeBranchName, issueBranchName } from './issue-branch.ts';
import { propertyRuns } from './property-runs.ts';

describe('issue → branch name', () => {
  it.each([
    ['somefox', 42, 'Test issue web-extension', 'somefox/test-issue-web-extension-42'],
    ['somefox', 42, '', 'somefox/42'],
    ['SomeFox', 7, 'Fix crash', 'somefox/fix-crash-7'],
    ['octocat', 1347, 'Found a bug', 'octocat/found-a-bug-1347'],
    [
      'dev',
      3,
      'Add support for Bitbucket Server pull requests in the extension',
      'dev/add-support-for-bitbucket-server-3',
    ],
    ['dev', 12, 'v2.0: migrate 3 APIs (café edition)', 'dev/v-migrate-apis-caf-edition-12'],
    ['dev', 5, '日本語のタイトル', 'dev/5'],
    ['dev', 5, '!!!', 'dev/5'],
    ['a.lock', 9, 'x', 'a-/x-9'],
    ['.hidden', 9, 'x', 'hidden/x-9'],
    ['user..name', 9, 'x', 'user-name/x-9'],
    ['we ird~^:?*[\\', 9, 'x', 'we-ird-------/x-9'],
    ['-dash', 9, 'x', 'dash/x-9'],
    ['a@{b', 9, 'x', 'a-b/x-9'],
    // Words are added while the branch is at most 30 characters long: `dev/` and a 25-letter word make 30, so one
    // more word fits; a 26-letter word makes 31 and ends the list.
    ['dev', 3, 'abcdefghijklmnopqrstuvwxy next', 'dev/abcdefghijklmnopqrstuvwxy-next-3'],
    ['dev', 3, 'abcdefghijklmnopqrstuvwxyz next', 'dev/abcdefghijklmnopqrstuvwxyz-3'],
  ])('%s, #%i %j → %s', (user, number, title, expected) => {
    expect(issueBranchName(user, number, title)).toBe(expected);
  });

  it.each([
    ['', 'issue'],
    ['@', 'issue'],
    ['/', 'issue'],
    ['@@', '@@'],
    ['a//b', 'a/b'],
    ['/a/', 'a'],
    ['a/.b', 'a/-b'],
    ['a.', 'a-'],
    ['v1.2', 'v1.2'],
    ['a.lock', 'a-'],
    ['a.lock.lock', 'a-'],
    ['a.locksmith', 'a.locksmith'],
    ['a...b', 'a-b'],
    ['--+x', 'x'],
    ['a{b}c@d', 'a{b}c@d'],
  ])('gitSafeBranchName(%j) → %j', (name, expected) => {
    expect(gitSafeBranchName(name)).toBe(expected);
  });

  // What `git check-ref-format --branch` refuses, written independently of the implementation.
  const acceptedByGit = (name: string): boolean =>
    name !== '' &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: git refuses control characters.
    !/[\u0000-\u0020\u007f~^:?*[\\]/.test(name) &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.includes('//') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.startsWith('-') &&
    name !== '@' &&
    name.split('/').every((c) => !c.startsWith('.') && !c.endsWith('.lock'));

  it('always gives a name git accepts (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1e9 }), fc.string(), (user, number, title) => {
        expect(acceptedByGit(issueBranchName(user, number, title))).toBe(true);
      }),
      { numRuns: propertyRuns(3000) },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        expect(acceptedByGit(gitSafeBranchName(name))).toBe(true);
      }),
      { numRuns: propertyRuns(3000) },
    );
  });
});
