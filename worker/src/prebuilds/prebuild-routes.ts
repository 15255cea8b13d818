// The prebuild HTTP surface, thin: signed webhooks in (`POST /webhooks/<family>/<projectId>`), the admin API for
// projects (`/api/v1/admin/projects`, bearer ADMIN_TOKEN), a prebuild's state for the start page
// (`GET /api/v1/prebuilds/:id`) and the live badge (`GET /badge/prebuild.svg?url=`). A webhook is verified over
// its raw body before anything is parsed; nothing here ever returns a webhook secret after creation, nor a private
// project's prebuild to a request that cannot read its repository (repo-visibility.ts).

import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { prebuildBadgeSvg } from '../../../shared/badge.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { type AppEnv, launcherApp } from '../app-env.ts';
import { vaultConfig } from '../auth/auth-config.ts';
import { authOf, requestSession, requestUserCredentials } from '../auth/session-auth.ts';
import type { Vault } from '../auth/token-vault.ts';
import { LaunchError } from '../errors.ts';
import type { HostResolver, HttpTuning } from '../hosts/host-resolver.ts';
import { prebuildBadgeState } from './badge.ts';
import { getPrebuild, type PrebuildRecord, repoKey } from './prebuild-records.ts';
import type { PrebuildMessage } from './prebuild-trigger.ts';
import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  projectForRepo,
  projectJson,
  readSettings,
  setProjectVisibility,
  webhookSecretOf,
} from './projects.ts';
import {
  followWebhookVisibility,
  hostVisibility,
  mayViewPrebuilds,
  type Viewer,
  type VisibilityDeps,
} from './repo-visibility.ts';
import { deliveryId, readWebhookEvent, verifyWebhook, webhookVisibility } from './webhook-families.ts';
import { verifyToken } from './webhook-signature.ts';

export const MAX_WEBHOOK_BODY = 1024 * 1024;

const isFamily = (f: string): f is HostFamilyId => Object.hasOwn(hostFamilies, f);

export interface PrebuildRouteOptions {
  readonly now: () => number;
  /** The host API clients that say whether a repository is public (and whether a user can read it). */
  readonly resolvers: Readonly<Record<HostFamilyId, HostResolver>>;
  readonly http?: HttpTuning;
}

