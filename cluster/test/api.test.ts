// The contract's endpoints as the launcher sees them: secret, validation, idempotent starts, capacity and score.

import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterDescription, WorkspaceList, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { type Harness, makeHarness, startRequest } from './cluster-harness.ts';
import { makeRepo, removeTempDirs, tempDir } from './git-fixtures.ts';

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.cluster.close()));
  removeTempDirs();
});

function setup(overrides = {}) {
  const harness = makeHarness(overrides);
  open.push(harness);
  const repo = makeRepo(tempDir());
  const sha = repo.git('rev-parse', 'HEAD');
  return { harness, repo, sha };
}

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['a wrong secret', 'wrong-secret-wrong-secret'],
    ['a secret of another length', 'x'],
  ])('answers 401 JSON for %s', async (_, secret) => {
    const { harness } = setup();
    const response =
      secret === undefined
        ? await harness.cluster.app.request('/v1/cluster')
        : await harness.call('GET', '/v1/cluster', undefined, secret);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(((await response.json()) as { message: string }).message).toMatch(/secret/);
  });

  it('protects every contract path', async () => {
    const { harness } = setup();
    for (const [method, path] of [
      ['GET', '/v1/workspaces'],
      ['POST', '/v1/workspaces'],
      ['GET', '/v1/workspaces/ws-1'],
      ['POST', '/v1/workspaces/ws-1/stop'],
    ] as const) {
      const response = await harness.cluster.app.request(path, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('start request validation', () => {
  it('answers 400 for a body that is not JSON', async () => {
    const { harness } = setup();
    const response = await harness.call('POST', '/v1/workspaces', '{not json');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/not JSON/);
  });

  it.each([
    ['a short sha', { context: { sha: 'abc' } }, /context\.sha.*40-character/],
    ['an id with a slash', { id: '../escape' }, /id:/],
    [
      'a branch that reads as an option',
      { context: { ref: { name: '--upload-pack=x', type: 'branch' } } },
      /ref\.name/,
    ],
    [
      'credentials in the clone URL',
      { cloneUrl: 'https://user:token@git.example.test/a.git' },
      /credentials/,
    ],
    ['an unsupported clone scheme', { cloneUrl: 'ext::sh -c touch% /tmp/pwned' }, /cloneUrl/],
    // Only network URLs: a local path would clone whatever the cluster's own disk holds.
    ['a file: clone URL', { cloneUrl: 'file:///var/lib/launchpod/snapshots/other.git' }, /cloneUrl/],
    ['a local path', { cloneUrl: '/etc/../var/lib/secret.git' }, /cloneUrl/],
    ['an ssh URL without a host', { cloneUrl: 'ssh:///srv/git/app.git' }, /cloneUrl/],
    ['a git+file transport', { cloneUrl: 'git+file:///srv/git/app.git' }, /cloneUrl/],
  ] as const)('answers 400 naming the field for %s', async (_, change, message) => {
    const { harness, repo, sha } = setup();
    const base = startRequest({ cloneUrl: repo.url, sha });
    const body = {
      ...base,
      ...('id' in change && { id: change.id }),
      context: {
        ...base.context,
        ...('context' in change && change.context),
        ...('cloneUrl' in change && { cloneUrl: change.cloneUrl }),
      },
    };
    const response = await harness.call('POST', '/v1/workspaces', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('refuses environment variables that change how programs load', async () => {
    const { harness, repo, sha } = setup();
    const body = startRequest({
      cloneUrl: repo.url,
      sha,
      extra: { env: [{ name: 'LD_PRELOAD', value: 'x.so' }] },
    });
    const response = await harness.call('POST', '/v1/workspaces', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/LD_PRELOAD/);
  });

  it('answers 413 for a body over the limit', async () => {
    const { harness } = setup();
    const response = await harness.call(
      'POST',
      '/v1/workspaces',
      JSON.stringify({ pad: 'x'.repeat(300_000) }),
    );
    expect(response.status).toBe(413);
  });
});

describe('workspaces', () => {
  it('starts, reports, lists and stops a workspace; a repeated start answers the same one', async () => {
    const { harness, repo, sha } = setup();
    const request = startRequest({
      cloneUrl: repo.url,
      sha,
      tasks: [{ name: 'serve', command: 'sleep 30' }],
    });

    const created = await harness.call('POST', '/v1/workspaces', request);
    expect(created.status).toBe(201);
    const first = (await created.json()) as WorkspaceStatus;
    expect(first).toMatchObject({
      id: request.id,
      phase: 'pending',
      url: `http://${request.id}.localhost:8788/`,
    });

    const again = await harness.call('POST', '/v1/workspaces', request);
    expect(again.status).toBe(200);
    expect(((await again.json()) as WorkspaceStatus).id).toBe(request.id);

    expect((await harness.waitFor(request.id, 'running')).phase).toBe('running');
    const list = (await (await harness.call('GET', '/v1/workspaces')).json()) as WorkspaceList;
    expect(list.workspaces.map((w) => w.id)).toEqual([request.id]);

    const stopped = await harness.call('POST', `/v1/workspaces/${request.id}/stop`, {});
    expect(stopped.status).toBe(200);
    expect(['stopping', 'stopped']).toContain(((await stopped.json()) as WorkspaceStatus).phase);
    expect((await harness.waitFor(request.id, 'stopped')).phase).toBe('stopped');
  });

  it('answers 404 JSON for an unknown workspace', async () => {
    const { harness } = setup();
    for (const [method, path] of [
      ['GET', '/v1/workspaces/ws-unknown'],
      ['POST', '/v1/workspaces/ws-unknown/stop'],
    ] as const) {
      const response = await harness.call(method, path);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toMatch(/ws-unknown/);
    }
  });

  it('describes itself, its score falling as capacity fills, and refuses starts beyond the cap with 503', async () => {
    const { harness, repo, sha } = setup({ maxWorkspaces: 2 });
    const description = async () =>
      (await (await harness.call('GET', '/v1/cluster')).json()) as ClusterDescription;
    expect(await description()).toMatchObject({
      name: 'test',
      region: 'local',
      state: 'available',
      score: 100,
      maxScore: 100,
    });

    const tasks = [{ command: 'sleep 30' }];
    const a = await harness.start(startRequest({ cloneUrl: repo.url, sha, tasks }));
    expect((await description()).score).toBe(50);
    const b = await harness.start(startRequest({ cloneUrl: repo.url, sha, tasks }));
    expect((await description()).score).toBe(0);

    const refused = await harness.call('POST', '/v1/workspaces', startRequest({ cloneUrl: repo.url, sha }));
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { message: string }).message).toMatch(/limit of 2/);
    // The cap counts workspaces, not requests: the same id is still answered.
    expect(
      (await harness.call('POST', '/v1/workspaces', startRequest({ cloneUrl: repo.url, sha, id: a.id })))
        .status,
    ).toBe(200);

    await harness.waitFor(a.id, 'running');
    await harness.call('POST', `/v1/workspaces/${a.id}/stop`, {});
    await harness.waitFor(a.id, 'stopped');
    expect((await description()).score).toBe(50);
    await harness.waitFor(b.id, 'running');
  });
});
