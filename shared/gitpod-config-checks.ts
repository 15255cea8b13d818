// What .gitpod.yml must also be that the schema cannot say (port ranges, env names, what a cluster can start), and
// the normalised config a valid file becomes.

import { envNameProblem } from './env-vars.ts';
import { isRecord, type Problem, quote } from './gitpod-config-schema.ts';
import {
  DEFAULT_GITHUB_PREBUILDS,
  DEFAULT_PREBUILT_LABEL,
  type GithubPrebuilds,
  type GitpodConfig,
  type ImageConfig,
  type OnOpen,
  type OpenIn,
  type OpenMode,
  type Path,
} from './gitpod-config-types.ts';
import { START_LIMITS } from './start-request.ts';

// Checks the schema cannot express

/** `3000-3010` or `3000:3010`: the port range grammar of the schema's pattern. */
const PORT_RANGE = /^(\d+)[:-](\d+)$/;
const MAX_PORT = 65535;

export function semanticProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const problem = (segments: Path, detail: string): void => {
    problems.push({ segments, atKey: false, rank: 0, detail });
  };

  if (Array.isArray(raw.ports)) {
    raw.ports.forEach((entry: unknown, i) => {
      const port = isRecord(entry) ? entry.port : undefined;
      const segments: Path = ['ports', i, 'port'];
      if (typeof port === 'number' && !(Number.isInteger(port) && port >= 1 && port <= MAX_PORT)) {
        problem(segments, `expected a port number from 1 to ${MAX_PORT}, got ${port}`);
      }
      const range = typeof port === 'string' ? PORT_RANGE.exec(port) : null;
      if (range) {
        const start = Number(range[1]);
        const end = Number(range[2]);
        if (start < 1 || end < 1 || start > MAX_PORT || end > MAX_PORT) {
          problem(
            segments,
            `the range ${quote(String(port))} goes outside 1-${MAX_PORT} — ports run from 1 to ${MAX_PORT}`,
          );
        } else if (start > end) {
          problem(
            segments,
            `the range ${quote(String(port))} starts after it ends — write the lower port first, like ${end}-${start}`,
          );
        }
      }
    });
  }

  problems.push(...startableProblems(raw));

  if (typeof raw.image === 'string' && raw.image.trim() === '') {
    problem(
      ['image'],
      "expected an image name like 'gitpod/workspace-full', got '' — name an image or remove 'image:'",
    );
  }
  if (isRecord(raw.image) && typeof raw.image.file === 'string' && raw.image.file.trim() === '') {
    problem(['image', 'file'], "expected a path to a Dockerfile like '.gitpod.Dockerfile', got ''");
  }
  return problems;
}

/**
 * What the cluster would refuse in a start request built from this file (shared/start-request.ts), found here with
 * its line: task environment names no shell can set (`MY-VAR`), too many tasks, over-long names, scripts or values,
 * NUL characters. A config that passes is never refused by the cluster for these.
 */
