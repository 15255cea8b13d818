// Keeps the hostile review's findings fixed: generated launch inputs, returnTo values, webhook deliveries and API
// bodies, thrown at the whole launcher inside workerd. Whatever comes in: never an off-origin redirect, never input
// rendered as markup, never a 5xx. Bounded (a few hundred cases per property, well under a minute in all).

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBitbucketCloud } from '../../dev/fakes/bitbucket-cloud.ts';
import { fakeBitbucketServer } from '../../dev/fakes/bitbucket-server.ts';
import { type FakeCluster, fakeCluster } from '../../dev/fakes/cluster.ts';
import { fakeGitHub } from '../../dev/fakes/github.ts';
import { fakeGitLab } from '../../dev/fakes/gitlab.ts';
import { samples } from '../../dev/fakes/sample-data.ts';
import { EVENT_HEADERS, signEvent } from '../../shared/cluster-contract.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { createApp } from '../src/app.ts';
import { type FakeHosts, installFakeHosts } from './fake-hosts.ts';
import { ADMIN_TOKEN, hmacHex, TOKEN_KEY } from './prebuilds/harness.ts';

const ORIGIN = 'https://launchpod.test';
const SECRET = 'eu-secret-0123456789';
const app = createApp({ backoffMs: [0, 0], clusterTimeoutMs: 1000 });
const RUNS = { numRuns: 150 } as const;

let eu: FakeCluster;
let fakes: FakeHosts;
let testEnv: Env;
/** One client address per request, so the rate limits (a 429, which is fine) do not hide the code behind them. */
let clientIp = 0;
const projects: Partial<Record<HostFamilyId, { id: string; secret: string }>> = {};

beforeAll(async () => {
  eu = fakeCluster({ name: 'eu-1', region: 'europe', secret: SECRET, origin: 'https://eu.cluster.test' });
  fakes = installFakeHosts({
    'https://api.github.com': fakeGitHub(samples.github),
    'https://gitlab.com': fakeGitLab(samples.gitlab),
    'https://api.bitbucket.org': fakeBitbucketCloud(samples.bitbucketCloud),
    'https://bitbucket.launchpod.test': fakeBitbucketServer(samples.bitbucketServer),
    'https://eu.cluster.test': eu.handler,
  });
  testEnv = {
    ...env,
    LAUNCHER_ORIGIN: ORIGIN,
    BRAND_NAME: 'Launchpod',
    HOSTS: JSON.stringify([{ hostname: 'bitbucket.launchpod.test', family: 'bitbucket-server' }]),
    CLUSTERS: JSON.stringify([
      { name: 'eu-1', baseUrl: 'https://eu.cluster.test', region: 'europe', latitude: 50.1, longitude: 8.7 },
    ]),
    CLUSTER_SECRETS: JSON.stringify({ 'eu-1': SECRET }),
    ADMIN_TOKEN,
    TOKEN_KEYS: JSON.stringify({ k1: TOKEN_KEY }),
    TOKEN_KEY_CURRENT: 'k1',
    SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
    OAUTH_CLIENTS: '{}',
    PREBUILDS: { send: async () => {}, sendBatch: async () => {} } as unknown as Queue,
  };
  for (const table of ['workspaces', 'projects', 'webhook_deliveries', 'rate_limits', 'sessions'])
    await env.DB.exec(`DELETE FROM ${table}`);
  for (const [family, repoUrl] of [
    ['github', 'https://github.com/launchpod-samples/node-app'],
    ['gitlab', 'https://gitlab.com/launchpod-samples/platform/backend/node-app'],
    ['bitbucket-cloud', 'https://bitbucket.org/launchpod-samples/node-app'],
    ['bitbucket-server', 'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app'],
  ] as const) {
    const created = await send('/api/v1/admin/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ repoUrl }),
    });
    const body = (await created.json()) as { id: string; webhookSecret: string };
    projects[family] = { id: body.id, secret: body.webhookSecret };
  }
});

