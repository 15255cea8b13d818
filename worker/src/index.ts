// The launcher Worker: HTTP (app.ts) and the cron trigger that refreshes cluster health.

import { createApp } from './app.ts';
import { refreshClusterHealth } from './cluster-health.ts';
import { launcherConfig } from './config.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    const config = launcherConfig(env);
    if (!config.ok) {
      console.error(`launcher configuration: ${config.error}`);
      return;
    }
    ctx.waitUntil(refreshClusterHealth(config.value.clusters, env.CACHE, Date.now()));
  },
} satisfies ExportedHandler<Env>;