function startableProblems(raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const add = (segments: Path, detail: string, atKey = false): void => {
    problems.push({ segments, atKey, rank: 0, detail });
  };
  if (!Array.isArray(raw.tasks)) return problems;
  if (raw.tasks.length > START_LIMITS.tasks)
    add(['tasks'], `a workspace runs at most ${START_LIMITS.tasks} tasks, this file has ${raw.tasks.length}`);
  raw.tasks.forEach((task: unknown, i) => {
    if (!isRecord(task)) return;
    if (typeof task.name === 'string' && task.name.length > START_LIMITS.taskName)
      add(['tasks', i, 'name'], `a task name is at most ${START_LIMITS.taskName} characters`);
    for (const field of ['before', 'init', 'prebuild', 'command'] as const) {
      const script = task[field];
      if (typeof script !== 'string') continue;
      if (script.length > START_LIMITS.scriptChars)
        add(
          ['tasks', i, field],
          `a script is at most ${START_LIMITS.scriptChars} characters — run a file instead`,
        );
      if (script.includes('\0'))
        add(['tasks', i, field], 'this script contains a NUL character (\\0), which no shell can run');
    }
    if (!isRecord(task.env)) return;
    for (const [name, value] of Object.entries(task.env)) {
      const invalid = envNameProblem(name);
      if (invalid !== undefined) add(['tasks', i, 'env', name], invalid.replace(/\.$/, ''), true);
      const text = typeof value === 'string' ? value : String(JSON.stringify(value));
      if (text.length > START_LIMITS.envValue)
        add(['tasks', i, 'env', name], `a value is at most ${START_LIMITS.envValue} characters`);
      if (text.includes('\0')) add(['tasks', i, 'env', name], 'this value contains a NUL character (\\0)');
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

// The shape the schema guarantees once validation passed; only normalise() reads it.
export interface RawConfig {
  readonly image?: string | { readonly file: string; readonly context?: string };
  readonly tasks?: readonly {
    readonly name?: string;
    readonly before?: string;
    readonly init?: string;
    readonly prebuild?: string;
    readonly command?: string;
    readonly openMode?: OpenMode;
    readonly openIn?: OpenIn;
    readonly env?: Readonly<Record<string, unknown>>;
  }[];
  readonly ports?: readonly {
    readonly port: number | string;
    readonly onOpen?: OnOpen;
    readonly visibility?: 'private' | 'public';
    readonly protocol?: 'http' | 'https';
    readonly name?: string;
    readonly description?: string;
  }[];
  readonly env?: Readonly<Record<string, string>>;
  readonly checkoutLocation?: string;
  readonly workspaceLocation?: string;
  readonly mainConfiguration?: string;
  readonly additionalRepositories?: readonly { readonly url: string; readonly checkoutLocation?: string }[];
  readonly gitConfig?: Readonly<Record<string, string>>;
  readonly github?: { readonly prebuilds?: boolean | Readonly<Record<string, unknown>> };
}

export function normalise(raw: RawConfig): GitpodConfig {
  return {
    image: normaliseImage(raw.image),
    tasks: (raw.tasks ?? []).map((task) => ({
      ...pick(task, ['name', 'before', 'init', 'prebuild', 'command', 'openMode', 'openIn'] as const),
      ...(task.env ? { env: stringRecord(task.env) } : {}),
    })),
    ports: (raw.ports ?? []).map((port) => ({
      ...portTarget(port.port),
      onOpen: port.onOpen ?? 'notify',
      visibility: port.visibility ?? 'private',
      protocol: port.protocol ?? 'http',
      ...pick(port, ['name', 'description'] as const),
    })),
    env: stringRecord(raw.env ?? {}),
    ...pick(raw, ['checkoutLocation', 'workspaceLocation', 'mainConfiguration'] as const),
    additionalRepositories: (raw.additionalRepositories ?? []).map((repo) => ({
      url: repo.url,
      ...pick(repo, ['checkoutLocation'] as const),
    })),
    gitConfig: stringRecord(raw.gitConfig ?? {}),
    github: {
      prebuilds: normalisePrebuilds(raw.github?.prebuilds),
      prebuildsInFile: raw.github?.prebuilds !== undefined,
    },
    raw: raw as Readonly<Record<string, unknown>>,
  };
}

function normaliseImage(image: RawConfig['image']): ImageConfig {
  if (image === undefined) return { kind: 'default' };
  if (typeof image === 'string') return { kind: 'image', name: image.trim() };
  const context = image.context?.trim();
  return { kind: 'dockerfile', file: image.file.trim(), ...(context ? { context } : {}) };
}

function portTarget(port: number | string): { port: number } | { range: readonly [number, number] } {
  if (typeof port === 'number') return { port };
  const match = PORT_RANGE.exec(port);
  return { range: [Number(match?.[1]), Number(match?.[2])] };
}

function normalisePrebuilds(
  prebuilds: boolean | Readonly<Record<string, unknown>> | undefined,
): GithubPrebuilds {
  if (prebuilds === undefined || prebuilds === true) return DEFAULT_GITHUB_PREBUILDS;
  if (prebuilds === false) {
    return {
      master: false,
      branches: false,
      pullRequests: false,
      pullRequestsFromForks: false,
      addCheck: false,
      addBadge: false,
      addComment: false,
      addLabel: false,
    };
  }
  const flag = (key: keyof GithubPrebuilds): boolean => {
    const value = prebuilds[key];
    return typeof value === 'boolean' ? value : (DEFAULT_GITHUB_PREBUILDS[key] as boolean);
  };
  const addCheck = prebuilds.addCheck;
  const addLabel = prebuilds.addLabel;
  return {
    master: flag('master'),
    branches: flag('branches'),
    pullRequests: flag('pullRequests'),
    pullRequestsFromForks: flag('pullRequestsFromForks'),
    addCheck: addCheck === 'prevent-merge-on-error' || typeof addCheck === 'boolean' ? addCheck : true,
    addBadge: flag('addBadge'),
    // Not in the schema's list but read by Gitpod's GitHub app; only a boolean counts.
    addComment: flag('addComment'),
    addLabel: addLabel === true ? DEFAULT_PREBUILT_LABEL : typeof addLabel === 'string' ? addLabel : false,
  };
}

/** Copies the keys that are set, leaving absent ones absent rather than `undefined`. */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}

// Object.fromEntries defines own properties, so a `__proto__` key stays a key instead of becoming a prototype.
function stringRecord(record: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : String(JSON.stringify(value)),
    ]),
  );
}
