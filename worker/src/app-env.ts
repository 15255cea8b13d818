// The launcher's one Hono environment: the Worker's bindings, and what the middleware puts on every request (the
// parsed configuration and the request's owner). Route modules type their apps with it and make them with
// `launcherApp`.

import { HonoBase } from 'hono/hono-base';
import { TrieRouter } from 'hono/router/trie-router';
import type { LauncherConfig } from './config.ts';

export type AppEnv = { Bindings: Env; Variables: { config: LauncherConfig; owner: string } };

/** A launcher app: Hono with TrieRouter (why: `createApp`). Not `hono`'s Hono class, which would also bundle its
 *  default router (SmartRouter over RegExpRouter) that no app here uses: 1.5 KiB gzip. */
export const launcherApp = () => new HonoBase<AppEnv>({ router: new TrieRouter() });
