// Every host family has every piece, and every piece keeps the invariants all families share: the grammar never
// throws and its links round-trip (page URL and launch link), the resolver answers every context kind the grammar
// yields against the family's fake, webhook signatures match their test vectors and the fake's own deliveries are
// read back as the push they were. A new family fails here until all of it exists. (Anchors on fixture pages:
// extension/test/family-conformance.test.ts.)

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFamilies } from '../../dev/fakes/families.ts';
import type { FakeHostData, FakeRepo } from '../../dev/fakes/model.ts';
import { sampleFamilies, samples } from '../../dev/fakes/sample-data.ts';
import { bundledAnchorTable } from '../../extension/src/hosts/bundled.ts';
import { familyPages } from '../../extension/src/hosts/family-pages.ts';
import { parseLaunchInput } from '../../shared/context-url.ts';
import {
  createHostRegistry,
  type HostConfig,
  type HostRegistry,
  hostFamilies,
} from '../../shared/host-registry.ts';
import { HOST_FAMILY_IDS, type HostFamilyId } from '../../shared/hosts/family-ids.ts';
import type { HostEntry, RepoContext } from '../../shared/hosts/host-family.ts';
import type { GitContext, RepoRef } from '../../shared/launch-request.ts';
import { parseLaunchUrl, toLaunchUrl } from '../../shared/launch-url.ts';
import { signInFamilies } from '../src/auth/providers.ts';
import { resolvers } from '../src/hosts/resolvers.ts';
import { webhookFamilies } from '../src/prebuilds/webhook-families.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const LAUNCHER = 'https://launchpod.test';

interface FamilySetup {
  readonly data: FakeHostData;
  readonly entry: HostEntry;
  readonly registry: HostRegistry;
  readonly fakeOrigin: string;
}

/** Every sample host of the family (built in, self-hosted, under a sub-path), each with its API at the fake. */
function setUps(family: HostFamilyId): FamilySetup[] {
  const keys = (Object.keys(sampleFamilies) as (keyof typeof samples)[]).filter(
    (k) => sampleFamilies[k] === family,
  );
  if (keys.length === 0) throw new Error(`no sample host of family ${family} in dev/fakes/sample-data.ts`);
  return keys.map((key) => setUp(family, samples[key]));
}

function setUp(family: HostFamilyId, data: FakeHostData): FamilySetup {
  const fakeOrigin = `https://fake-${family}.launchpod.test`;
  const config: HostConfig = {
    hostname: data.hostname,
    family,
    apiBaseUrl: fakeFamilies[family].apiBaseUrl(fakeOrigin, data),
    ...(data.basePath !== undefined && { basePath: data.basePath }),
  };
  const made = createHostRegistry([config]);
  if (!made.ok) throw new Error(made.error);
  const entry = made.value.lookup(data.hostname, data.basePath);
  if (entry === undefined) throw new Error(`${data.hostname} did not register`);
  return { data, entry, registry: made.value, fakeOrigin };
}

function mainRepo(data: FakeHostData): FakeRepo {
  const repo = data.repos.find((r) => r.name === 'node-app' && r.forkOf === undefined);
  if (repo === undefined) throw new Error('the sample host has no node-app');
  return repo;
}

interface KindCase {
  readonly name: string;
  readonly context: RepoContext;
  readonly sha: string;
}

/** One context of each kind the grammars yield, built from the sample repository. */
function kindCases(entry: HostEntry, repo: FakeRepo, data: FakeHostData): KindCase[] {
  const ref: RepoRef = { host: entry.hostname, family: entry.family, owner: repo.owner, name: repo.name };
  const main = repo.branches[repo.defaultBranch] ?? '';
  const feature = repo.branches['feature/x/y'] ?? '';
  const pull2 = repo.pulls.find((p) => p.number === 2);
  const fork = data.repos.find((r) => `${r.owner}/${r.name}` === pull2?.headRepo);
  const cases: KindCase[] = [
    {
      name: 'repository',
      context: { kind: 'repository', repo: ref, revision: { type: 'default' }, page: 'repo' },
      sha: main,
    },
    {
      name: 'branch with slashes and a file',
      context: {
        kind: 'repository',
        repo: ref,
        revision: { type: 'ref', name: 'feature/x/y', refType: 'branch' },
        page: 'blob',
        path: { path: 'src/feature.js', kind: 'file' },
        lines: { start: 1, end: 1 },
      },
      sha: feature,
    },
    {
      name: 'tag',
      context: {
        kind: 'repository',
        repo: ref,
        revision: { type: 'ref', name: 'v1.0.0', refType: 'tag' },
        page: 'tree',
      },
      sha: repo.tags['v1.0.0'] ?? '',
    },
    {
      name: 'commit',
      context: { kind: 'repository', repo: ref, revision: { type: 'commit', sha: main }, page: 'commit' },
      sha: main,
    },
    { name: 'pull request', context: { kind: 'pull-request', repo: ref, number: 1 }, sha: feature },
    {
      name: 'pull request from a fork',
      context: { kind: 'pull-request', repo: ref, number: 2 },
      sha: fork?.branches['fix/typo'] ?? 'no fork',
    },
    { name: 'issue', context: { kind: 'issue', repo: ref, number: 4 }, sha: main },
  ];
  return cases.filter((c) => hostFamilies[entry.family].contextKinds.includes(c.context.kind));
}

let fakes: FakeHosts | undefined;
afterEach(() => {
  fakes?.restore();
  fakes = undefined;
});

