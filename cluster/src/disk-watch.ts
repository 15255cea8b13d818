// The data disk's floor. A workspace's files (`/workspace`, its run folder) have no quota of their own, so a
// repository can write until the disk that holds every workspace and the cluster's state is full. The cluster
// looks at the disk's free space every few seconds (one statfs): below twice the floor it measures each live
// workspace's folder (the first measure of each is its baseline while the disk stays tight), and below the floor
// it refuses new starts and stops the workspaces whose folders grew since their baseline. One that does not grow is
// left alone, however large. Each workspace's own disk (workspace-disk.ts) bounds it; the floor is for the sum of
// those, which may be more than the disk holds.

import { statfsSync } from 'node:fs';
import { runHostCommand } from './sandbox/host-command.ts';

/** Growth under this since the baseline is noise (logs, editor state), not a workspace filling the disk. */
export const GROWTH_SLACK_BYTES = 1024 ** 2;

/** Bytes the cluster may still write on the disk holding `dataDir`; undefined when it cannot tell. */
export function dataDiskFree(dataDir: string): () => number | undefined {
  return () => {
    try {
      const stats = statfsSync(dataDir, { bigint: false });
      return stats.bavail * stats.bsize;
    } catch {
      return undefined;
    }
  };
}

/** Bytes a folder takes on its disk (du, this file system only, symlinks not followed); undefined when unknown. */
export async function folderUsage(dir: string): Promise<number | undefined> {
  const measured = await runHostCommand('du', ['-s', '-x', '-P', '--block-size=1', '--', dir], {
    timeoutMs: 60_000,
  });
  if (!measured.ok) return undefined;
  const bytes = Number(measured.value.split('\t')[0]);
  return Number.isFinite(bytes) ? bytes : undefined;
}

export type DiskState = 'plenty' | 'watch' | 'low';

/** Where the free space stands against the floor: `watch` from twice the floor down, `low` under it. */
export function diskState(free: number | undefined, floorBytes: number): DiskState {
  if (free === undefined || free >= 2 * floorBytes) return 'plenty';
  return free < floorBytes ? 'low' : 'watch';
}

/** The workspaces whose folders grew by more than the slack since their baseline (ids of `now`). */
export function growing(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): string[] {
  const grown: string[] = [];
  for (const [id, bytes] of now) {
    const previous = before.get(id);
    if (previous !== undefined && bytes - previous > GROWTH_SLACK_BYTES) grown.push(id);
  }
  return grown;
}

/** 1.5 GiB, 300 MiB: a free or used size for a message, rounded (capped-log.ts names exact caps). */
export function roughSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.max(0, Math.round(bytes / 1024 ** 2))} MiB`;
}
