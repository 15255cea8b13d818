// Reads the cluster's command line and LAUNCHPOD_CLUSTER_* environment into ClusterOptions plus a port. Flags win
// over the environment. Never exits or prints: a problem comes back as a message saying which flag to fix.

import { parseArgs } from 'node:util';
import { err, ok, type Result } from '../../shared/result.ts';
import type { ClusterOptions } from './cluster.ts';
import { parseImageMap } from './sandbox/images.ts';
import { parseCidr } from './sandbox/network.ts';
import { DEFAULT_LIMITS } from './sandbox/sandbox.ts';

export interface CliOptions {
  readonly cluster: ClusterOptions;
  readonly port: number;
}

/** flag → environment variable. The secret is best given through the environment: flags show in `ps`. */
const FLAGS = {
  name: 'LAUNCHPOD_CLUSTER_NAME',
  region: 'LAUNCHPOD_CLUSTER_REGION',
  port: 'LAUNCHPOD_CLUSTER_PORT',
  data: 'LAUNCHPOD_CLUSTER_DATA',
  secret: 'LAUNCHPOD_CLUSTER_SECRET',
  'public-origin': 'LAUNCHPOD_CLUSTER_PUBLIC_ORIGIN',
  'max-workspaces': 'LAUNCHPOD_CLUSTER_MAX_WORKSPACES',
  'git-config': 'LAUNCHPOD_CLUSTER_GIT_CONFIG',
  'clone-timeout': 'LAUNCHPOD_CLUSTER_CLONE_TIMEOUT',
  'task-timeout': 'LAUNCHPOD_CLUSTER_TASK_TIMEOUT',
  runtime: 'LAUNCHPOD_CLUSTER_RUNTIME',
  'image-map': 'LAUNCHPOD_CLUSTER_IMAGE_MAP',
  'image-pull': 'LAUNCHPOD_CLUSTER_IMAGE_PULL',
  'workspace-memory': 'LAUNCHPOD_CLUSTER_WORKSPACE_MEMORY',
  'workspace-pids': 'LAUNCHPOD_CLUSTER_WORKSPACE_PIDS',
  'workspace-cpu-shares': 'LAUNCHPOD_CLUSTER_WORKSPACE_CPU_SHARES',
  'workspace-allow-net': 'LAUNCHPOD_CLUSTER_WORKSPACE_ALLOW_NET',
  editor: 'LAUNCHPOD_CLUSTER_EDITOR',
  'idle-timeout': 'LAUNCHPOD_CLUSTER_IDLE_TIMEOUT',
  'disk-floor': 'LAUNCHPOD_CLUSTER_DISK_FLOOR',
  'workspace-disk': 'LAUNCHPOD_CLUSTER_WORKSPACE_DISK',
} as const;

type Flag = keyof typeof FLAGS;

export const USAGE = `Usage: node --import tsx cluster/src/main.ts --secret <s> [--name local] [--region local] [--port 8788]
  [--data .launchpod/cluster] [--public-origin http://workspaces.localhost:<port>] [--max-workspaces 4]
  [--git-config <file>] [--clone-timeout <seconds>] [--task-timeout <seconds>]
  [--runtime auto|podman|bubblewrap] [--image-map <name>=<local image>,…] [--image-pull missing|never]
  [--workspace-memory 2g] [--workspace-pids 2048] [--workspace-cpu-shares 1024] [--workspace-allow-net <cidr>,…]
  [--workspace-disk 20g]
  [--editor on|off] [--idle-timeout <seconds>] [--disk-floor 2g]
Each flag may instead come from ${Object.values(FLAGS).join(', ')}.`;

function whole(flag: Flag, text: string, min: number): Result<number, string> {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min
    ? ok(value)
    : err(`--${flag} must be a whole number of at least ${min}, not "${text}".`);
}

