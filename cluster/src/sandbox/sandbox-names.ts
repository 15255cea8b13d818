// Host-side names of a workspace's sandbox: its container, network namespace and cgroup. Short and made of safe
// characters whatever the workspace id, and prefixed with the cluster's tag so a sweep only ever removes its own.

import { createHash } from 'node:crypto';

export interface SandboxNames {
  readonly container: string;
  readonly netns: string;
  readonly cgroup: string;
  /** What every netns of this cluster starts with. */
  readonly netnsPrefix: string;
}

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** A cluster's tag: a digest of its data folder, so two clusters on one machine never share names. */
export const clusterTag = (dataDir: string) => digest(`launchpod-cluster:${dataDir}`, 8);

export function sandboxNames(tag: string, workspaceId: string): SandboxNames {
  const id = digest(workspaceId, 12);
  return {
    container: `lp-${tag}-${id}`,
    netns: `lp-${tag}-${id}`,
    cgroup: `launchpod/${tag}-${id}`,
    netnsPrefix: `lp-${tag}-`,
  };
}
