// The editor install `npm run cluster:editor` leaves in the cache: code-server and the Node 24 it runs on, described
// by `editor.json`. Read at cluster start; a missing or broken install is a message saying how to install it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';
import { cacheRoot } from '../cache-dir.ts';

/** code-server 4.139.1 serves VS Code 1.139; it needs Node 24 (../shared/reference/workspaces.md). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.22.3';

export interface EditorInstall {
  readonly version: string;
  readonly nodeVersion: string;
  /** The folder mounted read-only into every workspace. */
  readonly dir: string;
  /** `<dir>/node/bin/node` and code-server's entry script, as host paths. */
  readonly node: string;
  readonly entry: string;
}

export function editorCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(cacheRoot(env), 'editor');
}

export function readEditor(cacheDir: string): Result<EditorInstall, string> {
  const file = join(cacheDir, 'editor.json');
  const install = 'Install it once with `npm run cluster:editor` (a few minutes; npm only).';
  let parsed: Partial<EditorInstall> | null;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EditorInstall> | null;
  } catch {
    return err(`The workspace editor (code-server) is not installed (no ${file}). ${install}`);
  }
  if (
    parsed?.version !== CODE_SERVER_VERSION ||
    parsed.nodeVersion !== NODE_VERSION ||
    typeof parsed.dir !== 'string' ||
    typeof parsed.node !== 'string' ||
    typeof parsed.entry !== 'string'
  )
    return err(`${file} describes another editor than code-server ${CODE_SERVER_VERSION}. ${install}`);
  if (!existsSync(parsed.node) || !existsSync(parsed.entry))
    return err(`The editor install in ${parsed.dir} is incomplete. ${install}`);
  return ok(parsed as EditorInstall);
}
