// Each workspace's own range of 65,536 host uids, so no two workspaces — of this cluster or of another on the same
// machine — and no workspace and any host account share a uid even if one escaped its namespaces. Slots are
// numbered from a base far above the ids accounts and /etc/subuid ranges use, and claimed machine-wide: one file
// per slot, created exclusively, naming the workspace folder that holds it.

import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_UID } from './sandbox.ts';

/** Far above login accounts (1000+) and the usual subordinate ranges (100000+). */
export const UID_BASE = 2_000_000_000;
const RANGE = 65_536;
/** (2^32 − 2 − base) / range: every uid stays below 4294967294, the largest the kernel accepts. */
export const MAX_SLOTS = Math.floor((2 ** 32 - 2 - UID_BASE) / RANGE);

export interface UidRange {
  readonly slot: number;
  /** The sandbox's uid 0. */
  readonly base: number;
  /** The workspace user (uid 33333 inside). */
  readonly uid: number;
}

export function uidRange(slot: number): UidRange {
  const base = UID_BASE + slot * RANGE;
  return { slot, base, uid: base + WORKSPACE_UID };
}

/** Where clusters on this machine claim slots (root's, like the workspaces' uids themselves). */
export const DEFAULT_SLOT_REGISTRY = '/var/lib/launchpod/uid-slots';

/** Slots claimed machine-wide: `<registry>/<slot>` holds the path of the workspace folder that owns it. */
export class UidSlots {
  readonly #dir: string;

  constructor(dir = DEFAULT_SLOT_REGISTRY) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Claims the lowest free slot for `owner` (a workspace folder); undefined when every slot is held. */
  claim(owner: string): number | undefined {
    const held = new Set(
      readdirSync(this.#dir)
        .filter((n) => /^\d+$/.test(n))
        .map(Number),
    );
    for (let slot = 0; slot < MAX_SLOTS; slot++) {
      if (held.has(slot) && !this.#stale(slot)) continue;
      if (held.has(slot)) rmSync(this.#file(slot), { force: true });
      if (this.#create(slot, owner)) {
        // A stale claim's workspace is gone; whatever still runs under its uids (a crashed cluster's sandbox)
        // must not share them with the new one.
        if (held.has(slot)) {
          const { base } = uidRange(slot);
          for (let pass = 0; pass < 5; pass++) if (killUidRangeOnce(base) === 0) break;
        }
        return slot;
      }
    }
    return undefined;
  }

  /** Takes back a slot this owner held before a restart; false when someone else holds it now. */
  keep(slot: number, owner: string): boolean {
    const current = this.#owner(slot);
    if (current === owner) return true;
    if (current !== undefined && !this.#stale(slot)) return false;
    rmSync(this.#file(slot), { force: true });
    return this.#create(slot, owner);
  }

  /** Gives a slot back once its workspace's files are gone. */
  release(slot: number, owner: string): void {
    if (this.#owner(slot) === owner) rmSync(this.#file(slot), { force: true });
  }

  #file(slot: number): string {
    return join(this.#dir, String(slot));
  }

  #owner(slot: number): string | undefined {
    try {
      return readFileSync(this.#file(slot), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** A claim whose workspace folder no longer exists (its cluster's data was deleted) is free again. */
  #stale(slot: number): boolean {
    const owner = this.#owner(slot);
    if (owner === undefined) return true;
    try {
      statSync(owner);
      return false;
    } catch {
      return true;
    }
  }

  #create(slot: number, owner: string): boolean {
    try {
      const fd = openSync(this.#file(slot), 'wx', 0o600);
      try {
        writeSync(fd, owner);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * One pass over the host's processes: every uid of the range starting at `base` that a live process runs as (real,
 * effective or saved) sends SIGKILL to everything it may signal — `kill -9 -1` run as that uid, which the kernel
 * delivers to all of that uid's processes in one go, so a forking process cannot outrun it. Answers how many live
 * processes of the range it found (0: none was left).
 */
export function killUidRangeOnce(base: number): number {
  const uids = new Set<number>();
  let found = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${name}/status`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // A zombie has ended already; only its parent can take it away.
    if (/^State:\s+Z/m.test(status)) continue;
    const ids = (/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status) ?? []).slice(1).map(Number);
    const inRange = ids.filter((uid) => uid >= base && uid < base + RANGE);
    if (inRange.length === 0) continue;
    found++;
    for (const uid of inRange) uids.add(uid);
  }
  for (const uid of uids) {
    // setpriv, not spawn's `uid` option: Node takes only int32 uids, and workspace uids reach 4294967293.
    spawnSync(
      'setpriv',
      [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '/bin/sh', '-c', 'kill -9 -1'],
      {
        stdio: 'ignore',
        cwd: '/',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      },
    );
  }
  return found;
}

/**
 * Ends every host process of the range starting at `base` (a workspace's): passes of `killUidRangeOnce` until one
 * finds nothing left, or `timeoutMs` has passed. Answers whether none is left. A workspace's runtime ends its
 * processes itself; this is what makes sure, whatever the runtime missed (a container's init a half-finished
 * `podman rm` left running, a bubblewrap sandbox whose monitor was killed).
 */
export async function endUidRange(base: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (killUidRangeOnce(base) === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
