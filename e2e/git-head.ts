// The commit a ref points at on the fake hosts' git server, as a clone sees it (`git ls-remote`), never asked of the
// launcher: what a test compares a workspace's checkout with.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gitEnv } from '../dev/fakes/git-repos.ts';

/**
 * `remote` is the repository under the fake hosts' `gitBase` (`github.com/launchpod-samples/node-app.git`), `ref`
 * `HEAD` or `refs/heads/feature/x/y`. Throws when the ref is not there, so a missing head never passes for ''.
 */
export function headOf(gitBase: string | undefined, remote: string, ref: string): string {
  if (gitBase === undefined) throw new Error('no fake git hosts: the stack was not started with demo: true');
  const out = execFileSync('git', ['ls-remote', `${gitBase}/${remote}`, ref], { env: gitEnv() }).toString();
  const sha = out.split('\t')[0] ?? '';
  if (!/^[0-9a-f]{40}$/.test(sha))
    throw new Error(`${ref} is not on ${remote}: ls-remote said ${JSON.stringify(out)}`);
  return sha;
}

/** A workspace's checkout on the cluster's disk (`name`: the repository's name). */
export const checkoutIn = (clusterDataDir: string, id: string, name = 'node-app') =>
  join(clusterDataDir, 'workspaces', id, 'workspace', name);

/** git in a workspace's checkout, which belongs to the workspace's own uid (so git needs `safe.directory`). */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'safe.directory=*', '-C', dir, ...args], { env: gitEnv() })
    .toString()
    .trim();
}