afterAll(() => fakes.restore());

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  clientIp++;
  headers.set('cf-connecting-ip', `198.18.${(clientIp >> 8) & 255}.${clientIp & 255}`);
  const response = await app.fetch(
    new Request(path.startsWith('http') ? path : `${ORIGIN}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
    }),
    testEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

/** What every answer must be, whatever the input: not a 5xx, not a redirect elsewhere, no input as markup. */
async function expectSafe(response: Response, what: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${what} → ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  const location = response.headers.get('location');
  if (location !== null) {
    expect(location.startsWith('/') && !location.startsWith('//'), `${what} → Location ${location}`).toBe(
      true,
    );
    expect(new URL(location, `${ORIGIN}/a/b`).origin).toBe(ORIGIN);
  }
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    // A `<` in text is always escaped, so any `<x-fuzz` is a tag the input made; likewise an attribute it opened.
    expect(text, what).not.toMatch(/<x-fuzz/i);
    for (const [name, value] of attributes(text)) {
      expect(name, `${what}: an attribute the input opened`).not.toMatch(/^onfuzz$/i);
      if (name === 'href' || name === 'action' || name === 'src')
        expect(value.trim(), `${what}: ${name}`).not.toMatch(/^javascript:/i);
    }
  }
  if ((response.headers.get('content-type') ?? '').includes('problem+json')) {
    expect((JSON.parse(text) as { status: number }).status, what).toBe(response.status);
  }
}

/** Every attribute of every tag, as a browser tokenises them: quoted values may hold anything but their quote. */
function attributes(html: string): [string, string][] {
  const found: [string, string][] = [];
  const tag = /<([a-z][^\s/>]*)/gi;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    let i = m.index + m[0].length;
    for (;;) {
      while (/[\s/]/.test(html[i] ?? '')) i++;
      if (i >= html.length || html[i] === '>') break;
      const name = /^[^\s"'>/=]+/.exec(html.slice(i))?.[0] ?? html[i] ?? '';
      i += name.length;
      while (/\s/.test(html[i] ?? '')) i++;
      let value = '';
      if (html[i] === '=') {
        i++;
        while (/\s/.test(html[i] ?? '')) i++;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1);
          value = html.slice(i + 1, end === -1 ? html.length : end);
          i = end === -1 ? html.length : end + 1;
        } else {
          value = /^[^\s>]*/.exec(html.slice(i))?.[0] ?? '';
          i += value.length;
        }
      }
      found.push([name.toLowerCase(), value.replaceAll('&amp;', '&')]);
    }
    tag.lastIndex = i;
  }
  return found;
}

// Text meant to become markup if it were ever rendered unescaped, raw and percent-encoded.
const marker = fc.constantFrom(
  '<x-fuzz>',
  '"><x-fuzz onfuzz=1>',
  "' onfuzz='1",
  '" onfuzz="1',
  '%3Cx-fuzz%3E',
  '%22%3E%3Cx-fuzz%20onfuzz%3D1%3E',
  'javascript:alert(1)',
  '<x-fuzz/onfuzz=1>',
);
const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 6, unit: 'binary' }), marker);
const segment = fc.oneof(
  fc.constantFrom('tree', 'blob', 'raw', 'src', '-', 'pull', 'merge_requests', 'issues', 'commit', 'commits'),
  fc.constantFrom(
    'projects',
    'repos',
    'browse',
    'users',
    'pull-requests',
    'branch',
    'main',
    'feature',
    '.',
    '..',
  ),
  fc.constantFrom('launchpod-samples', 'node-app', 'PLAT', 'private-app', '%2e%2e', '..%2F..%2F', 'a%2Fb'),
  fc.stringMatching(/^[0-9a-f]{7,40}$/),
  fc.integer({ min: -1, max: 99 }).map(String),
  junk,
);
const launchInput = fc
  .tuple(
    fc.constantFrom('', '#', '/', 'https://', 'http://', 'ssh://git@', 'git@', 'https:/'),
    fc.oneof(
      fc.constant(''),
      fc.tuple(fc.constantFrom('A', 'MY-VAR', 'PATH', 'X'), junk).map(([k, v]) => `${k}=${v}/`),
      marker.map((m) => `referrer:${m}/`),
    ),
    fc.constantFrom(
      'github.com',
      'gitlab.com',
      'bitbucket.org',
      'bitbucket.launchpod.test',
      'evil.example',
      '<x-fuzz>.example',
      '',
    ),
    fc.array(segment, { maxLength: 7 }),
    fc.oneof(
      fc.constant(''),
      junk.map((j) => `?at=${j}`),
      junk.map((j) => `#L${j}`),
    ),
  )
  .map(([scheme, modifiers, host, segments, tail]) =>
    scheme.startsWith('git@') || scheme.startsWith('ssh')
      ? `${modifiers}${scheme}${host}:${segments.join('/')}${tail}`
      : `${modifiers}${scheme}${host}/${segments.join('/')}${tail}`,
  );
const anyInput = fc.oneof(launchInput, junk, fc.string({ maxLength: 200 }));

describe('the markup check itself', () => {
  it('finds an attribute the input opened, and not text inside a quoted value', () => {
    expect(attributes('<a href="/x" onfuzz=1>').map(([n]) => n)).toEqual(['href', 'onfuzz']);
    expect(attributes(`<input value="' onfuzz='1" type=text>`).map(([n]) => n)).toEqual(['value', 'type']);
    expect(attributes('<p>a " onfuzz="1 b</p>')).toEqual([]);
  });
});

