// The commit a ref points at on the fake hosts' git server, as a clone sees it (`git ls-remote`), never asked of the
// launcher: what a test compares a workspace's checkout with.

import { execFileSync } from 'node:child_process';
import { gitEnv } from './fakes/git-repos.ts';

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
