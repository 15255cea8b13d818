// The launcher's one Hono environment: the Worker's bindings, and what the middleware puts on every request (the
// parsed configuration and the request's owner). Route modules type their apps with it.

import type { LauncherConfig } from './config.ts';

export type AppEnv = { Bindings: Env; Variables: { config: LauncherConfig; owner: string } };