export function prebuildRoutes({ now, resolvers, http }: PrebuildRouteOptions) {
  const app = launcherApp();
  const visibilityDeps = (c: Context<AppEnv>): VisibilityDeps => ({
    config: c.get('config'),
    resolvers,
    ...(http !== undefined && { http }),
  });
  /** The signed-in user of this request, if any, with their own host tokens. */
  const viewerOf = async (c: Context<AppEnv>): Promise<Viewer | undefined> => {
    const auth = await authOf(c.env);
    const session = auth === undefined ? undefined : await requestSession(c, auth, now());
    if (session?.userId == null) return undefined;
    return {
      key: session.hash,
      credentials: async (entry) => {
        const found = await requestUserCredentials(c, entry, now());
        return found.ok ? found.value : undefined;
      },
    };
  };

  // ---- Webhooks -------------------------------------------------------------------------------------------------
  app.post(
    '/webhooks/:family/:projectId',
    bodyLimit({
      maxSize: MAX_WEBHOOK_BODY,
      onError: (c) => c.json({ error: `webhook bodies are limited to ${MAX_WEBHOOK_BODY / 1024} KiB` }, 413),
    }),
    async (c) => {
      const family = c.req.param('family');
      const project = isFamily(family) ? await getProject(c.env.DB, c.req.param('projectId')) : undefined;
      if (project === undefined || project.repo.family !== family)
        return c.json({ error: 'no such project: register it with the admin API first' }, 404);
      const body = await c.req.arrayBuffer();
      const secret = await webhookSecretOf(c.env.DB, project, await vaultOf(c.env));
      if (secret === undefined)
        return c.json(
          {
            error:
              "this launcher cannot open the project's webhook secret: TOKEN_KEYS must still hold the key it was sealed with",
          },
          503,
        );
      const check = await verifyWebhook(project.repo.family, secret, c.req.raw.headers, body);
      if (!check.ok) return c.json({ error: `signature refused (${check.reason})` }, 401);
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder().decode(body));
      } catch {
        return c.json(
          { error: 'the webhook body is not JSON (set the content type to application/json)' },
          400,
        );
      }
      // Kept current from the host's own word (GitHub's `repository` privatized/publicized events included).
      await followWebhookVisibility(
        c.env.DB,
        project,
        webhookVisibility(project.repo.family, payload),
        visibilityDeps(c),
      );
      const read = readWebhookEvent(project.repo.family, c.req.raw.headers, payload);
      if (read.kind === 'ping') return c.json({ ok: true, pong: true }, 200);
      if (read.kind === 'irrelevant') return c.json({ ignored: read.why }, 202);
      // Deduplicated on what the signature covers — the body — not on the delivery id beside it: a captured
      // delivery re-sent with a new id, or none, is the same delivery. (A host's own retry is the same body too.)
      const signed = `sha256:${await digestHex(body)}`;
      const delivery = deliveryId(project.repo.family, c.req.raw.headers, payload) ?? signed;
      const fresh = await c.env.DB.prepare(
        `INSERT INTO webhook_deliveries (project_id, delivery_id, received_at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING RETURNING delivery_id`,
      )
        .bind(project.id, signed, now())
        .first();
      if (fresh === null) return c.json({ duplicate: true, delivery }, 202);
      const messages: PrebuildMessage[] = read.triggers.map((trigger) => ({
        projectId: project.id,
        deliveryId: delivery,
        trigger,
      }));
      await c.env.PREBUILDS.sendBatch(messages.map((body) => ({ body })));
      return c.json({ accepted: messages.length, delivery }, 202);
    },
  );

  // ---- Admin API ------------------------------------------------------------------------------------------------
  app.use(
    '/api/v1/admin/*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => c.json({ error: 'admin requests are limited to 16 KiB' }, 413),
    }),
  );
  app.use('/api/v1/admin/*', async (c, next) => {
    const token = c.env.ADMIN_TOKEN;
    if (token === undefined || token.length < 16)
      return c.json({ error: 'the admin API is off: set the ADMIN_TOKEN secret (16+ characters)' }, 503);
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    const check = await verifyToken(token, given);
    if (!check.ok) {
      c.header('www-authenticate', 'Bearer');
      return c.json({ error: 'send Authorization: Bearer <ADMIN_TOKEN>' }, 401);
    }
    await next();
  });

  app.get('/api/v1/admin/projects', async (c) => {
    const origin = c.get('config').origin;
    return c.json({ projects: (await listProjects(c.env.DB)).map((p) => projectJson(p, origin)) });
  });

  app.post('/api/v1/admin/projects', async (c) => {
    let parsedBody: unknown;
    try {
      parsedBody = await c.req.json();
    } catch {
      parsedBody = undefined;
    }
    // `null`, a list or a string is JSON too, but not a project.
    if (typeof parsedBody !== 'object' || parsedBody === null || Array.isArray(parsedBody))
      return c.json({ error: 'send a JSON object like {"repoUrl": "https://github.com/owner/repo"}' }, 400);
    const body = parsedBody as Record<string, unknown>;
    const parsed = parseLaunchInput(
      typeof body.repoUrl === 'string' ? body.repoUrl : '',
      c.get('config').registry,
    );
    if (!parsed.ok || parsed.value.context.kind === 'snapshot')
      return c.json({ error: `repoUrl: ${parsed.ok ? 'not a repository' : parsed.error.message}` }, 400);
    const settings = readSettings(body, randomSecret());
    if (!settings.ok) return c.json({ error: settings.error }, 400);
    // Webhook secrets are stored sealed, like sign-in tokens: no keys, no projects.
    const vault = await vaultOf(c.env);
    if (vault === undefined)
      return c.json(
        {
          error:
            'webhook secrets are stored encrypted: set TOKEN_KEYS ({"<key id>": "<base64 of 32 random bytes>"}) and TOKEN_KEY_CURRENT first',
        },
        503,
      );
    const repo = parsed.value.context.repo;
    const conflict = () => c.json({ error: 'this repository is already a project' }, 409);
    if ((await projectForRepo(c.env.DB, repoKey(repo))) !== undefined) return conflict();
    // Public or private decides who sees the project's prebuilds: ask the host now, never guess.
    const visibility = await hostVisibility(repo, visibilityDeps(c));
    if (!visibility.ok) {
      if (visibility.error.retryAfterSeconds !== undefined)
        c.header('retry-after', String(visibility.error.retryAfterSeconds));
      return c.json(
        {
          error: `could not ask ${repo.host} whether the repository is public (${visibility.error.title}); try again`,
        },
        503,
      );
    }
    const project = await createProject(c.env.DB, repo, settings.value, visibility.value, now(), vault);
    if (project === undefined) return conflict();
    // The only answer that ever carries the secret: paste it into the host's webhook settings now.
    return c.json(
      { ...projectJson(project, c.get('config').origin), webhookSecret: settings.value.webhookSecret },
      201,
    );
  });

  // Asks the host again whether the repository is public (projects from before visibility was recorded, or after
  // a change no webhook reported).
  app.post('/api/v1/admin/projects/:id/visibility', async (c) => {
    const project = await getProject(c.env.DB, c.req.param('id'));
    if (project === undefined) return c.json({ error: 'no such project' }, 404);
    const visibility = await hostVisibility(project.repo, visibilityDeps(c));
    if (!visibility.ok) {
      if (visibility.error.retryAfterSeconds !== undefined)
        c.header('retry-after', String(visibility.error.retryAfterSeconds));
      return c.json(
        {
          error: `could not ask ${project.repo.host} whether the repository is public (${visibility.error.title}); try again`,
        },
        503,
      );
    }
    if (visibility.value !== project.visibility)
      await setProjectVisibility(c.env.DB, project.id, visibility.value);
    return c.json(projectJson({ ...project, visibility: visibility.value }, c.get('config').origin));
  });

  app.delete('/api/v1/admin/projects/:id', async (c) =>
    (await deleteProject(c.env.DB, c.req.param('id')))
      ? c.body(null, 204)
      : c.json({ error: 'no such project' }, 404),
  );

  // ---- A prebuild's state (the start page polls it while waiting) ----------------------------------------------
  // A private project's prebuild (its log URL, shas, errors) answers exactly like an id that does not exist unless
  // the signed-in user can read the repository — the start page of someone who just launched it.
  app.get('/api/v1/prebuilds/:id', async (c) => {
    c.header('cache-control', 'no-store');
    const record = await getPrebuild(c.env.DB, c.req.param('id'));
    const project = record === undefined ? undefined : await getProject(c.env.DB, record.projectId);
    const visible =
      record !== undefined &&
      project !== undefined &&
      (await mayViewPrebuilds(project, () => viewerOf(c), c.env.CACHE, visibilityDeps(c)));
    if (!visible) return c.json({ error: 'no such prebuild' }, 404);
    return c.json(prebuildJson(record));
  });

  // ---- Badge --------------------------------------------------------------------------------------------------
  app.get('/badge/prebuild.svg', async (c) => {
    const config = c.get('config');
    const state = await prebuildBadgeState(c.env.DB, config.registry, c.req.query('url') ?? '', now());
    const svg = prebuildBadgeSvg(config.brand, state);
    const etag = `"${(await digestHex(new TextEncoder().encode(svg).buffer)).slice(0, 24)}"`;
    const headers = {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'public, max-age=60',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      etag,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(svg, 200, headers);
  });

  return app;
}

/** The keys that seal webhook secrets; a broken TOKEN_KEYS is the operator's error page, never a guess. */
async function vaultOf(env: Env): Promise<Vault | undefined> {
  const vault = await vaultConfig(env);
  if (!vault.ok) {
    console.error(`launcher configuration: ${vault.error}`);
    throw new LaunchError('internal', {
      title: 'This launcher is not configured correctly',
      detail: `The operator needs to fix a setting: ${vault.error}`,
    });
  }
  return vault.value;
}

export function prebuildJson(r: PrebuildRecord) {
  return {
    id: r.id,
    state: r.state,
    sha: r.sha,
    ref: r.ref,
    cluster: r.cluster,
    startedAt: new Date(r.startedAt).toISOString(),
    ...(r.finishedAt !== null && { finishedAt: new Date(r.finishedAt).toISOString() }),
    ...(r.durationMs !== null && { durationMs: r.durationMs }),
    ...(r.logUrl !== null && { logUrl: r.logUrl }),
    ...(r.error !== null && { error: r.error }),
  };
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function digestHex(body: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', body);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
