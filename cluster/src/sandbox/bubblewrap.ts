// The bubblewrap runtime: every task step is a bwrap sandbox started as the workspace's own unprivileged host uid
// (setpriv), in new user, PID, mount, IPC and UTS namespaces, inside the workspace's network namespace (made by the
// cluster, with its firewall), with the image's root filesystem read-only as `/` and only `/workspace` writable.
// Limits come from the host's cgroups when writable (podman-equivalent), and RLIMIT_NPROC on the workspace uid
// always. The environment goes in as `--setenv` arguments: the root-run wrappers before bwrap see none of it.

import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { ProcessGroups } from '../child-processes.ts';
import { cgroupsUsable, createCgroups, type WorkspaceCgroups } from './cgroups.ts';
import { findProgram } from './host-tools.ts';
import { createNetwork, SLIRP_DNS, type WorkspaceNetwork } from './network.ts';
import { sweepNetworks } from './podman.ts';
import {
  type Sandbox,
  type SandboxRunOptions,
  type SandboxSpec,
  WORKSPACE_HOME,
  WORKSPACE_MOUNT,
  WORKSPACE_UID,
  type WorkspaceRuntime,
} from './sandbox.ts';
import { sandboxNames } from './sandbox-names.ts';
import { sandboxProcesses } from './sandbox-processes.ts';

export interface BubblewrapOptions {
  readonly stateDir: string;
  readonly tag: string;
  readonly processes: ProcessGroups;
  readonly allowNetworks: readonly string[];
}

/** The PATH inside: the image's usual one (bwrap runs the image's programs, not the host's). */
const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Joins the workspace's cgroups (their files are the first arguments), then execs the rest: a fixed script, the
// paths and the command are arguments, so nothing from a workspace is ever read as shell.
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

export function bubblewrapRuntime(options: BubblewrapOptions): WorkspaceRuntime {
  const resolvConf = join(options.stateDir, 'workspace-resolv.conf');
  writeFileSync(resolvConf, `nameserver ${SLIRP_DNS}\n`);
  const programs = {
    sh: findProgram('sh') ?? '/bin/sh',
    ip: findProgram('ip') ?? '/usr/sbin/ip',
    prlimit: findProgram('prlimit') ?? '/usr/bin/prlimit',
    setpriv: findProgram('setpriv') ?? '/usr/bin/setpriv',
    bwrap: findProgram('bwrap') ?? '/usr/bin/bwrap',
  };
  const limited = cgroupsUsable();

  return {
    kind: 'bubblewrap',
    isolation: `bubblewrap: own user, PID, mount, network, IPC and UTS namespaces and host uid range; no capabilities; ${
      limited
        ? 'memory, process and CPU limits through cgroups'
        : 'a process limit only (this machine lets the cluster set no cgroup limits)'
    }; outbound network only through slirp4netns, never the host or private networks.`,

    async create(spec: SandboxSpec): Promise<Result<Sandbox, string>> {
      if (spec.image.rootfsDir === undefined) return err('bubblewrap needs a root filesystem folder');
      const names = sandboxNames(options.tag, spec.id);
      const network = await createNetwork({
        name: names.netns,
        mode: spec.network,
        allow: options.allowNetworks,
      });
      if (!network.ok) return network;
      let cgroups: WorkspaceCgroups | undefined;
      if (limited) {
        const made = createCgroups(names.cgroup, spec.limits);
        if (!made.ok) {
          await network.value.destroy();
          return made;
        }
        cgroups = made.value;
      }
      const rootfs = spec.image.rootfsDir;
      const rootEntries = imageRoot(rootfs);
      const bwrapArgs = (options: SandboxRunOptions): string[] => [
        '--unshare-user',
        '--uid',
        String(WORKSPACE_UID),
        '--gid',
        String(WORKSPACE_UID),
        '--unshare-pid',
        '--unshare-ipc',
        '--unshare-uts',
        '--unshare-cgroup-try',
        '--hostname',
        'workspace',
        '--die-with-parent',
        // A new session: a task cannot push keystrokes into a terminal it was started from (TIOCSTI).
        '--new-session',
        '--cap-drop',
        'ALL',
        // bwrap's own root is an empty tmpfs: the image's top-level folders go in read-only one by one, so the
        // mount points below can be made whatever the image holds; the root itself is read-only at the end.
        ...rootEntries,
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--tmpfs',
        '/tmp',
        '--tmpfs',
        '/run',
        ...(existsSync(join(rootfs, WORKSPACE_HOME.slice(1))) ? ['--tmpfs', WORKSPACE_HOME] : []),
        '--bind',
        spec.workspaceDir,
        WORKSPACE_MOUNT,
        ...(spec.mounts ?? []).flatMap((m) => [
          m.writable === true ? '--bind' : '--ro-bind',
          m.host,
          m.inside,
        ]),
        '--ro-bind',
        resolvConf,
        '/etc/resolv.conf',
        '--remount-ro',
        '/',
        '--chdir',
        options.cwd,
        '--clearenv',
        ...Object.entries({
          PATH: SANDBOX_PATH,
          HOME: existsSync(join(rootfs, WORKSPACE_HOME.slice(1))) ? WORKSPACE_HOME : '/tmp',
          USER: 'launchpod',
          ...options.env,
        }).flatMap(([name, value]) => ['--setenv', name, value]),
        '--',
      ];
      const wrapped = (argv: readonly string[], options: SandboxRunOptions): string[] => [
        '-c',
        JOIN_CGROUPS,
        'sh',
        String(cgroups?.procsFiles.length ?? 0),
        ...(cgroups?.procsFiles ?? []),
        programs.ip,
        'netns',
        'exec',
        names.netns,
        programs.prlimit,
        `--nproc=${spec.limits.pids}`,
        '--',
        programs.setpriv,
        `--reuid=${spec.hostUid}`,
        `--regid=${spec.hostUid}`,
        '--clear-groups',
        '--inh-caps=-all',
        programs.bwrap,
        ...bwrapArgs(options),
        ...argv,
      ];
      return ok(bubblewrapSandbox(spec.id, wrapped, programs.sh, network.value, cgroups, options.processes));
    },

    async sweep() {
      await sweepNetworks(options.tag);
    },
  };
}

