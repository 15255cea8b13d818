// A workspace's network: its own network namespace with either loopback only or outbound access through
// slirp4netns — and a firewall, written before any workspace process runs, that refuses the host's own addresses,
// host loopback and private networks. Workspace processes have no CAP_NET_ADMIN in it, so they cannot change the
// rules. bubblewrap workspaces get a named namespace made here; podman makes its containers' own (a container in
// its own user namespace cannot join one owned by the host's), and the same firewall goes into it.
// Never leaves a namespace behind on destroy.

import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { err, ok, type Result } from '../../../shared/result.ts';
import { runHostCommand } from './host-command.ts';

export interface WorkspaceNetwork {
  /** `/run/netns/<name>`: what podman's `--network ns:` and nsenter take. */
  readonly path: string;
  readonly name: string;
  destroy(): Promise<void>;
}

export interface NetworkOptions {
  readonly name: string;
  readonly mode: 'outbound' | 'none';
  /** CIDRs the operator lets workspaces reach although they are private (a company git server). */
  readonly allow?: readonly string[];
}

/** slirp4netns's fixed layout: the workspace is 10.0.2.100, its DNS forwarder 10.0.2.3, the host 10.0.2.2. */
export const SLIRP_DNS = '10.0.2.3';

/**
 * Never reachable from a workspace: "this" network, private ranges (RFC 1918, carrier-grade NAT), loopback,
 * link-local (cloud metadata at 169.254.169.254), IETF protocol and benchmark ranges, multicast and reserved.
 * slirp4netns's own 10.0.2.0/24 is inside 10.0.0.0/8: the host through 10.0.2.2 is refused like the rest.
 */
export const BLOCKED_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

/** Every IPv4 address of the host's interfaces (public ones too: a service bound to 0.0.0.0 listens there). */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4')
    .map((a) => `${(a as { address: string }).address}/32`);
}

/** The iptables-restore input for a workspace namespace. */
export function firewallRules(allow: readonly string[], host: readonly string[]): string {
  const lines = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A OUTPUT -o lo -j ACCEPT',
    `-A OUTPUT -d ${SLIRP_DNS}/32 -p udp --dport 53 -j ACCEPT`,
    `-A OUTPUT -d ${SLIRP_DNS}/32 -p tcp --dport 53 -j ACCEPT`,
    // The host before the operator's allow list: an allowed private range never opens the host itself.
    ...host.map((cidr) => `-A OUTPUT -d ${cidr} -p tcp -j REJECT --reject-with tcp-reset`),
    ...host.map((cidr) => `-A OUTPUT -d ${cidr} -j REJECT --reject-with icmp-admin-prohibited`),
    ...allow.map((cidr) => `-A OUTPUT -d ${cidr} -j ACCEPT`),
    // TCP gets a reset (fails at once, like a closed port); everything else an ICMP refusal.
    ...BLOCKED_RANGES.map((cidr) => `-A OUTPUT -d ${cidr} -p tcp -j REJECT --reject-with tcp-reset`),
    ...BLOCKED_RANGES.map((cidr) => `-A OUTPUT -d ${cidr} -j REJECT --reject-with icmp-admin-prohibited`),
    'COMMIT',
    '',
  ];
  return lines.join('\n');
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** `10.20.0.0/16` → itself; anything else → undefined (so the flag's message can name it). */
export function parseCidr(text: string): string | undefined {
  const m = CIDR.exec(text.trim());
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  return octets.every((o) => o <= 255) && bits <= 32 ? text.trim() : undefined;
}

/**
 * Writes the firewall into a namespace, entered with `enter` (`ip netns exec <name>` or `nsenter --net=…`), and
 * turns IPv6 off there: the rules are IPv4's, and slirp4netns runs without IPv6.
 */
export async function applyFirewall(
  enter: readonly string[],
  allow: readonly string[],
): Promise<Result<void, string>> {
  const [program, ...args] = enter as [string, ...string[]];
  await runHostCommand(program, [...args, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
  const walled = await runHostCommand(program, [...args, 'iptables-restore'], {
    input: firewallRules(allow, hostAddresses()),
  });
  return walled.ok ? ok(undefined) : err(`the firewall could not be set: ${walled.error}`);
}

async function ipNetns(args: readonly string[], input?: string): Promise<Result<void, string>> {
  const ran = await runHostCommand('ip', ['netns', ...args], input === undefined ? {} : { input });
  return ran.ok ? ok(undefined) : err(`ip netns ${args.slice(0, 3).join(' ')}: ${ran.error}`);
}

/** Deletes a namespace of this name if one is left over from a crash (no error when there is none). */
export async function removeNetwork(name: string): Promise<void> {
  await runHostCommand('ip', ['netns', 'delete', name]);
}

export async function createNetwork(options: NetworkOptions): Promise<Result<WorkspaceNetwork, string>> {
  const { name } = options;
  await removeNetwork(name);
  const added = await ipNetns(['add', name]);
  if (!added.ok) return added;
  const path = `/run/netns/${name}`;
  let slirp: ReturnType<typeof spawn> | undefined;
  const destroy = async () => {
    if (slirp !== undefined && slirp.exitCode === null && slirp.signalCode === null) {
      const gone = new Promise((done) => slirp?.once('exit', done));
      slirp.kill('SIGKILL');
      await gone;
    }
    await removeNetwork(name);
  };
  const fail = async (message: string) => {
    await destroy();
    return err(`Could not set up the workspace's network: ${message}`);
  };

  const up = await ipNetns(['exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  if (!up.ok) return fail(up.error);
  const walled = await applyFirewall(['ip', 'netns', 'exec', name], options.allow ?? []);
  if (!walled.ok) return fail(walled.error);

  if (options.mode === 'outbound') {
    const started = await startSlirp(path);
    if (!started.ok) return fail(started.error);
    slirp = started.value;
  }
  return ok({ name, path, destroy });
}

/**
 * slirp4netns on the namespace: it reports readiness on fd 3 and exits when fd 4 closes — so it dies with the
 * cluster even when the cluster is killed outright. `--disable-host-loopback` refuses 10.0.2.2 → 127.0.0.1 on its
 * own side too; seccomp confines slirp4netns itself (not its `--enable-sandbox`: on a host whose /run is a
 * shared mount, its unmounts propagate back and take every other network namespace with them).
 */
function startSlirp(netnsPath: string): Promise<Result<ReturnType<typeof spawn>, string>> {
  return new Promise((done) => {
    const child = spawn(
      'slirp4netns',
      [
        '--configure',
        '--mtu=65520',
        '--disable-host-loopback',
        '--enable-seccomp',
        '--ready-fd=3',
        '--exit-fd=4',
        '--netns-type=path',
        netnsPath,
        'tap0',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      stderr = (stderr + t).slice(-2000);
    });
    const ready = child.stdio[3] as NodeJS.ReadableStream | null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(err('slirp4netns did not become ready within 10 s'));
    }, 10_000);
    ready?.once('data', () => {
      clearTimeout(timer);
      done(ok(child));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      done(err(`slirp4netns could not start: ${e.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(err(`slirp4netns exited with ${code}: ${stderr.trim().slice(-300)}`));
    });
  });
}
