// What a running workspace's sandbox is given besides its files: the agent's code and the Launchpod extension
// (copied once per cluster start into `<data>/agent-code`), and per workspace a read-only folder the cluster writes
// (`<dir>/agent`: config.json, the tasks' init logs) and a writable one for sockets (`<dir>/run`, the workspace's).
// Never writes into a folder the workspace can write: a symlink planted there would redirect the cluster, as root.

import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StartWorkspaceRequest } from '../../../shared/cluster-contract.ts';
import type { Task } from '../../../shared/gitpod-config.ts';
import { portUrlTemplate, workspaceHostLabel, workspaceUrl } from '../../../shared/workspace-access.ts';
import type { SandboxMount } from '../sandbox/sandbox.ts';
import type { EditorInstall } from './editor-install.ts';

/** The agent's sources in this repository (plain JavaScript for the editor's Node 24, run inside sandboxes). */
const SOURCES = resolve(import.meta.dirname, '..', '..', 'workspace-agent');

export const MOUNTS = {
  editor: '/launchpod/editor',
  agentCode: '/launchpod/agent-code',
  agent: '/launchpod/agent',
  run: '/launchpod/run',
  cluster: '/launchpod/cluster',
} as const;

/** The editor's Node inside a sandbox. */
export const EDITOR_NODE = `${MOUNTS.editor}/node/bin/node`;

/** Copies the agent's code where every sandbox can read it (root-owned, world-readable, never writable by one). */
export function installAgentCode(dataDir: string): string {
  const target = join(dataDir, 'agent-code');
  rmSync(target, { recursive: true, force: true });
  cpSync(SOURCES, target, { recursive: true });
  const open = (dir: string) => {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) open(path);
      else chmodSync(path, entry.name === 'git-credential-launchpod' ? 0o755 : 0o644);
    }
  };
  open(target);
  return target;
}

export interface AgentPaths {
  /** `<dir>/agent`: the cluster's, mounted read-only. */
  readonly agent: string;
  /** `<dir>/run`: the workspace's, mounted read-write (the editor's and the agent's sockets). */
  readonly run: string;
  /**
   * The cluster's socket folder, mounted read-only, with the git credential socket: under /run, because a unix
   * socket's path may be at most 107 bytes and a data folder's can be longer (`/run/launchpod/<digest>`).
   */
  readonly cluster: string;
}

export const agentPaths = (workspaceDir: string): AgentPaths => ({
  agent: join(workspaceDir, 'agent'),
  run: join(workspaceDir, 'run'),
  cluster: join('/run/launchpod', createHash('sha256').update(workspaceDir).digest('hex').slice(0, 20)),
});

export function agentMounts(editor: EditorInstall, agentCode: string, paths: AgentPaths): SandboxMount[] {
  return [
    { host: editor.dir, inside: MOUNTS.editor },
    { host: agentCode, inside: MOUNTS.agentCode },
    { host: paths.agent, inside: MOUNTS.agent },
    { host: paths.run, inside: MOUNTS.run, writable: true },
    { host: paths.cluster, inside: MOUNTS.cluster },
  ];
}

export interface AgentConfig {
  readonly workspaceId: string;
  readonly instance: number;
  /** The checkout inside the sandbox: the editor's folder and the terminals' working directory. */
  readonly folder: string;
  readonly editorEntry: string;
  /** code-server's bundled modules (node-pty for the terminals). */
  readonly editorModules: string;
  /** code-server's `--proxy-domain`: `{{port}}-<label>.{{host}}`. */
  readonly proxyDomain: string;
  readonly portUrlTemplate: string;
  readonly workspacePageUrl: string;
  /** The file (or folder) and lines the user came from. */
  readonly open?: { path: string; kind: 'file' | 'folder'; startLine?: number; endLine?: number };
  readonly tasks: readonly { name?: string; command?: string; env: Readonly<Record<string, string>> }[];
  readonly ports: StartWorkspaceRequest['ports'];
}

