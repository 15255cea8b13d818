// The cluster's memory across restarts: each workspace's start request, last status and event sequence, kept in
// `<data>/state.json`. Never leaves a half-written file: a save writes a temp file, syncs it and renames it over.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { StartWorkspaceRequest, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';

export interface StoredWorkspace {
  readonly request: StartWorkspaceRequest;
  readonly status: WorkspaceStatus;
  /** The sequence of the last event sent, so events after a restart keep counting up. */
  readonly sequence: number;
  /** The workspace's host uid range slot (see sandbox/uid-ranges.ts), held while its files exist. */
  readonly slot: number;
}

// 2: workspaces hold a uid range slot and live in `workspace/` (version 1 ran tasks without a sandbox).
const STATE_VERSION = 2;

interface StateFile {
  readonly version: number;
  readonly workspaces: readonly StoredWorkspace[];
}

const isStored = (v: unknown): v is StoredWorkspace => {
  const w = v as Partial<Record<keyof StoredWorkspace, Record<string, unknown>>> | null;
  return (
    typeof w?.request?.id === 'string' &&
    typeof w.status?.id === 'string' &&
    typeof w.status.phase === 'string' &&
    typeof (v as { sequence?: unknown }).sequence === 'number' &&
    typeof (v as { slot?: unknown }).slot === 'number'
  );
};

/** The stored workspaces; none when the file does not exist yet. */
export function loadWorkspaces(file: string): Result<StoredWorkspace[], string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
    return err(`Could not read ${file}: ${(cause as Error).message}`);
  }
  const wayOut = `Move ${file} aside to start with an empty cluster (its workspaces will be forgotten).`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err(`${file} is not valid JSON. ${wayOut}`);
  }
  const state = parsed as Partial<StateFile> | null;
  if (
    state?.version !== STATE_VERSION ||
    !Array.isArray(state.workspaces) ||
    !state.workspaces.every(isStored)
  )
    return err(`${file} is not a version ${STATE_VERSION} cluster state file. ${wayOut}`);
  return ok([...state.workspaces]);
}

/** Replaces the file atomically; answers a message when the disk refused. */
export function saveWorkspaces(file: string, workspaces: Iterable<StoredWorkspace>): Result<void, string> {
  const state: StateFile = { version: STATE_VERSION, workspaces: [...workspaces] };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // 0600: requests carry the user's environment variables.
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (cause) {
    return err(`Could not save ${file}: ${(cause as Error).message}`);
  }
  return ok(undefined);
}
