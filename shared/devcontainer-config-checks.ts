// What Launchpod needs of a devcontainer.json beyond the schema (an image, commands it can run, ports), and the
// launch config a valid file becomes.

import type { DevcontainerConfig, DevcontainerErrorCode, Segment } from './devcontainer-config.ts';
import { describe, isRecord } from './devcontainer-config-json.ts';
import type { Problem } from './devcontainer-config-schema.ts';
import { blockedNameReason, envNameProblem } from './env-vars.ts';
import {
  DEFAULT_GITHUB_PREBUILDS,
  type GitpodConfig,
  type ImageConfig,
  type OnOpen,
  type Port,
  type Task,
} from './gitpod-config.ts';
import { START_LIMITS } from './start-request.ts';

// What Launchpod needs beyond the schema

const LIFECYCLE_INIT = ['onCreateCommand', 'updateContentCommand', 'postCreateCommand'] as const;
const LIFECYCLE_COMMAND = ['postStartCommand', 'postAttachCommand'] as const;
// Keys whose value is a command (a string, an array of arguments or an object of commands); `overrideCommand` is not.
export const COMMAND_KEYS: ReadonlySet<Segment> = new Set([
  ...LIFECYCLE_INIT,
  ...LIFECYCLE_COMMAND,
  'initializeCommand',
]);

