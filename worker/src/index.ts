// The launcher Worker: HTTP (app.ts), the cron trigger that refreshes cluster health, times out silent prebuilds
// and stops what runs on a cluster unfollowed, and the PREBUILDS queue consumer.

import { createApp } from './app.ts';
import { refreshClusterHealth } from './clusters/cluster-health.ts';
import { sweepOrphans } from './clusters/cluster-reconcile.ts';
import { launcherConfig } from './config.ts';
import { consumePrebuilds, sweepPrebuilds, triggerDeps } from './prebuilds/prebuild-queue.ts';
import type { PrebuildMessage } from './prebuilds/prebuild-trigger.ts';

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
    ctx.waitUntil(sweepPrebuilds(env.DB, Date.now()));
    // Nothing runs on a cluster unfollowed: abandoned starts and orphans the clusters list are stopped.
    ctx.waitUntil(sweepOrphans({ config: config.value, db: env.DB, now: Date.now }));
  },
  async queue(batch, env) {
    const config = launcherConfig(env);
    if (!config.ok) {
      console.error(`launcher configuration: ${config.error}`);
      batch.retryAll({ delaySeconds: 60 });
      return;
    }
    await consumePrebuilds(batch, triggerDeps(config.value, env));
  },
} satisfies ExportedHandler<Env, PrebuildMessage>;