describe('fuzz: launch inputs', () => {
  it('start page, path form and the API: no 5xx, no redirect, no markup', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        await expectSafe(await send(`/start?url=${encodeURIComponent(input)}&autostart=false`), input);
        // The path form, as a browser sends it (the URL parser has the last word on the path).
        let pathForm: string | undefined;
        try {
          pathForm = new URL(`/${input}`, ORIGIN).pathname + new URL(`/${input}`, ORIGIN).search;
        } catch {
          pathForm = undefined;
        }
        if (pathForm !== undefined) await expectSafe(await send(pathForm), `path ${input}`);
        await expectSafe(await send(`/api/v1/status?url=${encodeURIComponent(input)}`), `status ${input}`);
      }),
      RUNS,
    );
  }, 60_000);

  it('POST /api/v1/resolve and /api/v1/workspaces with any body: no 5xx', async () => {
    const body = fc.oneof(
      fc.record({ url: anyInput, options: fc.dictionary(junk, fc.oneof(junk, fc.boolean(), fc.integer())) }),
      fc.record({ url: anyInput }),
      fc.jsonValue().map((v) => v as unknown),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          body.map((b) => JSON.stringify(b)),
          fc.string({ maxLength: 40 }),
        ),
        fc.option(fc.oneof(junk, fc.stringMatching(/^[\w.:-]{8,20}$/)), { nil: undefined }),
        async (text, key) => {
          for (const path of ['/api/v1/resolve', '/api/v1/workspaces']) {
            const headers: Record<string, string> = { 'content-type': 'application/json', origin: ORIGIN };
            if (key !== undefined && /^[\t\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
            await expectSafe(await send(path, { method: 'POST', headers, body: text }), `${path} ${text}`);
          }
        },
      ),
      RUNS,
    );
  }, 60_000);
});

