// Behaviour of the prefix modifiers the mutation run (docs/mutation-testing.md) found unasserted: a host name as long
// as a modifier name, starting with its letter, is still a host.
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from './context-url.ts';
import { defaultHostRegistry } from './host-registry.ts';

const unknownHost = (host: string) => ({
  ok: false,
  error: {
    code: 'unknown-host',
    message: `${host} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
  },
});

describe('modifier names', () => {
  it.each([
    ['invent.org', 'imagebuild'],
    ['orchestra.dev', 'open-prebuild'],
    ['sail.dev', 'snapshot'],
  ])('%s, as long as %s, is read as a host', (host) => {
    expect(parseLaunchInput(`${host}/o/r`, defaultHostRegistry)).toStrictEqual(unknownHost(host));
  });
});
