import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeHostData, history } from '../../../dev/fakes/model.ts';
import { samples } from '../../../dev/fakes/sample-data.ts';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { resolvers } from '../../src/hosts/resolvers.ts';
import { type Harness, setUp } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await setUp();
});
afterEach(() => h.fakes.restore());

const registry = createHostRegistry([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]);

const cases: { family: HostFamilyId; data: FakeHostData }[] = [
  { family: 'github', data: samples.github },
  { family: 'gitlab', data: samples.gitlab },
  { family: 'bitbucket-cloud', data: samples.bitbucketCloud },
  { family: 'bitbucket-server', data: samples.bitbucketServer },
];

describe.each(cases)('$family history', ({ family, data }) => {
  it('lists the commit and its ancestors, newest first, in one request', async () => {
    if (!registry.ok) throw new Error(registry.error);
    const repo = data.repos[0];
    const entry = registry.value.entries.find((e) => e.hostname === data.hostname);
    const resolver = resolvers[family];
    if (repo === undefined || entry === undefined || resolver.history === undefined) throw new Error('setup');
    const tip = repo.branches['deep/1/2/3/4'] ?? '';
    const ref = { host: data.hostname, family, owner: repo.owner, name: repo.name };
    const listed = await resolver.history(ref, tip, 100, entry, { kind: 'anonymous' }, { backoffMs: [0, 0] });
    expect(listed).toEqual({ ok: true, value: history(repo, tip, 100).map((c) => c.sha) });
    expect(listed.ok && listed.value).toHaveLength(4);
    expect(h.fakes.requests).toHaveLength(1);
    const missing = await resolver.history(
      { ...ref, name: 'no-such-repo' },
      tip,
      100,
      entry,
      { kind: 'anonymous' },
      { backoffMs: [0, 0] },
    );
    expect(missing.ok).toBe(false);
  });
});

describe('GitHub history with a token', () => {
  it('takes one GraphQL query', async () => {
    if (!registry.ok) throw new Error(registry.error);
    const repo = samples.github.repos[0];
    const entry = registry.value.entries.find((e) => e.hostname === 'github.com');
    const history_ = resolvers.github.history;
    if (repo === undefined || entry === undefined || history_ === undefined) throw new Error('setup');
    const tip = repo.branches['deep/1/2/3/4'] ?? '';
    const ref = { host: 'github.com', family: 'github' as const, owner: repo.owner, name: repo.name };
    const listed = await history_(
      ref,
      tip,
      100,
      entry,
      { kind: 'server', token: 'server-token' },
      { backoffMs: [0, 0] },
    );
    expect(listed).toEqual({ ok: true, value: history(repo, tip, 100).map((c) => c.sha) });
    expect(h.fakes.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['POST /graphql']);
    expect(h.fakes.requests[0]?.headers.get('authorization')).toBe('token server-token');
  });
});