/** Folders the sandbox makes itself, never taken from the image. */
const OWN_MOUNTS = new Set(['proc', 'dev', 'sys', 'tmp', 'run', 'workspace', 'launchpod']);

/** bwrap arguments that put the image's top-level folders (read-only) and symlinks into an empty root. */
function imageRoot(rootfs: string): string[] {
  const args: string[] = [];
  for (const entry of readdirSync(rootfs, { withFileTypes: true })) {
    if (OWN_MOUNTS.has(entry.name)) continue;
    const path = join(rootfs, entry.name);
    if (entry.isSymbolicLink()) args.push('--symlink', readlinkSync(path), `/${entry.name}`);
    else if (entry.isDirectory()) args.push('--ro-bind', path, `/${entry.name}`);
  }
  return args;
}

function bubblewrapSandbox(
  id: string,
  wrapped: (argv: readonly string[], options: SandboxRunOptions) => string[],
  sh: string,
  network: WorkspaceNetwork,
  cgroups: WorkspaceCgroups | undefined,
  processes: ProcessGroups,
): Sandbox {
  const own = sandboxProcesses(processes);
  let destroyed: Promise<void> | undefined;
  const spawnOptions = (options: SandboxRunOptions) => ({
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.onOutput !== undefined && { onOutput: options.onOutput }),
    ...(options.onStdout !== undefined && { onStdout: options.onStdout }),
  });
  return {
    id,
    run: (argv, options) => own.run(sh, wrapped(argv, options), spawnOptions(options)),
    start: (argv, options) => own.start(sh, wrapped(argv, options), spawnOptions(options)),
    destroy() {
      destroyed ??= (async () => {
        // Each bwrap monitor's death takes its sandbox with it (--die-with-parent); the cgroup catches the rest.
        await own.endAll();
        await cgroups?.remove();
        await network.destroy();
      })();
      return destroyed;
    },
  };
}
