// The live prebuild badge's state for a context URL, from the prebuild records alone (no host request): ready,
// building, failed or none. The SVG itself is shared/badge.ts's (badge-maker escapes every text).

import type { PrebuildBadgeState } from '../../../shared/badge.ts';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import type { HostRegistry } from '../../../shared/host-registry.ts';
import { prebuildStatus } from './prebuild-status.ts';

export async function prebuildBadgeState(
  db: D1Database,
  registry: HostRegistry,
  input: string,
  now: number,
): Promise<PrebuildBadgeState> {
  const parsed = parseLaunchInput(input, registry);
  if (!parsed.ok) return 'none';
  return (await prebuildStatus(db, parsed.value.context, now)).state;
}
