// The podman runtime: one container per workspace (runc), held open by a static init, in the network namespace the
// cluster made for it, with its own host uid range (`--uidmap`), no capabilities, no new privileges, the image
// read-only, and memory, process and CPU limits. Tasks enter it with `podman exec` as the workspace user. Podman's own environment is only
// the cluster's (a task's variables go in as `--env` arguments: as podman's environment, `CONTAINERS_CONF` or
// `CONTAINER_HOST` from a `.gitpod.yml` would steer podman itself, as root).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { ProcessGroups } from '../child-processes.ts';
import { runHostCommand } from './host-command.ts';
import { findProgram } from './host-tools.ts';
import type { ImageChecks } from './images.ts';
import { applyFirewall, removeNetwork, SLIRP_DNS } from './network.ts';
import {
  type Sandbox,
  type SandboxRunOptions,
  type SandboxSpec,
  WORKSPACE_HOME,
  WORKSPACE_MOUNT,
  WORKSPACE_UID,
  type WorkspaceRuntime,
} from './sandbox.ts';
import { type SandboxNames, sandboxNames } from './sandbox-names.ts';
import { sandboxProcesses } from './sandbox-processes.ts';

export interface PodmanOptions {
  /** A folder of the cluster's own, for `containers.conf`. */
  readonly stateDir: string;
  /** Tells this cluster's containers and namespaces from others' (a digest of its data folder). */
  readonly tag: string;
  readonly processes: ProcessGroups;
  /** Private ranges workspaces may reach (the operator's `--workspace-allow-net`). */
  readonly allowNetworks: readonly string[];
}

// runc, not crun (crun refuses this machine's hybrid cgroups); ulimits podman's defaults would fail to set here.
const CONTAINERS_CONF = `# Written by the Launchpod cluster for its workspace containers.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
`;

const INIT_PATH = '/.launchpod/init';
const LABEL_CLUSTER = 'io.launchpod.cluster';
const LABEL_WORKSPACE = 'io.launchpod.workspace';