export function readCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<CliOptions, string> {
  let values: Partial<Record<Flag, string>>;
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }]));
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Partial<
      Record<Flag, string>
    >;
  } catch (cause) {
    return err(`${(cause as Error).message}\n${USAGE}`);
  }
  const get = (flag: Flag): string | undefined => values[flag] ?? (env[FLAGS[flag]] || undefined);

  const secret = get('secret');
  if (secret === undefined || secret.length < 16)
    return err(`A cluster secret of at least 16 characters is required (--secret or ${FLAGS.secret}).`);
  const port = whole('port', get('port') ?? '8788', 0);
  if (!port.ok) return port;
  const max = whole('max-workspaces', get('max-workspaces') ?? '4', 1);
  if (!max.ok) return max;
  const cloneTimeout = whole('clone-timeout', get('clone-timeout') ?? '600', 1);
  if (!cloneTimeout.ok) return cloneTimeout;
  const taskTimeout = whole('task-timeout', get('task-timeout') ?? '1800', 1);
  if (!taskTimeout.ok) return taskTimeout;
  const publicOrigin = get('public-origin');
  if (publicOrigin !== undefined && !/^https?:\/\/[^/]+\/?$/.test(publicOrigin))
    return err(
      `--public-origin must be an origin like http://workspaces.localhost:8788, not "${publicOrigin}".`,
    );
  // Each workspace (and each of its ports) gets a host under it: an IP address has no subdomains.
  if (
    publicOrigin !== undefined &&
    /^https?:\/\/(\d+\.\d+\.\d+\.\d+|\[[^\]]*\])(:\d+)?\/?$/.test(publicOrigin)
  )
    return err(
      `--public-origin must be a host name workspaces can have subdomains of (http://workspaces.localhost:8788 on one machine, a wildcard DNS name on a server), not "${publicOrigin}".`,
    );
  // With port 0 the origin is not known before listening, and workspace URLs must be right from the first one.
  if (publicOrigin === undefined && port.value === 0)
    return err('--port 0 needs --public-origin: workspace URLs are made before the port is known.');
  const gitConfig = get('git-config');

  const runtime = get('runtime') ?? 'auto';
  if (runtime !== 'auto' && runtime !== 'podman' && runtime !== 'bubblewrap')
    return err(`--runtime must be auto, podman or bubblewrap, not "${runtime}".`);
  const imageMap = parseImageMap(get('image-map') ?? '');
  if (!imageMap.ok) return imageMap;
  const imagePull = get('image-pull') ?? 'missing';
  if (imagePull !== 'missing' && imagePull !== 'never')
    return err(`--image-pull must be missing or never, not "${imagePull}".`);
  const memory = bytes(get('workspace-memory') ?? String(DEFAULT_LIMITS.memoryBytes));
  if (memory === undefined || memory < 64 * 1024 ** 2)
    return err(
      `--workspace-memory must be a size of at least 64m, like 2g or 512m, not "${get('workspace-memory')}".`,
    );
  const pids = whole('workspace-pids', get('workspace-pids') ?? String(DEFAULT_LIMITS.pids), 32);
  if (!pids.ok) return pids;
  const shares = whole(
    'workspace-cpu-shares',
    get('workspace-cpu-shares') ?? String(DEFAULT_LIMITS.cpuShares),
    2,
  );
  if (!shares.ok) return shares;
  const editor = get('editor') ?? 'on';
  if (editor !== 'on' && editor !== 'off') return err(`--editor must be on or off, not "${editor}".`);
  const idle = whole('idle-timeout', get('idle-timeout') ?? '1800', 10);
  if (!idle.ok) return idle;
  const workspaceDisk = bytes(get('workspace-disk') ?? '20g');
  if (workspaceDisk === undefined || (workspaceDisk > 0 && workspaceDisk < 64 * 1024 ** 2))
    return err(
      `--workspace-disk must be a size of at least 64m, like 20g (0 for none), not "${get('workspace-disk')}".`,
    );
  const diskFloor = bytes(get('disk-floor') ?? '2g');
  if (diskFloor === undefined)
    return err(`--disk-floor must be a size like 2g or 500m (0 for none), not "${get('disk-floor')}".`);
  const allowNetworks: string[] = [];
  for (const item of (get('workspace-allow-net') ?? '').split(',').filter((t) => t.trim() !== '')) {
    const cidr = parseCidr(item);
    if (cidr === undefined)
      return err(`--workspace-allow-net takes IPv4 CIDRs like 10.20.0.0/16, not "${item}".`);
    allowNetworks.push(cidr);
  }

  return ok({
    port: port.value,
    cluster: {
      name: get('name') ?? 'local',
      region: get('region') ?? 'local',
      dataDir: get('data') ?? '.launchpod/cluster',
      secret,
      publicOrigin: publicOrigin ?? `http://workspaces.localhost:${port.value}`,
      maxWorkspaces: max.value,
      ...(gitConfig !== undefined && { gitConfigFile: gitConfig }),
      cloneTimeoutMs: cloneTimeout.value * 1000,
      taskTimeoutMs: taskTimeout.value * 1000,
      runtime,
      imageMap: imageMap.value,
      imagePull,
      limits: { memoryBytes: memory, pids: pids.value, cpuShares: shares.value },
      allowNetworks,
      startEditor: editor === 'on',
      idleTimeoutMs: idle.value * 1000,
      diskFloorBytes: diskFloor,
      workspaceDiskBytes: workspaceDisk,
    },
  });
}

/** `2g`, `512m`, `1073741824` → bytes; undefined for anything else. */
function bytes(text: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(text.trim());
  if (m === null) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Number(m[1]) * unit;
}
