// What a newcomer meets on the launcher's pages: an icon in the tab, a paste box that takes `owner/repo`, a GitLab
// merge request called by its name, a region that does not exist said so (the launch goes on), and — on a launcher
// running on this machine — the offline demo offered when a git host does not answer.

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { fakeGitLab } from '../../dev/fakes/gitlab.ts';
import { samples } from '../../dev/fakes/sample-data.ts';
import { createApp } from '../src/app.ts';
import { stylesheet } from '../src/pages/styles.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';

const ORIGIN = 'https://launchpod.test';
const FRANKFURT = { latitude: '50.11', longitude: '8.68', continent: 'EU' };
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });
const repo = 'launchpod-samples/node-app';
const mergeRequest = 'https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2';

let fakes: FakeHosts;
let testEnv: Env;

function clusters() {
  const eu = fakeCluster({
    name: 'eu-1',
    region: 'europe',
    secret: 'eu-secret-0123456789',
    origin: 'https://eu.cluster.test',
  });
  const us = fakeCluster({
    name: 'us-1',
    region: 'north-america',
    secret: 'us-secret-0123456789',
    origin: 'https://us.cluster.test',
  });
  return { 'https://eu.cluster.test': eu.handler, 'https://us.cluster.test': us.handler };
}

beforeEach(async () => {
  fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(samples.github),
    'https://gitlab.com': fakeGitLab(samples.gitlab),
    ...clusters(),
  });
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: '[]',
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
      {
        name: 'us-1',
        baseUrl: 'https://us.cluster.test',
        region: 'north-america',
        latitude: 39,
        longitude: -77.5,
      },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': 'eu-secret-0123456789', 'us-1': 'us-secret-0123456789' }),
  };
  const keys = await env.CACHE.list();
  await Promise.all(keys.keys.map((k) => env.CACHE.delete(k.name)));
  await env.DB.exec('DELETE FROM workspaces');
  await env.DB.exec('DELETE FROM rate_limits');
});

afterEach(() => fakes.restore());

async function call(path: string, init: RequestInit = {}, environment = testEnv) {
  const ctx = createExecutionContext();
  const url = `${new URL(environment.LAUNCHER_ORIGIN).origin}${path}`;
  const response = await app.fetch(
    new Request(url, { cf: FRANKFURT, ...init } as RequestInit),
    environment,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const resolve = (body: unknown) =>
  call('/api/v1/resolve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
  });

describe('the look of the pages', () => {
  it('serves an icon, linked from every page and where browsers ask for it on their own', async () => {
    expect(await (await call('/')).text()).toContain(
      '<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>',
    );
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const response = await call(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml');
      expect(await response.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it('has a rule for every class the landing page uses: its screen-reader label is not drawn', async () => {
    const html = await (await call('/')).text();
    const classes = new Set([...html.matchAll(/class="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(' ')));
    expect(classes).toContain('visually-hidden');
    for (const name of classes) expect(stylesheet, `.${name}`).toMatch(new RegExp(`\\.${name}\\b`));
    expect(stylesheet).toMatch(/\.visually-hidden \{[^}]*clip-path: inset\(50%\)/);
  });
});

describe('owner/repo, as the extension’s omnibox takes it', () => {
  it('opens the GitHub repository from the landing page’s box', async () => {
    const response = await call(`/start?url=${encodeURIComponent(repo)}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(`<a href="https://github.com/${repo}">${repo}</a> on github.com`);
    // The page's script starts the workspace from the full URL.
    expect(html).toContain(`"url":"https://github.com/${repo}"`);
    expect(await (await call('/')).text()).toContain('<code>owner/repo</code> for GitHub');
  });

  it('makes badges for it on the badge page', async () => {
    const html = await (await call(`/badge?url=${encodeURIComponent(repo)}`)).text();
    expect(html).toContain(`(${ORIGIN}/#https://github.com/${repo})`);
  });

  it('still refuses owner/repo/more, naming what to paste', async () => {
    const html = await (await call(`/start?url=${encodeURIComponent(`${repo}/tree`)}`)).text();
    expect(html).toContain('is not a URL. Paste the full address of a repository');
  });
});

describe('a host’s own words', () => {
  it('calls a GitLab merge request a merge request, numbered !n', async () => {
    const html = await (await call(`/start?url=${encodeURIComponent(mergeRequest)}`)).text();
    expect(html).toContain('<dt>Merge request</dt><dd>!2 ');
    expect(html).not.toContain('Pull request');
  });

  it('calls a GitHub pull request a pull request, numbered #n', async () => {
    const html = await (
      await call(`/start?url=${encodeURIComponent(`https://github.com/${repo}/pull/2`)}`)
    ).text();
    expect(html).toContain('<dt>Pull request</dt><dd>#2 Fix a typo');
  });
});

describe('?region=', () => {
  it('says which regions exist when the asked one does not, and still starts on the nearest', async () => {
    const html = await (
      await call(`/start?url=${encodeURIComponent(`https://github.com/${repo}`)}&region=mars`)
    ).text();
    expect(html).toContain(
      'There is no region &quot;mars&quot;: the regions here are &quot;europe&quot;, &quot;north-america&quot;. The workspace starts on eu-1 (europe) instead.',
    );
    expect(html).toContain('"autostart":true');
    expect(html).not.toContain('Ignored the option');
    const api = (await (
      await resolve({ url: `https://github.com/${repo}`, options: { region: 'mars' } })
    ).json()) as {
      regionNotice?: string;
      clusters: { name: string }[];
    };
    expect(api.regionNotice).toContain('There is no region "mars"');
    expect(api.clusters[0]?.name).toBe('eu-1');
  });

  it('says nothing when the region asked for is honoured', async () => {
    const html = await (
      await call(`/start?url=${encodeURIComponent(`https://github.com/${repo}`)}&region=north-america`)
    ).text();
    expect(html).toContain('us-1 (north-america)');
    expect(html).not.toContain('region &quot;');
  });
});

describe('a git host that does not answer', () => {
  const offline = () => {
    fakes.restore();
    fakes = installFakeHosts({
      'https://api.github.com': () => {
        throw new TypeError('Network connection lost.');
      },
      ...clusters(),
    });
  };

  it('says there is no connection, and on a launcher on this machine offers the offline demo', async () => {
    offline();
    const local = { ...testEnv, LAUNCHER_ORIGIN: 'http://localhost:8787' };
    const response = await call(`/start?url=${encodeURIComponent(`https://github.com/${repo}`)}`, {}, local);
    const html = await response.text();
    expect(response.status).toBe(502);
    expect(html).toContain('GitHub is not answering');
    expect(html).toContain('API failed 3 times (no connection).');
    expect(html).toContain('“npm run demo” (or “npm start -- --demo”) runs Launchpod offline');
  });

  it('never offers the demo to the visitors of a deployed launcher', async () => {
    offline();
    const html = await (await call(`/start?url=${encodeURIComponent(`https://github.com/${repo}`)}`)).text();
    expect(html).toContain('GitHub is not answering');
    expect(html).not.toContain('npm run demo');
  });
});