describe.each(HOST_FAMILY_IDS)('family %s', (family) => {
  it('has every piece, each registered under its own id', () => {
    expect(hostFamilies[family]?.id).toBe(family);
    expect(resolvers[family]).toBeDefined();
    expect(webhookFamilies[family]).toBeDefined();
    expect(signInFamilies[family]?.label).not.toBe('');
    expect(familyPages[family]?.family).toBe(family);
    expect(bundledAnchorTable.families[family]?.length).toBeGreaterThan(0);
    expect(fakeFamilies[family]).toBeDefined();
    expect(() => setUps(family)).not.toThrow();
  });

  it('never throws on any path, query or fragment', () => {
    for (const { entry, registry } of setUps(family)) {
      const site = entry.origin + entry.basePath;
      fc.assert(
        fc.property(fc.webPath(), fc.webQueryParameters(), fc.webFragments(), (path, query, fragment) => {
          const input = `${site}${path}${query === '' ? '' : `?${query}`}${fragment === '' ? '' : `#${fragment}`}`;
          expect(() => parseLaunchInput(input, registry)).not.toThrow();
        }),
        { numRuns: 300 },
      );
    }
  });

  it('reads each page URL it writes back to the same page, and each launch link to the same request', () => {
    const grammar = hostFamilies[family];
    for (const { entry, registry, data } of setUps(family))
      for (const c of kindCases(entry, mainRepo(data), data)) {
        const web = grammar.webUrl(c.context, entry);
        const parsed = parseLaunchInput(web, registry);
        expect(
          parsed.ok ? grammar.webUrl(parsed.value.context as RepoContext, entry) : parsed.error,
          c.name,
        ).toBe(web);
        if (!parsed.ok) continue;
        expect(parsed.value.context.kind, c.name).toBe(c.context.kind);
        const link = toLaunchUrl(LAUNCHER, parsed.value, registry);
        expect(link.ok, c.name).toBe(true);
        const back = link.ok ? parseLaunchUrl(link.value, registry) : undefined;
        expect(back?.ok && back.value.request.context, c.name).toEqual(parsed.value.context);
      }
  });

  it('resolves every context kind against its fake host', async () => {
    for (const { entry, registry, data, fakeOrigin } of setUps(family)) {
      fakes?.restore();
      fakes = installFakeHosts({ [fakeOrigin]: fakeFamilies[family].api(data) });
      for (const c of kindCases(entry, mainRepo(data), data)) {
        const parsed = parseLaunchInput(hostFamilies[family].webUrl(c.context, entry), registry);
        if (!parsed.ok) throw new Error(`${c.name}: ${parsed.error.message}`);
        const resolved = await resolvers[family].resolve({
          context: parsed.value.context as Exclude<GitContext, { kind: 'snapshot' }>,
          alternatives: parsed.value.alternatives,
          entry,
          credentials: { kind: 'anonymous' },
          http: { backoffMs: [0, 0] },
        });
        if (!resolved.ok) throw new Error(`${c.name}: ${resolved.error.message}`);
        expect(resolved.value.sha, c.name).toBe(c.sha);
        if (c.context.kind === 'pull-request')
          expect(resolved.value.pullRequest?.headSha, c.name).toBe(c.sha);
        if (c.name === 'pull request from a fork') expect(resolved.value.pullRequest?.fromFork).toBe(true);
        if (c.context.kind === 'issue') expect(resolved.value.issue?.branch, c.name).toBeTruthy();
        if (c.context.kind === 'repository' && c.context.path !== undefined)
          expect(resolved.value.path?.path, c.name).toBe(c.context.path.path);
      }
    }
  });

  it('checks webhook signatures against its test vectors', async () => {
    const webhooks = webhookFamilies[family];
    expect(webhooks.signatureVectors.some((v) => v.valid)).toBe(true);
    expect(webhooks.signatureVectors.some((v) => !v.valid)).toBe(true);
    for (const vector of webhooks.signatureVectors) {
      const body = new TextEncoder().encode(vector.body).buffer as ArrayBuffer;
      const check = await webhooks.verify(vector.secret, new Headers(vector.headers), body);
      expect(check.ok, JSON.stringify(vector)).toBe(vector.valid);
    }
  });

  it('accepts and reads a push as its fake host delivers it, and refuses it under another secret', async () => {
    const [first] = setUps(family);
    if (first === undefined) throw new Error(`no sample host of family ${family}`);
    const repo = mainRepo(first.data);
    const sha = repo.branches['feature/x/y'] ?? '';
    const delivery = await fakeFamilies[family].pushDelivery('conformance-secret', {
      owner: repo.owner,
      name: repo.name,
      branch: 'feature/x/y',
      sha,
      defaultBranch: repo.defaultBranch,
      private: false,
      delivery: 'delivery-1',
    });
    const webhooks = webhookFamilies[family];
    const body = new TextEncoder().encode(delivery.body).buffer as ArrayBuffer;
    const headers = new Headers(delivery.headers);
    expect(await webhooks.verify('conformance-secret', headers, body)).toEqual({ ok: true });
    expect((await webhooks.verify('another-secret', headers, body)).ok).toBe(false);
    expect(webhooks.deliveryId(headers, JSON.parse(delivery.body))).toBe('delivery-1');
    expect(webhooks.read(headers, JSON.parse(delivery.body))).toEqual({
      kind: 'triggers',
      triggers: [{ kind: 'push', branch: 'feature/x/y', sha }],
    });
    expect(webhooks.visibility(JSON.parse(delivery.body))).toBe('public');
  });
});
