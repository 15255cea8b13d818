// Prebuild snapshots: `<data>/snapshots/<prebuildId>.tar.gz` of a workspace's folder (the checkout with `.git`
// and whatever init produced beside it) beside a sha256 checksum file. Taken and restored by the cluster alone —
// the snapshot store is never visible inside a sandbox, and a snapshot is taken only after every process of the
// workspace has ended. Never restores an archive whose checksum does not match, never leaves a half-written
// archive under its final name, and never restores set-id bits or owners from an archive.

import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../../shared/result.ts';
import { describeExit, type ProcessGroups } from './child-processes.ts';

export interface SnapshotFiles {
  readonly archive: string;
  /** `<hex>  <archive name>`, the format `sha256sum -c` reads. */
  readonly checksum: string;
}

export function snapshotFiles(dataDir: string, prebuildId: string): SnapshotFiles {
  const archive = join(dataDir, 'snapshots', `${prebuildId}.tar.gz`);
  return { archive, checksum: `${archive}.sha256` };
}

/** Removes temp files a crash left mid-snapshot; they are never restored, only taking space. */
export function removeSnapshotLeftovers(dataDir: string): void {
  const dir = join(dataDir, 'snapshots');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
}

export type RestoreProblem =
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'corrupt'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string };

const TAR_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Archives `<workspaceDir>/workspace` as the prebuild's snapshot, replacing an older one with the same id. */
export async function storeSnapshot(
  processes: ProcessGroups,
  dataDir: string,
  prebuildId: string,
  workspaceDir: string,
  signal?: AbortSignal,
): Promise<Result<SnapshotFiles, string>> {
  const files = snapshotFiles(dataDir, prebuildId);
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  await mkdir(join(dataDir, 'snapshots'), { recursive: true });
  const result = await processes.run(
    'tar',
    [
      '--create',
      '--gzip',
      '--sparse',
      '--file',
      files.archive + suffix,
      '--directory',
      workspaceDir,
      'workspace',
    ],
    { cwd: workspaceDir, env: TAR_ENV, ...(signal !== undefined && { signal }) },
  );
  if (result.end.kind !== 'exited' || result.end.code !== 0) {
    await rm(files.archive + suffix, { force: true });
    const why = result.end.kind === 'exited' ? describeExit(result.end) : result.end.kind;
    return err(`Storing the prebuild snapshot failed (tar ${why}): ${result.stderr.trim().slice(-300)}`);
  }
  const digest = await sha256Of(files.archive + suffix);
  const name = `${prebuildId}.tar.gz`;
  await writeFile(files.checksum + suffix, `${digest}  ${name}\n`);
  // Archive first, checksum second: a crash in between leaves a mismatch, which restore treats as corrupt.
  await rename(files.archive + suffix, files.archive);
  await rename(files.checksum + suffix, files.checksum);
  return ok(files);
}

/** Unpacks the snapshot into `<workspaceDir>/workspace` after checking its checksum; removes any partial unpack. */
export async function restoreSnapshot(
  processes: ProcessGroups,
  dataDir: string,
  prebuildId: string,
  workspaceDir: string,
  signal?: AbortSignal,
): Promise<Result<void, RestoreProblem>> {
  const files = snapshotFiles(dataDir, prebuildId);
  let expected: string;
  try {
    expected = (await readFile(files.checksum, 'utf8')).split(/\s/)[0] ?? '';
  } catch {
    return err({ kind: 'missing', message: `prebuild ${prebuildId} has no snapshot on this cluster` });
  }
  let actual: string;
  try {
    actual = await sha256Of(files.archive);
  } catch {
    return err({
      kind: 'missing',
      message: `prebuild ${prebuildId} has no snapshot archive on this cluster`,
    });
  }
  if (actual !== expected)
    return err({
      kind: 'corrupt',
      message: `prebuild ${prebuildId}'s snapshot failed its checksum (corrupt)`,
    });

  const result = await processes.run(
    'tar',
    [
      '--extract',
      '--gzip',
      '--no-same-owner',
      '--no-same-permissions',
      '--file',
      files.archive,
      '--directory',
      workspaceDir,
      'workspace',
    ],
    { cwd: workspaceDir, env: TAR_ENV, ...(signal !== undefined && { signal }) },
  );
  if (result.end.kind === 'exited' && result.end.code === 0) return ok(undefined);
  await rm(join(workspaceDir, 'workspace'), { recursive: true, force: true });
  if (result.end.kind === 'aborted')
    return err({ kind: 'aborted', message: 'restoring the snapshot was stopped' });
  return err({
    kind: 'corrupt',
    message: `prebuild ${prebuildId}'s snapshot could not be unpacked (${result.stderr.trim().slice(-200)})`,
  });
}