export function launchpodProblems(raw: Record<string, unknown>, path: string): Problem[] {
  const problems: Problem[] = [];
  const add = (segments: Segment[], detail: string, code: DevcontainerErrorCode = 'schema', atKey = false) =>
    problems.push({ segments, atKey, detail, code });

  if ('dockerComposeFile' in raw) {
    add(
      ['dockerComposeFile'],
      'Docker Compose configurations cannot run on a Launchpod cluster — name an image or a Dockerfile, ' +
        'or open this repository on a backend that runs Compose (Codespaces, DevPod)',
      'unsupported',
      true,
    );
  }
  if (typeof raw.image === 'string' && raw.image.trim() === '')
    add(['image'], 'expected an image name like "mcr.microsoft.com/devcontainers/base:debian", got ""');
  const build = buildOf(raw);
  if (build !== undefined) {
    const where = build.fromLegacyKey ? ['dockerFile'] : ['build', 'dockerfile'];
    if (build.dockerfile.trim() === '') add(where, 'expected a path to a Dockerfile, got ""');
    else if (repoPath(path, build.dockerfile) === undefined)
      add(where, `${JSON.stringify(build.dockerfile)} points outside the repository`);
    if (build.context !== undefined && repoPath(path, build.context) === undefined)
      add(
        build.fromLegacyKey ? ['context'] : ['build', 'context'],
        'the build context points outside the repository',
      );
  }
  for (const key of [...LIFECYCLE_INIT, ...LIFECYCLE_COMMAND]) {
    if (raw[key] === undefined) continue;
    const script = commandScript(raw[key] as LifecycleCommand);
    if (script.length > START_LIMITS.scriptChars)
      add([key], `a command is at most ${START_LIMITS.scriptChars} characters — run a file instead`);
    if (script.includes('\0'))
      add([key], 'this command contains a NUL character (\\0), which no shell can run');
  }
  for (const key of ['containerEnv', 'remoteEnv'] as const) {
    const env = raw[key];
    if (!isRecord(env)) continue;
    for (const [name, value] of Object.entries(env)) {
      const invalid = envNameProblem(name);
      if (invalid !== undefined) add([key, name], invalid.replace(/\.$/, ''), 'schema', true);
      if (typeof value === 'string' && value.length > START_LIMITS.envValue)
        add([key, name], `a value is at most ${START_LIMITS.envValue} characters`);
      if (typeof value === 'string' && value.includes('\0'))
        add([key, name], 'this value contains a NUL character');
    }
  }
  const launchpod = isRecord(raw.customizations) ? raw.customizations.launchpod : undefined;
  if (launchpod !== undefined) {
    if (!isRecord(launchpod))
      add(['customizations', 'launchpod'], 'expected an object like { "preferred": true }');
    else
      for (const [key, value] of Object.entries(launchpod)) {
        if (key !== 'preferred')
          add(
            ['customizations', 'launchpod', key],
            `unknown property "${key}" — the one setting is "preferred"`,
            'schema',
            true,
          );
        else if (typeof value !== 'boolean')
          add(['customizations', 'launchpod', key], `expected true or false, got ${describe(value)}`);
      }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

type LifecycleCommand = string | readonly string[] | Readonly<Record<string, string | readonly string[]>>;

export interface RawDevcontainer {
  readonly name?: string;
  readonly image?: string;
  readonly build?: { readonly dockerfile?: string; readonly context?: string };
  readonly dockerFile?: string;
  readonly context?: string;
  readonly forwardPorts?: readonly (number | string)[];
  readonly portsAttributes?: Readonly<Record<string, PortAttributes>>;
  readonly containerEnv?: Readonly<Record<string, string>>;
  readonly remoteEnv?: Readonly<Record<string, string | null>>;
  readonly features?: Readonly<Record<string, unknown>>;
  readonly customizations?: { readonly launchpod?: { readonly preferred?: boolean } };
  readonly [key: string]: unknown;
}

interface PortAttributes {
  readonly label?: string;
  readonly onAutoForward?: string;
  readonly protocol?: 'http' | 'https';
}

function buildOf(
  raw: Record<string, unknown>,
): { dockerfile: string; context?: string; fromLegacyKey: boolean } | undefined {
  const build = isRecord(raw.build) ? raw.build : undefined;
  if (typeof build?.dockerfile === 'string')
    return {
      dockerfile: build.dockerfile,
      ...(typeof build.context === 'string' && { context: build.context }),
      fromLegacyKey: false,
    };
  if (typeof raw.dockerFile === 'string')
    return {
      dockerfile: raw.dockerFile,
      ...(typeof raw.context === 'string' && { context: raw.context }),
      fromLegacyKey: true,
    };
  return undefined;
}

/** `Dockerfile` beside `.devcontainer/devcontainer.json` → `.devcontainer/Dockerfile`; undefined outside the repo. */
function repoPath(configPath: string, relative: string): string | undefined {
  const parts = relative.startsWith('/') ? [] : configPath.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

// `onAutoForward` → `.gitpod.yml`'s `onOpen`.
const ON_OPEN: Readonly<Record<string, OnOpen>> = {
  notify: 'notify',
  openBrowser: 'open-browser',
  openBrowserOnce: 'open-browser',
  openPreview: 'open-preview',
  silent: 'ignore',
  ignore: 'ignore-completely',
};

/** `'it''s'` quoting for one argument of an array-form command (run without a shell by the spec). */
const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/**
 * One lifecycle command as a POSIX `sh` script: a string runs in a shell, an array runs as one command without
 * one (quoted here), an object runs its commands in parallel and fails when any fails.
 */
export function commandScript(command: LifecycleCommand): string {
  if (typeof command === 'string') return command;
  if (Array.isArray(command)) return (command as readonly string[]).map(shellQuote).join(' ');
  const entries = Object.entries(command as Readonly<Record<string, string | readonly string[]>>);
  if (entries.length === 0) return '';
  if (entries.length === 1) return commandScript(entries[0]?.[1] ?? '');
  const lines: string[] = [];
  entries.forEach(([, each], i) => {
    lines.push(`(\n${commandScript(each)}\n) &`, `launchpod_${i}=$!`);
  });
  lines.push(
    'launchpod_failed=0',
    ...entries.map((_, i) => `wait "$launchpod_${i}" || launchpod_failed=1`),
    '[ "$launchpod_failed" = 0 ]',
  );
  return lines.join('\n');
}

/** Commands in order, each in its own subshell, stopping at the first that fails (as the spec's tools do). */
function sequence(raw: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const scripts = keys
    .filter((key) => raw[key] !== undefined)
    .map((key) => ({ key, script: commandScript(raw[key] as LifecycleCommand) }))
    .filter(({ script }) => script.trim() !== '');
  if (scripts.length === 0) return undefined;
  // The closing parenthesis goes on its own line: a command's last line may be a comment.
  return scripts.map(({ key, script }) => `# ${key}\n(\n${script}\n)`).join(' &&\n');
}

export function normalise(raw: RawDevcontainer, path: string): DevcontainerConfig {
  const notes: string[] = [];
  const build = buildOf(raw);
  let image: ImageConfig = { kind: 'default' };
  if (typeof raw.image === 'string') image = { kind: 'image', name: raw.image.trim() };
  else if (build !== undefined) {
    const context = build.context === undefined ? repoPath(path, '.') : repoPath(path, build.context);
    image = {
      kind: 'dockerfile',
      file: repoPath(path, build.dockerfile) ?? build.dockerfile,
      ...(context !== undefined && context !== '.' && { context }),
    };
  }

  const env: Record<string, string> = {};
  for (const [key, values] of [
    ['containerEnv', raw.containerEnv ?? {}],
    ['remoteEnv', raw.remoteEnv ?? {}],
  ] as const) {
    for (const [name, value] of Object.entries(values)) {
      if (value === null) continue;
      const blocked = blockedNameReason(name);
      if (blocked !== undefined) {
        notes.push(`${key}.${name} is not set: ${blocked.replace('from a link', 'by Launchpod')}`);
      } else if (/\$\{[^}]*\}/.test(value)) {
        notes.push(
          `${key}.${name} is not set: it uses a \${…} variable, which only the devcontainer tools expand — set it in a task or a script instead.`,
        );
      } else {
        delete env[name];
        env[name] = value;
      }
    }
  }

  const init = sequence(raw, LIFECYCLE_INIT);
  const command = sequence(raw, LIFECYCLE_COMMAND);
  const tasks: Task[] = [];
  if (init !== undefined || command !== undefined || Object.keys(env).length > 0) {
    tasks.push({
      name: raw.name?.trim() || 'devcontainer',
      ...(init !== undefined && { init }),
      ...(command !== undefined && { command }),
      ...(Object.keys(env).length > 0 && { env: { ...env } }),
    });
  }

  const ports: Port[] = [];
  const attributes = raw.portsAttributes ?? {};
  const attributesFor = (port: number): PortAttributes | undefined => attributes[String(port)];
  const portFrom = (
    target: { port: number } | { range: readonly [number, number] },
    attrs: PortAttributes | undefined,
  ): Port => ({
    ...target,
    onOpen: ON_OPEN[attrs?.onAutoForward ?? 'notify'] ?? 'notify',
    visibility: 'private',
    protocol: attrs?.protocol ?? 'http',
    ...(attrs?.label !== undefined && { name: attrs.label }),
  });
  const listed = new Set<number>();
  for (const forwarded of raw.forwardPorts ?? []) {
    if (typeof forwarded === 'string') {
      notes.push(
        `forwardPorts "${forwarded}" names another Compose service's port, which a Launchpod workspace does not have.`,
      );
      continue;
    }
    if (forwarded < 1 || listed.has(forwarded)) continue;
    listed.add(forwarded);
    ports.push(portFrom({ port: forwarded }, attributesFor(forwarded)));
  }
  for (const [key, attrs] of Object.entries(attributes)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(key);
    if (range === null) {
      notes.push(
        `portsAttributes "${key}" matches ports by process command line, which Launchpod does not do.`,
      );
      continue;
    }
    const start = Number(range[1]);
    const end = range[2] === undefined ? start : Number(range[2]);
    if (start < 1 || end > 65535 || start > end) {
      notes.push(`portsAttributes "${key}" is not a port from 1 to 65535 or a range of them.`);
      continue;
    }
    if (start === end && listed.has(start)) continue;
    ports.push(portFrom(start === end ? { port: start } : { range: [start, end] }, attrs));
  }

  if (raw.features !== undefined && Object.keys(raw.features).length > 0)
    notes.push(
      `features (${Object.keys(raw.features).join(', ')}) are not installed: they come from a registry; put what they add in the image.`,
    );
  if (raw.initializeCommand !== undefined)
    notes.push(
      "initializeCommand is not run: it runs on the user's own machine, and a Launchpod workspace has none.",
    );
  for (const key of ['mounts', 'runArgs', 'capAdd', 'privileged', 'securityOpt', 'appPort'] as const)
    if (raw[key] !== undefined)
      notes.push(`${key} is not applied: the cluster decides how a workspace's sandbox is made.`);
  for (const key of ['remoteUser', 'containerUser'] as const)
    if (raw[key] !== undefined)
      notes.push(`${key} is not applied: commands run as the workspace's own user.`);
  if (image.kind === 'dockerfile')
    notes.push(
      `The image is built from ${image.file}: Launchpod's reference cluster does not build images, so the operator must build it and map it, or the start fails saying so.`,
    );

  const config: GitpodConfig = {
    image,
    tasks,
    ports,
    env,
    additionalRepositories: [],
    gitConfig: {},
    github: { prebuilds: DEFAULT_GITHUB_PREBUILDS, prebuildsInFile: false },
    raw,
  };
  return {
    path,
    ...(typeof raw.name === 'string' && raw.name.trim() !== '' && { name: raw.name.trim() }),
    config,
    preferred: raw.customizations?.launchpod?.preferred === true,
    notes,
  };
}
