import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyHmacSha256, verifyToken } from '../../src/prebuilds/webhook-signature.ts';
import { ADMIN_TOKEN, call, type Harness, hmacHex, registerProject, setUp } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await setUp();
});
afterEach(() => h.fakes.restore());

const SHA = 'a'.repeat(40);
const PR_SHA = 'b'.repeat(40);

describe('webhook signatures', () => {
  it("verifies GitHub's official test vector", async () => {
    const body = new TextEncoder().encode('Hello, World!');
    const secret = "It's a Secret to Everybody";
    const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(await verifyHmacSha256(secret, body, vector)).toEqual({ ok: true });
    expect(await verifyHmacSha256(secret, body, vector.replace('757', '758'))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(await verifyHmacSha256('another secret', body, vector)).toMatchObject({ ok: false });
    expect(await verifyHmacSha256(secret, new TextEncoder().encode('Hello, World?'), vector)).toMatchObject({
      ok: false,
    });
    expect(await verifyHmacSha256(secret, body, 'sha1=abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyHmacSha256(secret, body, null)).toEqual({ ok: false, reason: 'missing' });
  });

  it('compares GitLab tokens exactly', async () => {
    expect(await verifyToken('secret-0123456789', 'secret-0123456789')).toEqual({ ok: true });
    expect(await verifyToken('secret-0123456789', 'secret-012345678')).toMatchObject({ ok: false });
    expect(await verifyToken('secret-0123456789', undefined)).toEqual({ ok: false, reason: 'missing' });
  });
});

interface FamilyCase {
  readonly family: string;
  readonly repoUrl: string;
  readonly push: { headers: Record<string, string>; body: unknown };
  readonly pr: { headers: Record<string, string>; body: unknown };
  readonly irrelevant: { headers: Record<string, string>; body: unknown };
  /** Header names: where the signature (or token) and the delivery id go. */
  readonly sign: (secret: string, body: string) => Promise<Record<string, string>>;
  readonly delivery: string;
}

const families: FamilyCase[] = [
  {
    family: 'github',
    repoUrl: 'https://github.com/launchpod-samples/node-app',
    push: {
      headers: { 'x-github-event': 'push' },
      body: {
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after: SHA,
        created: false,
        deleted: false,
        forced: false,
        repository: { id: 1, full_name: 'launchpod-samples/node-app', default_branch: 'main' },
        pusher: { name: 'octocat' },
        head_commit: { id: SHA, message: 'Update' },
      },
    },
    pr: {
      headers: { 'x-github-event': 'pull_request' },
      body: {
        action: 'synchronize',
        number: 2,
        pull_request: {
          number: 2,
          head: { ref: 'fix/typo', sha: PR_SHA, repo: { full_name: 'contributor/node-app' } },
          base: { ref: 'main', sha: SHA, repo: { full_name: 'launchpod-samples/node-app' } },
        },
        repository: { full_name: 'launchpod-samples/node-app' },
      },
    },
    irrelevant: { headers: { 'x-github-event': 'pull_request' }, body: { action: 'closed', number: 1 } },
    sign: async (secret, body) => ({ 'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}` }),
    delivery: 'x-github-delivery',
  },
  {
    family: 'gitlab',
    repoUrl: 'https://gitlab.com/launchpod-samples/platform/backend/node-app',
    push: {
      headers: { 'x-gitlab-event': 'Push Hook' },
      body: {
        object_kind: 'push',
        event_name: 'push',
        before: '0'.repeat(40),
        after: SHA,
        ref: 'refs/heads/main',
        checkout_sha: SHA,
        project_id: 1,
        project: { id: 1, path_with_namespace: 'launchpod-samples/platform/backend/node-app' },
        total_commits_count: 1,
      },
    },
    pr: {
      headers: { 'x-gitlab-event': 'Merge Request Hook' },
      body: {
        object_kind: 'merge_request',
        event_type: 'merge_request',
        object_attributes: {
          iid: 2,
          action: 'update',
          source_branch: 'fix/typo',
          target_branch: 'main',
          source_project_id: 2,
          target_project_id: 1,
          last_commit: { id: PR_SHA },
          source: { path_with_namespace: 'contributor/node-app' },
          target: { path_with_namespace: 'launchpod-samples/platform/backend/node-app' },
        },
      },
    },
    irrelevant: {
      headers: { 'x-gitlab-event': 'Merge Request Hook' },
      body: { object_kind: 'merge_request', object_attributes: { action: 'close', iid: 1 } },
    },
    sign: async (secret) => ({ 'x-gitlab-token': secret }),
    delivery: 'x-gitlab-event-uuid',
  },
  {
    family: 'bitbucket-cloud',
    repoUrl: 'https://bitbucket.org/launchpod-samples/node-app',
    push: {
      headers: { 'x-event-key': 'repo:push' },
      body: {
        push: {
          changes: [
            {
              new: { type: 'branch', name: 'main', target: { type: 'commit', hash: SHA } },
              old: { type: 'branch', name: 'main', target: { type: 'commit', hash: 'c'.repeat(40) } },
              created: false,
              closed: false,
            },
          ],
        },
        repository: { full_name: 'launchpod-samples/node-app', type: 'repository' },
      },
    },
    pr: {
      headers: { 'x-event-key': 'pullrequest:updated' },
      body: {
        pullrequest: {
          id: 2,
          source: {
            branch: { name: 'fix/typo' },
            commit: { hash: PR_SHA.slice(0, 12) },
            repository: { full_name: 'contributor/node-app' },
          },
          destination: {
            branch: { name: 'main' },
            commit: { hash: SHA.slice(0, 12) },
            repository: { full_name: 'launchpod-samples/node-app' },
          },
        },
      },
    },
    irrelevant: { headers: { 'x-event-key': 'pullrequest:fulfilled' }, body: { pullrequest: { id: 1 } } },
    sign: async (secret, body) => ({ 'x-hub-signature': `sha256=${await hmacHex(secret, body)}` }),
    delivery: 'x-request-uuid',
  },
  {
    family: 'bitbucket-server',
    repoUrl: 'https://bitbucket.launchpod.test/projects/PLAT/repos/node-app',
    push: {
      headers: { 'x-event-key': 'repo:refs_changed' },
      body: {
        eventKey: 'repo:refs_changed',
        repository: { slug: 'node-app', project: { key: 'PLAT' } },
        changes: [
          {
            ref: { id: 'refs/heads/main', displayId: 'main', type: 'BRANCH' },
            refId: 'refs/heads/main',
            fromHash: 'c'.repeat(40),
            toHash: SHA,
            type: 'UPDATE',
          },
        ],
      },
    },
    pr: {
      headers: { 'x-event-key': 'pr:from_ref_updated' },
      body: {
        eventKey: 'pr:from_ref_updated',
        pullRequest: {
          id: 2,
          fromRef: {
            id: 'refs/heads/fix/typo',
            displayId: 'fix/typo',
            latestCommit: PR_SHA,
            repository: { slug: 'node-app', project: { key: '~CONTRIBUTOR' } },
          },
          toRef: {
            id: 'refs/heads/main',
            displayId: 'main',
            latestCommit: SHA,
            repository: { slug: 'node-app', project: { key: 'PLAT' } },
          },
        },
      },
    },
    irrelevant: { headers: { 'x-event-key': 'pr:merged' }, body: { pullRequest: { id: 1 } } },
    sign: async (secret, body) => ({ 'x-hub-signature': `sha256=${await hmacHex(secret, body)}` }),
    delivery: 'x-request-id',
  },
];

describe.each(families)('$family webhooks', (f) => {
  async function deliver(
    projectId: string,
    event: { headers: Record<string, string>; body: unknown },
    signature: Record<string, string>,
    delivery: string,
    raw = JSON.stringify(event.body),
  ) {
    return call(h, `/webhooks/${f.family}/${projectId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...event.headers, ...signature, [f.delivery]: delivery },
      body: raw,
    });
  }

  it('queues a signed push at once, and the same delivery only once', async () => {
    const project = await registerProject(h, f.repoUrl);
    expect(project.webhookUrl).toBe(`https://launchpod.test/webhooks/${f.family}/${project.id}`);
    const body = JSON.stringify(f.push.body);
    const signature = await f.sign(project.webhookSecret, body);
    const first = await deliver(project.id, f.push, signature, 'delivery-1');
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ accepted: 1 });
    expect(h.queued).toEqual([
      {
        projectId: project.id,
        deliveryId: 'delivery-1',
        trigger: { kind: 'push', branch: 'main', sha: SHA },
      },
    ]);
    // A replay (or the host's retry) of the same delivery is acknowledged and not queued again.
    const replay = await deliver(project.id, f.push, signature, 'delivery-1');
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ duplicate: true });
    expect(h.queued).toHaveLength(1);
  });

  it('queues a captured delivery re-sent with a new delivery id, or none, only once', async () => {
    const project = await registerProject(h, f.repoUrl);
    const signature = await f.sign(project.webhookSecret, JSON.stringify(f.push.body));
    expect((await deliver(project.id, f.push, signature, 'delivery-1')).status).toBe(202);
    // The signature covers the body only: the id beside it is the attacker's to choose.
    const renamed = await deliver(project.id, f.push, signature, 'delivery-2-forged');
    expect(await renamed.json()).toMatchObject({ duplicate: true });
    const anonymous = await call(h, `/webhooks/${f.family}/${project.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...f.push.headers, ...signature },
      body: JSON.stringify(f.push.body),
    });
    expect(anonymous.status).toBe(202);
    expect(await anonymous.json()).toMatchObject({ duplicate: true });
    expect(h.queued).toHaveLength(1);
  });

  it('reads a pull request from a fork', async () => {
    const project = await registerProject(h, f.repoUrl);
    const signature = await f.sign(project.webhookSecret, JSON.stringify(f.pr.body));
    expect((await deliver(project.id, f.pr, signature, 'delivery-pr')).status).toBe(202);
    expect(h.queued).toHaveLength(1);
    expect(h.queued[0]).toMatchObject({
      trigger: { kind: 'pull-request', number: 2, branch: 'fix/typo', fromFork: true },
    });
    const trigger = (h.queued[0] as { trigger: { sha: string } }).trigger;
    expect(PR_SHA.startsWith(trigger.sha)).toBe(true);
  });

  it('refuses bad and missing signatures (401) and a tampered body', async () => {
    const project = await registerProject(h, f.repoUrl);
    const body = JSON.stringify(f.push.body);
    const wrong = await f.sign('not-the-secret-0123456789', body);
    expect((await deliver(project.id, f.push, wrong, 'd-wrong')).status).toBe(401);
    expect((await deliver(project.id, f.push, {}, 'd-missing')).status).toBe(401);
    if (f.family !== 'gitlab') {
      const signed = await f.sign(project.webhookSecret, body);
      const tampered = body.replace('main', 'evil');
      expect((await deliver(project.id, f.push, signed, 'd-tampered', tampered)).status).toBe(401);
    }
    expect(h.queued).toHaveLength(0);
  });

  it('answers 404 for unknown projects, 413 for oversized bodies, 202 for irrelevant events', async () => {
    const project = await registerProject(h, f.repoUrl);
    const body = JSON.stringify(f.push.body);
    const signature = await f.sign(project.webhookSecret, body);
    expect((await deliver('prj-unknown', f.push, signature, 'd-404')).status).toBe(404);
    const other = f.family === 'github' ? 'gitlab' : 'github';
    const wrongFamily = await call(h, `/webhooks/${other}/${project.id}`, { method: 'POST', body });
    expect(wrongFamily.status).toBe(404);
    const huge = JSON.stringify({ ...(f.push.body as object), padding: 'x'.repeat(1024 * 1024) });
    const big = await deliver(project.id, f.push, await f.sign(project.webhookSecret, huge), 'd-big', huge);
    expect(big.status).toBe(413);
    const irrelevantBody = JSON.stringify(f.irrelevant.body);
    const ignored = await deliver(
      project.id,
      f.irrelevant,
      await f.sign(project.webhookSecret, irrelevantBody),
      'd-irrelevant',
    );
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toHaveProperty('ignored');
    expect(h.queued).toHaveLength(0);
  });
});

describe('GitHub ping and the admin API', () => {
  it('answers a signed ping', async () => {
    const project = await registerProject(h, 'https://github.com/launchpod-samples/node-app');
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const response = await call(h, `/webhooks/github/${project.id}`, {
      method: 'POST',
      headers: {
        'x-github-event': 'ping',
        'x-github-delivery': 'ping-1',
        'x-hub-signature-256': `sha256=${await hmacHex(project.webhookSecret, body)}`,
      },
      body,
    });
    expect(response.status).toBe(200);
  });

  it('needs the admin token, never shows a secret after creation, and checks settings', async () => {
    const unauthorised = await call(h, '/api/v1/admin/projects');
    expect(unauthorised.status).toBe(401);
    const wrong = await call(h, '/api/v1/admin/projects', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const created = await registerProject(h, 'https://github.com/launchpod-samples/node-app', {
      branchStrategy: 'matched-branches',
      branchGlobs: ['release/*'],
    });
    expect(created.webhookSecret).toMatch(/^[0-9a-f]{48}$/);
    const list = await call(h, '/api/v1/admin/projects', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const text = await list.text();
    expect(text).toContain('release/*');
    expect(text).not.toContain(created.webhookSecret);
    const duplicate = await call(h, '/api/v1/admin/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ repoUrl: 'https://github.com/launchpod-samples/node-app' }),
    });
    expect(duplicate.status).toBe(409);
    const bad = await call(h, '/api/v1/admin/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ repoUrl: 'https://github.com/o/r', branchStrategy: 'matched-branches' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('branchGlobs');
    const off = await call(h, '/api/v1/admin/projects', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(off.status).toBe(200);
  });

  it('stores the webhook secret sealed, bound to its project, and still checks deliveries with it', async () => {
    const project = await registerProject(h, 'https://github.com/launchpod-samples/node-app');
    const row = await env.DB.prepare('SELECT webhook_secret FROM projects WHERE id = ?')
      .bind(project.id)
      .first<{ webhook_secret: string }>();
    expect(row?.webhook_secret).toMatch(/^v1\.k1\./);
    expect(row?.webhook_secret).not.toContain(project.webhookSecret);
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 2 });
    const ping = (secret: string) =>
      hmacHex(secret, body).then((mac) =>
        call(h, `/webhooks/github/${project.id}`, {
          method: 'POST',
          headers: { 'x-github-event': 'ping', 'x-hub-signature-256': `sha256=${mac}` },
          body,
        }),
      );
    expect((await ping(project.webhookSecret)).status).toBe(200);
    expect((await ping(String(row?.webhook_secret))).status).toBe(401);
  });

  it('seals a secret stored in plain text before secrets were sealed, at its next delivery', async () => {
    const project = await registerProject(h, 'https://github.com/launchpod-samples/node-app');
    await env.DB.prepare("UPDATE projects SET webhook_secret = 'legacy-plain-secret-0123' WHERE id = ?")
      .bind(project.id)
      .run();
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 3 });
    const response = await call(h, `/webhooks/github/${project.id}`, {
      method: 'POST',
      headers: {
        'x-github-event': 'ping',
        'x-hub-signature-256': `sha256=${await hmacHex('legacy-plain-secret-0123', body)}`,
      },
      body,
    });
    expect(response.status).toBe(200);
    const row = await env.DB.prepare('SELECT webhook_secret FROM projects WHERE id = ?')
      .bind(project.id)
      .first<{ webhook_secret: string }>();
    expect(row?.webhook_secret).toMatch(/^v1\.k1\./);
  });

  it('refuses to register a project when no key can seal its secret', async () => {
    const response = await call(
      { ...h, env: { ...h.env, TOKEN_KEYS: '', TOKEN_KEY_CURRENT: '' } },
      '/api/v1/admin/projects',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ repoUrl: 'https://github.com/launchpod-samples/node-app' }),
      },
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('TOKEN_KEYS');
  });

  it.each(['null', '[]', '"https://github.com/o/r"', '42', '{'])(
    'answers an admin body of %s with 400 and what to send, not a 500',
    async (body) => {
      const response = await call(h, '/api/v1/admin/projects', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('repoUrl');
    },
  );
});
