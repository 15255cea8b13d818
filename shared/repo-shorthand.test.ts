import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from './context-url.ts';
import { defaultHostRegistry } from './host-registry.ts';
import { expandRepoShorthand } from './repo-shorthand.ts';

describe('owner/repo shorthand', () => {
  it.each([
    ['octocat/Hello-World', 'https://github.com/octocat/Hello-World'],
    ['  my-org/repo.js \n', 'https://github.com/my-org/repo.js'],
    ['a/b', 'https://github.com/a/b'],
    ['octocat/Hello_World.git', 'https://github.com/octocat/Hello_World.git'],
  ])('reads %j as a GitHub repository', (input, url) => {
    expect(expandRepoShorthand(input)).toBe(url);
  });

  it.each([
    'https://gitlab.com/group/project',
    'github.com/octocat',
    'gitlab.com/group',
    'octocat/Hello-World/tree/main',
    'octocat/..',
    'octocat/.',
    '-octocat/repo',
    'just some words',
    'FOO=bar/https://github.com/o/r',
    '',
    `${'a'.repeat(40)}/repo`,
  ])('leaves %j for the URL grammar', (input) => {
    expect(expandRepoShorthand(input)).toBe(input);
  });

  it('expands only to GitHub, where the grammar opens the repository or says why not', () => {
    fc.assert(
      // Text made of the characters owners and names use, with the odd slash or dot: mostly shorthand-shaped.
      fc.property(fc.stringMatching(/^[A-Za-z0-9._/-]{0,50}$/), (input) => {
        const expanded = expandRepoShorthand(input);
        if (expanded === input) return;
        expect(expanded).toBe(`https://github.com/${input.trim()}`);
        const parsed = parseLaunchInput(expanded, defaultHostRegistry);
        // `settings/x` is one of GitHub's own pages: refused, saying so.
        if (!parsed.ok) expect(parsed.error.message, expanded).toContain('GitHub');
        else expect(parsed.value.context).toMatchObject({ kind: 'repository', repo: { host: 'github.com' } });
      }),
    );
  });
});
