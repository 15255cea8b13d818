import { describe, expect, it } from 'vitest';
import { DEFAULT_GITHUB_PREBUILDS } from '../../../shared/gitpod-config.ts';
import { branchMatches, type Project } from '../../src/prebuilds/projects.ts';

const project = (over: Partial<Project>): Project => ({
  id: 'prj-1',
  repo: { host: 'github.com', family: 'github', owner: 'o', name: 'r' },
  repoKey: 'github.com/o/r',
  sealedWebhookSecret: 'secret-0123456789',
  branchStrategy: 'default-branch',
  branchGlobs: [],
  pullRequests: true,
  pullRequestsFromForks: false,
  commitInterval: 0,
  visibility: 'public',
  createdAt: 0,
  ...over,
});
const noLegacy = { inFile: false, prebuilds: DEFAULT_GITHUB_PREBUILDS };

describe('branch triggers', () => {
  it.each([
    ['default-branch', [], 'main', true],
    ['default-branch', [], 'feature/x', false],
    ['all-branches', [], 'feature/x', true],
    ['matched-branches', ['release/*'], 'release/1.0', true],
    ['matched-branches', ['release/*'], 'team/release/2', true],
    ['matched-branches', ['release/*'], 'release/1.0/hotfix', false],
    ['matched-branches', ['feat-*', 'fix/**'], 'fix/a/b', true],
    ['matched-branches', ['feat-*'], 'main', true],
  ] as const)('%s %j: %s → %s', (strategy, globs, branch, expected) => {
    const result = branchMatches(
      project({ branchStrategy: strategy, branchGlobs: globs }),
      branch,
      'main',
      noLegacy,
    );
    expect(result.ok).toBe(expected);
  });

  it("honours .gitpod.yml's legacy github.prebuilds keys", () => {
    const p = project({});
    const legacy = (over: Partial<typeof DEFAULT_GITHUB_PREBUILDS>) => ({
      inFile: true,
      prebuilds: { ...DEFAULT_GITHUB_PREBUILDS, ...over },
    });
    expect(branchMatches(p, 'main', 'main', legacy({ master: false }))).toMatchObject({ ok: false });
    expect(branchMatches(p, 'feature/x', 'main', legacy({ branches: true })).ok).toBe(true);
    expect(branchMatches(p, 'feature/x', 'main', legacy({})).ok).toBe(false);
  });
});
