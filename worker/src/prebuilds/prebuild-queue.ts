// The PREBUILDS queue consumer and the cron sweep. Each message is one webhook trigger (prebuild-trigger.ts); a
// message whose work threw (host or D1 down) is retried by the queue, a skip or a start is acknowledged.

import type { LauncherConfig } from '../config.ts';
import { resolvers } from '../hosts/resolvers.ts';
import { sweepSilentPrebuilds } from './prebuild-records.ts';
import { type PrebuildMessage, runTrigger, type TriggerDeps } from './prebuild-trigger.ts';

/** A prebuild with no cluster event for this long is marked `timeout`. */
export const SILENT_PREBUILD_MS = 60 * 60_000;

export function triggerDeps(config: LauncherConfig, env: Env, now: () => number = Date.now): TriggerDeps {
  return { config, db: env.DB, cache: env.CACHE, resolvers, now };
}

export async function consumePrebuilds(
  batch: MessageBatch<PrebuildMessage>,
  deps: TriggerDeps,
): Promise<void> {
  for (const message of batch.messages) {
    try {
      const outcome = await runTrigger(message.body, deps);
      console.log(
        `prebuild trigger ${message.body.deliveryId} ${message.body.trigger.sha.slice(0, 12)}: ${outcome.kind}${
          'reason' in outcome ? ` (${outcome.reason})` : ''
        }`,
      );
      message.ack();
    } catch (error) {
      console.error(
        `prebuild trigger ${message.body.deliveryId} failed: ${error instanceof Error ? error.message : error}`,
      );
      message.retry({ delaySeconds: 30 });
    }
  }
}

export function sweepPrebuilds(db: D1Database, now: number): Promise<number> {
  return sweepSilentPrebuilds(db, now, SILENT_PREBUILD_MS);
}
