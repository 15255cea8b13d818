// Which file a launch follows — `.gitpod.yml` or `devcontainer.json` — as the start page and the resolve API say it,
// against the fake GitHub's sample repositories.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { DEVCONTAINER_JSON, samples } from '../../dev/fakes/sample-data.ts';
import { createApp } from '../src/app.ts';
import { chooseConfig } from '../src/config-files.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });
const OWNER = 'lp_owner=anon-00000000-0000-4000-8000-000000000001';
let fakes: FakeHosts;
let testEnv: Env;

beforeEach(async () => {
  const eu = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: 'eu-secret-0123456789',
    origin: 'https://eu.cluster.test',
  });
  fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(samples.github),
    'https://eu.cluster.test': eu.handler,
  });
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'eu-secret-0123456789' }),
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  await env.DB.exec('DELETE FROM rate_limits');
});

afterEach(() => fakes.restore());

async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

interface ResolveBody {
  readonly config: {
    readonly file: { kind: string; path?: string; why: string; notes: string[] };
    readonly image: unknown;
    readonly tasks: unknown;
    readonly ports: unknown;
  };
}

const resolve = async (url: string, options: Record<string, string> = {}) => {
  const response = await call('/api/v1/resolve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: OWNER, origin: ORIGIN },
    body: JSON.stringify({ url, options }),
  });
  return { status: response.status, body: (await response.json()) as ResolveBody };
};

describe('devcontainer.json on the launch path', () => {
  it('launches a repository with only devcontainer.json from it: image, postCreateCommand as init, its port', async () => {
    const { status, body } = await resolve('https://github.com/launchpod-samples/devcontainer-app');
    expect(status).toBe(200);
    const config = body.config;
    expect(config.file).toMatchObject({ kind: 'devcontainer', path: '.devcontainer/devcontainer.json' });
    expect(config.image).toEqual({ kind: 'image', name: 'node:20' });
    expect(config.tasks).toEqual([
      expect.objectContaining({
        name: 'node-app (dev container)',
        init: expect.stringContaining('echo created by postCreateCommand > .post-create-ran'),
        command: expect.stringContaining('node src/server.js'),
      }),
    ]);
    expect(config.ports).toEqual([
      expect.objectContaining({ port: 3000, onOpen: 'open-preview', name: 'App' }),
    ]);

    const page = await (await call('/https://github.com/launchpod-samples/devcontainer-app')).text();
    expect(page).toContain('.devcontainer/devcontainer.json: 1 task, 1 port');
    expect(page).toContain("(used because it is the repository's only workspace configuration)");
  });

  it('uses .gitpod.yml when both exist, and says why and how the repository can pick the other', async () => {
    const { body } = await resolve('https://github.com/launchpod-samples/both-configs');
    const file = body.config.file;
    expect(file).toMatchObject({ kind: 'gitpod-yml', path: '.gitpod.yml' });
    expect(file.why).toContain('has both');
    expect(file.notes).toEqual([
      expect.stringContaining('"customizations": { "launchpod": { "preferred": true } }'),
    ]);
  });

  it('shows a devcontainer.json mistake with its file, line and column', async () => {
    const response = await call('/https://github.com/launchpod-samples/invalid-devcontainer');
    const html = await response.text();
    expect(response.status).toBe(422);
    expect(html).toContain('.devcontainer/devcontainer.json has a mistake at line 4, column 3');
    expect(html).toContain('did you mean &quot;postCreateCommand&quot;?');
    expect(html).toContain('/blob/');
  });

  it('opens a named configuration the link asks for, and says when there is none', async () => {
    const missing = await resolve('https://github.com/launchpod-samples/devcontainer-app', {
      devcontainer: 'python',
    });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toContain('no .devcontainer/python/devcontainer.json');
  });
});

describe('the choice between the files', () => {
  const dc = (extra = '') => ({ path: '.devcontainer/devcontainer.json', text: `{ "image": "x"${extra} }` });
  const chosen = (...args: Parameters<typeof chooseConfig>) => {
    const result = chooseConfig(...args);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value.choice;
  };

  it('prefers a devcontainer.json that asks for it, and names the file left aside', () => {
    const choice = chosen('tasks: []\n', [dc(', "customizations": { "launchpod": { "preferred": true } }')]);
    expect(choice).toMatchObject({ kind: 'devcontainer', why: expect.stringContaining('preferred') });
    expect(choice.notes).toContain('.gitpod.yml is not used: .devcontainer/devcontainer.json is preferred.');
  });

  it('never fails a launch over a devcontainer.json it does not use, but mentions its mistake', () => {
    const choice = chosen('tasks: []\n', [{ path: '.devcontainer.json', text: '{ "image": 1 }' }]);
    expect(choice.kind).toBe('gitpod-yml');
    expect(choice.notes[0]).toContain('.devcontainer.json is not used, and has mistakes (line 1');
  });

  it('takes .devcontainer/devcontainer.json before .devcontainer.json', () => {
    const choice = chosen(null, [dc(), { path: '.devcontainer.json', text: DEVCONTAINER_JSON }]);
    expect(choice).toMatchObject({ kind: 'devcontainer', path: '.devcontainer/devcontainer.json' });
    expect(choice.notes).toContain(
      '.devcontainer.json is not used: .devcontainer/devcontainer.json comes first.',
    );
  });
});