export function podmanRuntime(options: PodmanOptions): WorkspaceRuntime & { imageChecks: ImageChecks } {
  const confFile = join(options.stateDir, 'containers.conf');
  writeFileSync(confFile, CONTAINERS_CONF);
  const podmanEnv = { CONTAINERS_CONF: confFile };
  const podman = (args: readonly string[], timeoutMs = 120_000) =>
    runHostCommand('podman', args, { env: podmanEnv, timeoutMs, cwd: options.stateDir });
  const catatonit = findProgram('catatonit') ?? '/usr/bin/catatonit';

  return {
    kind: 'podman',
    isolation:
      'podman container (runc): own PID, mount, network, IPC and UTS namespaces and host uid range; no capabilities; memory, process and CPU limits; outbound network only through slirp4netns, never the host or private networks.',
    imageChecks: {
      podmanHas: async (ref) => (await podman(['image', 'exists', ref])).ok,
      podmanPull: async (ref) => {
        const pulled = await podman(['pull', '--quiet', ref], 600_000);
        return pulled.ok ? ok(undefined) : err(pulled.error);
      },
    },

    async create(spec: SandboxSpec): Promise<Result<Sandbox, string>> {
      if (spec.image.podmanRef === undefined) return err('podman needs an image reference');
      const names = sandboxNames(options.tag, spec.id);
      await podman(['rm', '--force', '--time', '0', names.container]);
      const { limits } = spec;
      const mounts = (spec.mounts ?? []).flatMap((m) => [
        '--volume',
        `${m.host}:${m.inside}:${m.writable === true ? 'rw' : 'ro'},nosuid,nodev`,
      ]);
      const created = await podman([
        'run',
        '--detach',
        '--name',
        names.container,
        '--label',
        `${LABEL_CLUSTER}=${options.tag}`,
        '--label',
        `${LABEL_WORKSPACE}=${spec.id}`,
        '--uidmap',
        `0:${spec.hostUidBase}:65536`,
        '--gidmap',
        `0:${spec.hostUidBase}:65536`,
        '--user',
        `${WORKSPACE_UID}:${WORKSPACE_UID}`,
        // podman's own slirp4netns: without host loopback, without IPv6; the firewall goes in before any exec.
        '--network',
        spec.network === 'outbound' ? 'slirp4netns:allow_host_loopback=false,enable_ipv6=false' : 'none',
        ...(spec.network === 'outbound' ? ['--dns', SLIRP_DNS] : []),
        '--hostname',
        'workspace',
        '--memory',
        String(limits.memoryBytes),
        '--memory-swap',
        String(limits.memoryBytes),
        '--pids-limit',
        String(limits.pids),
        '--cpu-shares',
        String(limits.cpuShares),
        '--cap-drop',
        'all',
        '--security-opt',
        'no-new-privileges',
        // The image read-only, as under bubblewrap: what a workspace writes outside /workspace goes into tmpfs
        // (/tmp, /var/tmp, /run, and the home folder with the image's files copied in), counted in its memory
        // limit, never onto the host's disk through the container's own layer.
        '--read-only',
        '--read-only-tmpfs=true',
        '--tmpfs',
        `${WORKSPACE_HOME}:rw,nosuid,nodev,mode=0700,U`,
        '--volume',
        `${spec.workspaceDir}:${WORKSPACE_MOUNT}:rw,nosuid,nodev`,
        ...mounts,
        '--volume',
        `${catatonit}:${INIT_PATH}:ro`,
        '--entrypoint',
        JSON.stringify([INIT_PATH, '-P']),
        spec.image.podmanRef,
      ]);
      const removeIt = () => podman(['rm', '--force', '--time', '0', names.container]);
      if (!created.ok) {
        // A failed `run` can leave the container created but not started.
        await removeIt();
        return err(`podman could not start the workspace container: ${created.error}`);
      }
      // Only the static init runs in it so far: no workspace code has run when the firewall goes in.
      const pid = await podman(['inspect', '--format', '{{.State.Pid}}', names.container]);
      const walled =
        pid.ok && /^\d+$/.test(pid.value.trim())
          ? await applyFirewall(['nsenter', `--target=${pid.value.trim()}`, '--net'], options.allowNetworks)
          : err(`podman did not say the container's process (${pid.ok ? pid.value.trim() : pid.error})`);
      if (!walled.ok) {
        await removeIt();
        return err(`Could not set up the workspace's network: ${walled.error}`);
      }
      return ok(podmanSandbox(spec.id, names, options.processes, podman, podmanEnv, options.stateDir));
    },

    async sweep() {
      const listed = await podman([
        'ps',
        '--all',
        '--filter',
        `label=${LABEL_CLUSTER}=${options.tag}`,
        '--format',
        '{{.Names}}',
      ]);
      if (listed.ok) {
        for (const name of listed.value.split('\n').filter(Boolean))
          await podman(['rm', '--force', '--time', '0', name]);
      }
      await sweepNetworks(options.tag);
    },
  };
}

/** Deletes network namespaces of this cluster that a crash left (their names start with the cluster's tag). */
export async function sweepNetworks(tag: string): Promise<void> {
  const listed = await runHostCommand('ip', ['netns', 'list']);
  if (!listed.ok) return;
  const prefix = sandboxNames(tag, '').netnsPrefix;
  for (const line of listed.value.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (name.startsWith(prefix)) await removeNetwork(name);
  }
}

function podmanSandbox(
  id: string,
  names: SandboxNames,
  processes: ProcessGroups,
  podman: (args: readonly string[], timeoutMs?: number) => Promise<Result<string, string>>,
  podmanEnv: Readonly<Record<string, string>>,
  stateDir: string,
): Sandbox {
  const own = sandboxProcesses(processes);
  let destroyed: Promise<void> | undefined;

  const execArgs = (argv: readonly string[], options: SandboxRunOptions) => [
    'exec',
    '--user',
    `${WORKSPACE_UID}:${WORKSPACE_UID}`,
    '--workdir',
    options.cwd,
    ...Object.entries(options.env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    names.container,
    ...argv,
  ];
  const spawnOptions = (options: SandboxRunOptions) => ({
    // conmon writes an `oom` marker into podman's working directory when the container runs out of memory.
    cwd: stateDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', ...podmanEnv },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.onOutput !== undefined && { onOutput: options.onOutput }),
    ...(options.onStdout !== undefined && { onStdout: options.onStdout }),
  });

  return {
    id,
    run: (argv, options) => own.run('podman', execArgs(argv, options), spawnOptions(options)),
    start: (argv, options) => own.start('podman', execArgs(argv, options), spawnOptions(options)),
    destroy() {
      destroyed ??= (async () => {
        // The container first: that ends every process inside, whatever started it.
        await podman(['rm', '--force', '--time', '1', names.container]);
        await own.endAll();
      })();
      return destroyed;
    },
  };
}
