// git inside a workspace pushing as its owner: the workspace's cluster asks here (signed like its events) each time
// git needs credentials, and gets the owner's token for the workspace's own host — only when the owner started it
// signed in and allowed it (/workspaces/<id>/git-access), never for another host. The token goes to git's memory
// in the workspace for that one command; it is never stored there, nor logged here.

import type { Context, Hono } from 'hono';
import { EVENT_HEADERS, verifyEvent } from '../../../shared/cluster-contract.ts';
import type { AppEnv } from '../app-env.ts';
import { getWorkspace } from '../workspaces.ts';
import { signInFamilies } from './providers.ts';
import { authOf, sessionHostToken } from './session-auth.ts';

interface Ask {
  readonly workspace?: unknown;
  readonly protocol?: unknown;
  readonly host?: unknown;
}

export function gitCredentialRoutes(api: Hono<AppEnv>, now: () => number): void {
  api.post('/cluster/git-credentials', async (c: Context<AppEnv>) => {
    const config = c.get('config');
    const cluster = config.clusters.find((k) => k.name === c.req.header(EVENT_HEADERS.cluster));
    const body = await c.req.text();
    const check =
      cluster === undefined
        ? ({ ok: false, reason: 'unknown cluster' } as const)
        : verifyEvent(
            cluster.secret,
            c.req.header(EVENT_HEADERS.timestamp) ?? null,
            c.req.header(EVENT_HEADERS.signature) ?? null,
            body,
            Math.floor(now() / 1000),
          );
    if (!check.ok || cluster === undefined)
      return c.json({ message: `refused: ${check.ok ? 'unknown cluster' : check.reason}` }, 401);
    let ask: Ask = {};
    try {
      ask = (JSON.parse(body) ?? {}) as Ask;
    } catch {
      ask = {};
    }
    if (typeof ask.workspace !== 'string' || typeof ask.host !== 'string' || typeof ask.protocol !== 'string')
      return c.json({ message: 'send {workspace, protocol, host, path}' }, 400);
    const record = await getWorkspace(c.env.DB, ask.workspace);
    if (record === undefined || record.cluster !== cluster.name)
      return c.json({ message: 'no such workspace on this cluster' }, 404);
    c.header('cache-control', 'no-store');
    const repoHost = ((JSON.parse(record.contextJson) as { host?: string }).host ?? '').toLowerCase();
    const askedHost = ask.host.toLowerCase().replace(/:443$/, '');
    if (ask.protocol !== 'https' || askedHost !== repoHost)
      return c.json(
        {
          message: `this workspace gets credentials for https://${repoHost} only, not ${ask.protocol}://${ask.host}.`,
        },
        403,
      );
    const approve = `${config.origin}/workspaces/${encodeURIComponent(record.id)}/git-access`;
    if (record.sessionHash === null)
      return c.json(
        {
          message: `this workspace was started without signing in, so there is no ${repoHost} access to push with. Sign in at ${config.origin}, start a new workspace, and allow it at /workspaces/<id>/git-access.`,
        },
        403,
      );
    if (!record.gitAccess)
      return c.json({ message: `allow git here to push as you first: open ${approve}` }, 403);
    const auth = await authOf(c.env);
    const entry = config.registry.entries.find((e) => e.hostname === repoHost);
    if (auth === undefined || entry === undefined)
      return c.json({ message: `${repoHost} sign-in is not set up on this launcher.` }, 403);
    const token = await sessionHostToken(c.env.DB, auth, config, record.sessionHash, entry, now());
    if (!token.ok || token.value === undefined)
      return c.json(
        { message: `your ${repoHost} sign-in has ended: sign in again at ${config.origin}, then retry.` },
        403,
      );
    const family = signInFamilies[entry.family];
    return c.json({
      username: family.kind === 'oauth' ? family.cloneUser : token.value.login,
      password: token.value.accessToken,
    });
  });
}
