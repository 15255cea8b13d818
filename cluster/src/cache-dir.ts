// Where the cluster's machine-wide downloads live (the default workspace image, the editor): `$LAUNCHPOD_CACHE`, else
// `/var/cache/launchpod` for root — not root's home, which workspace uids cannot enter, and sandboxes read these
// folders as the workspace's own uid — else `~/.cache/launchpod`.

import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheRoot(
  env: Readonly<Record<string, string | undefined>> = process.env,
  isRoot = process.getuid?.() === 0,
): string {
  if (env.LAUNCHPOD_CACHE !== undefined && env.LAUNCHPOD_CACHE !== '') return env.LAUNCHPOD_CACHE;
  return isRoot ? '/var/cache/launchpod' : join(env.HOME ?? homedir(), '.cache', 'launchpod');
}
