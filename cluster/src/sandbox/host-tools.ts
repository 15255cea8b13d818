// Which sandbox runtime this machine can run, and what to install when it can run none. Never picks a runtime whose
// tools are missing, and never falls back to running a repository's code without a sandbox.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { RuntimeKind } from './sandbox.ts';

/** A program a runtime needs, and the Debian package that has it. */
interface Tool {
  readonly program: string;
  readonly pkg: string;
}

// Every runtime: a network namespace per workspace (iproute2), user-mode networking without host loopback
// (slirp4netns), a firewall inside that namespace (iptables), util-linux's setpriv/prlimit, and each workspace's own
// disk, an ext4 image (e2fsprogs) mounted on a loop device (mount).
const COMMON: readonly Tool[] = [
  { program: 'ip', pkg: 'iproute2' },
  { program: 'slirp4netns', pkg: 'slirp4netns' },
  { program: 'iptables-restore', pkg: 'iptables' },
  { program: 'setpriv', pkg: 'util-linux' },
  { program: 'mkfs.ext4', pkg: 'e2fsprogs' },
  { program: 'mount', pkg: 'mount' },
];

const NEEDS: Readonly<Record<RuntimeKind, readonly Tool[]>> = {
  podman: [
    { program: 'podman', pkg: 'podman' },
    // crun refuses this kind of machine's hybrid cgroups; runc works (../shared/reference/workspaces.md).
    { program: 'runc', pkg: 'runc' },
    // A static init bind-mounted into every container: it holds the container open and reaps zombies.
    { program: 'catatonit', pkg: 'catatonit' },
    ...COMMON,
  ],
  bubblewrap: [{ program: 'bwrap', pkg: 'bubblewrap' }, { program: 'prlimit', pkg: 'util-linux' }, ...COMMON],
};

export const INSTALL_HINT: Readonly<Record<RuntimeKind, string>> = {
  podman: `apt-get install ${[...new Set(NEEDS.podman.map((t) => t.pkg))].join(' ')} uidmap`,
  bubblewrap: `apt-get install ${[...new Set(NEEDS.bubblewrap.map((t) => t.pkg))].join(' ')}`,
};

/** The full path of `program` on PATH, or undefined. */
export function findProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...path.split(delimiter), '/usr/sbin', '/sbin']) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Debian packages missing for a runtime (empty when it can run). */
export function missingPackages(kind: RuntimeKind, path?: string): string[] {
  return [
    ...new Set(NEEDS[kind].filter((t) => findProgram(t.program, path) === undefined).map((t) => t.pkg)),
  ];
}

export type RuntimePreference = RuntimeKind | 'auto';

export interface HostFacts {
  readonly isRoot: boolean;
  readonly path?: string;
}

/**
 * `auto` takes podman when it can run, else bubblewrap; a named runtime must be able to run. The message of a
 * refusal names exactly what to install or change.
 */
export function chooseRuntime(preference: RuntimePreference, facts: HostFacts): Result<RuntimeKind, string> {
  if (!facts.isRoot) {
    return err(
      'The reference cluster must run as root: it gives every workspace its own network namespace, firewall and ' +
        'host uid range (workspace code itself never runs as root). Start it with sudo.',
    );
  }
  const order: readonly RuntimeKind[] = preference === 'auto' ? ['podman', 'bubblewrap'] : [preference];
  for (const kind of order) if (missingPackages(kind, facts.path).length === 0) return ok(kind);
  if (preference !== 'auto') {
    return err(
      `The ${preference} workspace runtime needs ${missingPackages(preference, facts.path).join(', ')}: ` +
        `install with \`${INSTALL_HINT[preference]}\`, or choose another with --runtime.`,
    );
  }
  return err(
    'The reference cluster runs every workspace in a sandbox and this machine has no sandbox runtime. Install ' +
      `podman (\`${INSTALL_HINT.podman}\`, with memory, process and CPU limits) or bubblewrap ` +
      `(\`${INSTALL_HINT.bubblewrap}\`, lighter), then start again.`,
  );
}
