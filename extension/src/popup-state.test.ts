import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../../shared/context-url.ts';
import { defaultHostRegistry } from '../../shared/host-registry.ts';
import { contextSummary, popupWorkspace } from './popup-state.ts';

const summary = (url: string) => {
  const parsed = parseLaunchInput(url, defaultHostRegistry);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return contextSummary(parsed.value);
};

describe("the popup's words for a page", () => {
  it.each([
    ['https://github.com/o/r', { repo: 'o/r', at: 'default branch' }],
    ['https://github.com/o/r/pull/3', { repo: 'o/r', at: 'pull request #3' }],
    ['https://gitlab.com/g/sub/p/-/merge_requests/7', { repo: 'g/sub/p', at: 'merge request !7' }],
    ['https://github.com/o/r/issues/5', { repo: 'o/r', at: 'issue #5 (on a new branch)' }],
    ['https://github.com/o/r/commit/1a2b3c4d5e6f', { repo: 'o/r', at: 'commit 1a2b3c4' }],
    ['https://github.com/o/r/releases/tag/v1.0', { repo: 'o/r', at: 'tag v1.0' }],
    ['https://github.com/o/r/tree/feature/x/y', { repo: 'o/r', at: 'feature/x/y' }],
    ['https://gitlab.com/g/p/-/tree/dev', { repo: 'g/p', at: 'ref dev' }],
    ['https://github.com/o/r/blob/main/src/a.ts#L3-L9', { repo: 'o/r', at: 'main/src/a.ts:3-9' }],
  ])('%s', (url, expected) => {
    expect(summary(url)).toStrictEqual(expected);
  });
});

describe("a workspace of the launcher's list", () => {
  const launcher = 'https://launchpod.example';
  it('reads a running branch workspace with its Open on the launcher', () => {
    expect(
      popupWorkspace(
        {
          id: 'ws-1',
          phase: 'running',
          openUrl: '/workspaces/ws-1/open',
          context: {
            repo: 'o/r',
            host: 'github.com',
            ref: { name: 'main', type: 'branch' },
            sha: 'a'.repeat(40),
          },
        },
        launcher,
      ),
    ).toStrictEqual({
      id: 'ws-1',
      repo: 'o/r',
      at: 'branch main',
      phase: 'running',
      openUrl: 'https://launchpod.example/workspaces/ws-1/open',
      stoppable: true,
      restartable: false,
    });
  });

  it('says pull request or commit, offers no Stop when stopped, and never links off the launcher', () => {
    expect(
      popupWorkspace(
        {
          id: 'ws-2',
          phase: 'stopped',
          openUrl: 'https://evil.example/x',
          context: { repo: 'o/r', pullRequest: 4, ref: { name: 'fix', type: 'branch' } },
        },
        launcher,
      ),
    ).toStrictEqual({
      id: 'ws-2',
      repo: 'o/r',
      at: 'pull request #4',
      phase: 'stopped',
      stoppable: false,
      restartable: true,
    });
    expect(
      popupWorkspace({ id: 'ws-3', phase: 'failed', context: { sha: 'b'.repeat(40) } }, launcher)?.at,
    ).toBe('commit bbbbbbb');
    expect(
      popupWorkspace({ id: 'ws-4', phase: 'running', context: { repo: 'o/r', issue: 9 } }, launcher)?.at,
    ).toBe('issue #9');
    expect(
      popupWorkspace(
        { id: 'ws-5', phase: 'running', context: { repo: 'g/p', family: 'gitlab', pullRequest: 2 } },
        launcher,
      )?.at,
    ).toBe('merge request !2');
    expect(popupWorkspace({ id: '../x', phase: 'running' }, launcher)).toBeUndefined();
  });
});