describe('fuzz: returnTo', () => {
  it('the sign-in page and the Bitbucket Server token form land only on launcher paths', async () => {
    // Shapes that fold or smuggle an authority (`/.//evil.example/`), then anything built from their pieces.
    const folding = fc
      .tuple(
        fc.array(fc.constantFrom('.', '..', '%2e', '%2E%2e', '.%2e', 'a/..', 'a/b/../..'), { maxLength: 2 }),
        fc.constantFrom('//', '/\\', '/%5c', '/\t/', '///'),
        fc.constantFrom('evil.example', 'evil.example/x?y', '@evil.example', ''),
      )
      .map(([dots, slashes, host]) => `/${dots.join('/')}${slashes}${host}`);
    const returnTo = fc.oneof(
      folding,
      fc
        .array(
          fc.constantFrom('/', '.', '..', '%2e', '%2E', '\\', '%5c', 'evil.example', '@', '\t', '?', '#'),
          {
            maxLength: 8,
          },
        )
        .map((parts) => `/${parts.join('')}`),
      anyInput,
    );
    await fc.assert(
      fc.asyncProperty(returnTo, async (target) => {
        const page = await send(`/auth/sign-in?returnTo=${encodeURIComponent(target)}`);
        await expectSafe(page, `sign-in page ${target}`);
        const form = await send(
          `/auth/bitbucket.launchpod.test/sign-in?returnTo=${encodeURIComponent(target)}`,
        );
        const cookie = form.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const html = await form.text();
        const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
        const posted = await send('/auth/bitbucket.launchpod.test/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie },
          body: new URLSearchParams({ csrf, token: 'user-token-alice', returnTo: target }).toString(),
        });
        expect(posted.status).toBe(303);
        await expectSafe(posted, `token form ${target}`);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

const EVENTS: Record<HostFamilyId, { header: string; values: readonly string[] }> = {
  github: { header: 'x-github-event', values: ['push', 'pull_request', 'ping', 'repository', 'issues'] },
  gitlab: {
    header: 'x-gitlab-event',
    values: ['Push Hook', 'Merge Request Hook', 'Tag Push Hook', 'Note Hook'],
  },
  'bitbucket-cloud': {
    header: 'x-event-key',
    values: ['repo:push', 'pullrequest:created', 'pullrequest:updated', 'repo:updated'],
  },
  'bitbucket-server': {
    header: 'x-event-key',
    values: ['repo:refs_changed', 'pr:opened', 'pr:from_ref_updated', 'diagnostics:ping', 'repo:modified'],
  },
  gitea: { header: 'x-gitea-event', values: ['push', 'pull_request', 'create', 'issues'] },
  // Azure names the event in the payload (`eventType`); the header is not read.
  'azure-devops': { header: 'x-azure-event', values: ['git.push', 'git.pullrequest.created'] },
};

async function signature(
  family: HostFamilyId,
  secret: string,
  body: string,
): Promise<Record<string, string>> {
  if (family === 'gitlab') return { 'x-gitlab-token': secret };
  if (family === 'gitea') return { 'x-gitea-signature': await hmacHex(secret, body) };
  if (family === 'azure-devops') return { 'x-launchpod-webhook-secret': secret };
  const mac = `sha256=${await hmacHex(secret, body)}`;
  return family === 'github' ? { 'x-hub-signature-256': mac } : { 'x-hub-signature': mac };
}

describe('fuzz: webhook deliveries', () => {
  // Payloads in the hosts' shapes with any value anywhere, and any JSON at all; signed, so they get past the check.
  const value = fc.oneof(junk, fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue());
  const sha = fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), value);
  const payload = fc.oneof(
    fc.record(
      {
        ref: fc.oneof(fc.constantFrom('refs/heads/main', 'refs/tags/v1', 'refs/heads/'), value),
        after: sha,
        before: sha,
        deleted: value,
        repository: fc.record({ full_name: value, private: value, visibility: value }, { requiredKeys: [] }),
        pull_request: fc.record(
          { number: value, head: fc.record({ ref: value, sha, repo: value }), base: value },
          { requiredKeys: [] },
        ),
        action: fc.oneof(fc.constantFrom('opened', 'synchronize', 'closed', 'privatized'), value),
        object_kind: fc.oneof(fc.constantFrom('push', 'merge_request'), value),
        object_attributes: fc.dictionary(
          fc.constantFrom('iid', 'action', 'source_branch', 'last_commit'),
          value,
        ),
        push: fc.record({ changes: fc.array(fc.dictionary(fc.constantFrom('new', 'old', 'closed'), value)) }),
        changes: fc.array(fc.dictionary(fc.constantFrom('ref', 'refId', 'toHash', 'type'), value)),
        pullrequest: fc.dictionary(fc.constantFrom('id', 'source', 'destination'), value),
        pullRequest: fc.dictionary(fc.constantFrom('id', 'fromRef', 'toRef'), value),
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue(),
  );
  it('any signed or unsigned delivery to any family: no 5xx', async () => {
    const family = fc.constantFrom<HostFamilyId>('github', 'gitlab', 'bitbucket-cloud', 'bitbucket-server');
    await fc.assert(
      fc.asyncProperty(
        family,
        payload,
        fc.boolean(),
        fc.nat(10),
        fc.option(junk, { nil: undefined }),
        async (f, body, signed, event, deliveryId) => {
          const project = projects[f];
          if (project === undefined) throw new Error(`no ${f} project`);
          const text = JSON.stringify(body) ?? 'null';
          const events = EVENTS[f];
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            [events.header]: events.values[event % events.values.length] ?? '',
            ...(signed ? await signature(f, project.secret, text) : {}),
          };
          if (deliveryId !== undefined && /^[\x20-\x7e]*$/.test(deliveryId))
            headers['x-github-delivery'] = headers['x-request-uuid'] = deliveryId;
          await expectSafe(
            await send(`/webhooks/${f}/${project.id}`, { method: 'POST', headers, body: text }),
            `${f} ${text}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('fuzz: API bodies', () => {
  it('admin projects and signed cluster events with any body: no 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          repoUrl: anyInput,
          webhookSecret: junk,
          branchStrategy: junk,
          branchGlobs: fc.oneof(fc.array(junk), junk),
          pullRequests: fc.oneof(fc.boolean(), junk),
          commitInterval: fc.oneof(fc.integer(), junk),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          cluster: fc.constantFrom('eu-1', 'us-1'),
          sequence: fc.oneof(fc.integer(), junk),
          workspace: fc.record(
            {
              id: fc.oneof(junk, fc.constant('pb-00000000-0000-4000-8000-000000000000')),
              phase: fc.oneof(fc.constantFrom('running', 'failed', 'stopped'), junk),
              url: fc.oneof(junk, fc.constant('https://evil.example/x')),
              updatedAt: junk,
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const text = JSON.stringify(value) ?? 'null';
        await expectSafe(
          await send('/api/v1/admin/projects', {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
            body: text,
          }),
          `admin ${text}`,
        );
        const timestamp = Math.floor(Date.now() / 1000);
        await expectSafe(
          await send('/api/v1/cluster-events', {
            method: 'POST',
            headers: {
              [EVENT_HEADERS.cluster]: 'eu-1',
              [EVENT_HEADERS.timestamp]: String(timestamp),
              [EVENT_HEADERS.signature]: signEvent(SECRET, timestamp, text),
            },
            body: text,
          }),
          `event ${text}`,
        );
      }),
      RUNS,
    );
  }, 60_000);
});