/** The file (or folder) and lines of the context, inside the checkout `folder` only. */
export function contextToOpen(request: StartWorkspaceRequest, folder: string): AgentConfig['open'] {
  const context = request.context;
  // A path from the context, inside the checkout only (`..` cannot leave it: it is resolved, then checked).
  const wanted = context.path === undefined ? undefined : resolve(folder, context.path.path);
  return wanted?.startsWith(`${folder}/`) && context.path !== undefined
    ? {
        path: wanted,
        kind: context.path.kind,
        ...(context.path.kind === 'file' &&
          context.lines !== undefined && { startLine: context.lines.start, endLine: context.lines.end }),
      }
    : undefined;
}

/** The agent's and the extension's configuration for one instance of a workspace. */
export function agentConfig(options: {
  readonly request: StartWorkspaceRequest;
  readonly instance: number;
  readonly folder: string;
  readonly editor: EditorInstall;
  readonly publicOrigin: string;
  readonly taskEnv: (task: Task) => Readonly<Record<string, string>>;
}): AgentConfig {
  const { request, editor, publicOrigin, folder } = options;
  const inEditor = (hostPath: string) => `${MOUNTS.editor}${hostPath.slice(editor.dir.length)}`;
  const open = contextToOpen(request, folder);
  return {
    workspaceId: request.id,
    instance: options.instance,
    folder,
    editorEntry: inEditor(editor.entry),
    editorModules: inEditor(
      join(editor.dir, 'app', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'),
    ),
    proxyDomain: `{{port}}-${workspaceHostLabel(request.id)}.{{host}}`,
    portUrlTemplate: portUrlTemplate(publicOrigin, request.id),
    workspacePageUrl: `${workspaceUrl(publicOrigin, request.id)}_launchpod/`,
    ...(open !== undefined && { open }),
    tasks: request.tasks.map((task) => ({
      ...(task.name !== undefined && { name: task.name }),
      ...(task.command !== undefined && { command: task.command }),
      env: options.taskEnv(task),
    })),
    ports: request.ports,
  };
}

/**
 * Writes `<dir>/agent` (root's, 0755) in place — it is already mounted in the sandbox, so the folder itself stays —
 * with the config (written whole under another name and renamed: the editor, started beside `init`, may be reading
 * it) and an empty folder for the tasks' init logs (`copyInitLogs`).
 */
export function writeAgentFolder(paths: AgentPaths, config: AgentConfig): void {
  mkdirSync(paths.agent, { recursive: true, mode: 0o755 });
  chmodSync(paths.agent, 0o755);
  rmSync(join(paths.agent, 'logs'), { recursive: true, force: true });
  mkdirSync(join(paths.agent, 'logs'), { recursive: true, mode: 0o755 });
  const partial = join(paths.agent, 'config.json.partial');
  writeFileSync(partial, JSON.stringify(config), { mode: 0o644 });
  renameSync(partial, join(paths.agent, 'config.json'));
  // The cluster's socket folder: root's and read-only inside; the socket itself is made when the cluster listens.
  // Entered, not listed, by others (0711), nor is the folder of all workspaces' folders: the names say nothing
  // to anyone else on the host.
  mkdirSync(paths.cluster, { recursive: true, mode: 0o711 });
  chmodSync(dirname(paths.cluster), 0o711);
  chmodSync(paths.cluster, 0o711);
}

/** A copy of each task's log so far (what `before` and `init` printed), which the agent shows atop its terminal. */
export function copyInitLogs(paths: AgentPaths, taskLogs: readonly (string | undefined)[]): void {
  taskLogs.forEach((log, index) => {
    if (log === undefined) return;
    try {
      copyFileSync(log, join(paths.agent, 'logs', `${index + 1}.log`));
      chmodSync(join(paths.agent, 'logs', `${index + 1}.log`), 0o644);
    } catch {
      // no log for a task without before/init
    }
  });
}
