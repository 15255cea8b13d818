// A workspace's own disk: an ext4 image of `--workspace-disk` bytes in `<data>/disks/<id>.img`, mounted at the
// workspace's folder `<data>/workspaces/<id>` (its files, run folder, agent files and logs) while the cluster runs.
// The image is sparse and mounted with `discard`: it takes on the host only what the workspace holds. A repository
// that writes without end fills its own disk ("No space left on device" inside), never the host's, so the other
// workspaces and the cluster's state keep theirs. 1% of it is kept for root (ext4's reserved blocks), so the
// cluster's own writes there (logs, the agent's files on a restart) still succeed once the workspace's user has
// filled the rest. A workspace made before disks, or with `--workspace-disk 0`, has none and works as before.

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { chmod, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../shared/result.ts';
import { runHostCommand } from './sandbox/host-command.ts';

/** What each workspace gets unless the operator says otherwise (sparse: the host holds only what is used). */
export const DEFAULT_WORKSPACE_DISK_BYTES = 20 * 1024 ** 3;

/** The disk image of workspace `id`. */
export const diskImage = (dataDir: string, id: string) => join(dataDir, 'disks', `${id}.img`);

/** Mount points of this process's mount namespace (`/proc/self/mountinfo`, octal escapes undone). */
export function mountPoints(): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) =>
      point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
    );
}

export const isMounted = (dir: string) => mountPoints().includes(dir);

const MOUNT_OPTIONS = 'loop,nosuid,nodev,noatime,discard';

/**
 * Makes a new workspace's disk (when `bytes` > 0) and mounts it at `dir`, the workspace's empty folder. A message
 * with a way out when it cannot.
 */
export async function makeWorkspaceDisk(
  image: string,
  dir: string,
  bytes: number,
): Promise<Result<void, string>> {
  if (bytes <= 0) return ok(undefined);
  mkdirSync(join(image, '..'), { recursive: true, mode: 0o700 });
  if (!existsSync(image)) {
    const fd = openSync(image, 'wx', 0o600);
    try {
      ftruncateSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    // Lazy inode tables and journal, no discard of the fresh (sparse) image: ~0.1 s whatever the size.
    const made = await runHostCommand(
      'mkfs.ext4',
      ['-q', '-F', '-m', '1', '-E', 'lazy_itable_init=1,lazy_journal_init=1,nodiscard', image],
      { timeoutMs: 60_000 },
    );
    if (!made.ok) {
      rmSync(image, { force: true });
      return err(
        `The cluster could not make this workspace's disk (${made.error}); its operator can install e2fsprogs, or run the cluster with --workspace-disk 0.`,
      );
    }
  }
  return mountWorkspaceDisk(image, dir);
}

/** Mounts a workspace's existing disk at its folder, unless it is mounted already (a cluster killed before). */
export async function mountWorkspaceDisk(image: string, dir: string): Promise<Result<void, string>> {
  if (isMounted(dir)) return ok(undefined);
  const mounted = await runHostCommand('mount', ['-o', MOUNT_OPTIONS, image, dir], { timeoutMs: 60_000 });
  if (!mounted.ok)
    return err(
      `The cluster could not mount this workspace's disk (${mounted.error}); its operator can check that loop devices are available (modprobe loop), or run the cluster with --workspace-disk 0.`,
    );
  // ext4's own folder for fsck's finds: not the workspace's to see.
  await rmdir(join(dir, 'lost+found')).catch(() => {});
  // As the folder was: other uids enter (each workspace's walks to its own) but do not list.
  await chmod(dir, 0o711);
  return ok(undefined);
}

/** The same, at start-up, before anything reads the workspaces' folders. */
export function mountWorkspaceDiskNow(image: string, dir: string): Result<void, string> {
  if (!existsSync(image) || isMounted(dir)) return ok(undefined);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o711 });
    execFileSync('mount', ['-o', MOUNT_OPTIONS, image, dir], { stdio: 'pipe', timeout: 60_000 });
    return ok(undefined);
  } catch (cause) {
    return err(`The cluster could not mount this workspace's disk: ${String((cause as Error).message)}`);
  }
}

/** Unmounts a workspace's disk (its processes gone); lazily when something still holds it. */
export async function unmountWorkspaceDisk(dir: string): Promise<void> {
  if (!isMounted(dir)) return;
  const unmounted = await runHostCommand('umount', [dir], { timeoutMs: 60_000 });
  if (!unmounted.ok) await runHostCommand('umount', ['--lazy', dir], { timeoutMs: 60_000 });
}

/** Every workspace disk still mounted under a data folder (a cluster killed before it unmounted them). */
export function unmountAllUnder(dataDir: string): void {
  const prefix = `${join(dataDir, 'workspaces')}/`;
  for (const point of mountPoints().filter((p) => p.startsWith(prefix)))
    try {
      execFileSync('umount', ['--lazy', point], { stdio: 'ignore' });
    } catch {
      // gone meanwhile
    }
}
