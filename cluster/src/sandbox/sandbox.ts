// What a workspace sandbox is to the rest of the cluster: somewhere a repository's code runs with its own PID,
// mount, network and user namespaces, its own host uid range, and only `/workspace` of the host visible. Every
// runtime (podman, bubblewrap) answers to these types; nothing outside `sandbox/` knows which one runs.
// Never offers a way to run a repository's code on the host itself.

import type { Result } from '../../../shared/result.ts';
import type { BackgroundProcess, RunResult } from '../child-processes.ts';
import type { ResolvedImage } from './images.ts';

export type RuntimeKind = 'podman' | 'bubblewrap';

/** The uid (and gid) tasks run as inside every sandbox: Gitpod's workspace user, so its images work unchanged. */
export const WORKSPACE_UID = 33333;
/** The user's home inside the sandbox (tmpfs under bubblewrap; the image's own under podman when it has one). */
export const WORKSPACE_HOME = '/home/launchpod';
/** Where the workspace folder (the checkout and anything init writes beside it) is mounted. */
export const WORKSPACE_MOUNT = '/workspace';

/** Per-workspace limits; each runtime says which it enforces. */
export interface SandboxLimits {
  /** Bytes of memory (and memory + swap) for everything inside. */
  readonly memoryBytes: number;
  /** Processes and threads at once. */
  readonly pids: number;
  /** Relative CPU weight against other workspaces (1024 = an even share). */
  readonly cpuShares: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  pids: 2048,
  cpuShares: 1024,
};

export interface SandboxMount {
  readonly host: string;
  readonly inside: string;
  readonly writable?: boolean;
}

export interface SandboxSpec {
  /** Unique on this cluster; names the container / network namespace. */
  readonly id: string;
  readonly image: ResolvedImage;
  /** Host folder mounted read-write at `/workspace`, owned by `hostUid`. */
  readonly workspaceDir: string;
  /** Further host folders (the editor, the agent, sockets, a fetch source for git); read-only unless said. */
  readonly mounts?: readonly SandboxMount[];
  /** The host uid (= gid) the workspace user is: unique per workspace, never one a host account uses. */
  readonly hostUid: number;
  /** First host uid of the workspace's range of 65,536 (the sandbox's uid 0 maps to it). */
  readonly hostUidBase: number;
  /** `outbound`: the internet through slirp4netns, never the host or private networks; `none`: loopback only. */
  readonly network: 'outbound' | 'none';
  readonly limits: SandboxLimits;
}

export interface SandboxRunOptions {
  /** A path inside the sandbox (`/workspace/app`). */
  readonly cwd: string;
  /** Variables on top of the sandbox's base environment (PATH, HOME, LANG). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * stdout and stderr as they come, through a pipe (a task's log, capped by the caller); without it they are
   * captured. Never a host file: code inside could reach it through `/proc/<pid>/fd/1` and write without limit.
   */
  readonly onOutput?: (chunk: Buffer) => void;
  /** With `start` and no `onOutput`: stdout as it comes. */
  readonly onStdout?: (text: string) => void;
}

export interface Sandbox {
  readonly id: string;
  /** Runs a command inside as the workspace user, to its end. */
  run(argv: readonly string[], options: SandboxRunOptions): Promise<RunResult>;
  /** Starts a long-running command inside as the workspace user (a task's `command`). */
  start(argv: readonly string[], options: SandboxRunOptions): BackgroundProcess;
  /** Ends every process inside and releases the sandbox (container, network); the workspace folder stays. */
  destroy(): Promise<void>;
}

export interface WorkspaceRuntime {
  readonly kind: RuntimeKind;
  /** One line for people: what this runtime isolates and what it does not. */
  readonly isolation: string;
  create(spec: SandboxSpec): Promise<Result<Sandbox, string>>;
  /** Removes containers and networks this cluster left behind (a crash) that no live sandbox owns. */
  sweep(): Promise<void>;
}
