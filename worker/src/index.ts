// The launcher Worker: HTTP (app.ts), the cron trigger that refreshes cluster health, times out silent prebuilds
// and stops what runs on a cluster unfollowed, and the PREBUILDS queue consumer. `GET /` is answered by the landing
// app alone; the rest is imported on its first use, so a cold start that serves the landing page loads (and, split
// into modules by scripts/build-worker.ts, evaluates) only that (bench/cold-start).

import { launcherConfig } from './config.ts';
import { landingApp } from './landing-app.ts';
import type { PrebuildMessage } from './prebuilds/prebuild-trigger.ts';

const landing = landingApp();
let app: Promise<{ fetch: ExportedHandlerFetchHandler<Env> }> | undefined;
const wholeApp = () => {
  app ??= import('./app.ts').then((m) => m.createApp());
  return app;
};

export default {
  async fetch(request, env, ctx) {
    // The same middleware, page and onError as the whole app's `GET /` (landing-app.ts).
    if (request.method === 'GET' && new URL(request.url).pathname === '/')
      return landing.fetch(request, env, ctx);
    return (await wholeApp()).fetch(request, env, ctx);
  },
  async scheduled(_controller, env, ctx) {
    const config = launcherConfig(env);
    if (!config.ok) {
      console.error(`launcher configuration: ${config.error}`);
      return;
    }
    const [{ refreshClusterHealth }, { sweepOrphans }, { sweepPrebuilds }] = await Promise.all([
      import('./clusters/cluster-health.ts'),
      import('./clusters/cluster-reconcile.ts'),
      import('./prebuilds/prebuild-queue.ts'),
    ]);
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
    const { consumePrebuilds, triggerDeps } = await import('./prebuilds/prebuild-queue.ts');
    await consumePrebuilds(batch, triggerDeps(config.value, env));
  },
} satisfies ExportedHandler<Env, PrebuildMessage>;
