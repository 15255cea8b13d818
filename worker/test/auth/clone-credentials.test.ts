// When a workspace gets a one-time clone credential: only when git cannot clone the repository without the user's
// token. A table over the resolution's credentials, the host's word on visibility, and the kind of host.

import { describe, expect, it } from 'vitest';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import { needsCloneCredential } from '../../src/auth/clone-credentials.ts';

const registry = createHostRegistry([
  { hostname: 'ghe.corp.example', family: 'github' },
  { hostname: 'git.corp.example', family: 'gitlab' },
]);
const entry = (host: string) => {
  if (!registry.ok) throw new Error(registry.error);
  return registry.value.entries.find((e) => e.hostname === host);
};
const resolved = (host: string, visibility: ResolvedContext['visibility']): ResolvedContext => ({
  repo: { host, family: 'github', owner: 'o', name: 'r' },
  cloneUrl: `https://${host}/o/r.git`,
  webUrl: `https://${host}/o/r`,
  defaultBranch: 'main',
  sha: 'a'.repeat(40),
  ...(visibility !== undefined && { visibility }),
});

describe('needsCloneCredential', () => {
  it.each([
    ['a public repository, resolved with the user token', 'github.com', 'public', 'user', false],
    ['a private repository, resolved with the user token', 'github.com', 'private', 'user', true],
    ['a repository the host did not call public or private', 'github.com', undefined, 'user', true],
    ['a private repository resolved with the server token', 'github.com', 'private', 'server', false],
    ['a repository resolved anonymously', 'gitlab.com', 'public', 'anonymous', false],
    ['a public repository on self-managed GitLab', 'git.corp.example', 'public', 'user', false],
    // GitHub Enterprise Server in private mode asks for a sign-in even to clone public repositories.
    ['a public repository on GitHub Enterprise', 'ghe.corp.example', 'public', 'user', true],
  ] as const)('%s (%s)', (_what, host, visibility, credentials, expected) => {
    expect(needsCloneCredential(resolved(host, visibility), credentials, entry(host))).toBe(expected);
  });
});
