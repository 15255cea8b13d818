// Parses and validates a `devcontainer.json` (JSON with comments) against the official Dev Container schema, and
// normalises it into the same launch config a `.gitpod.yml` gives (image, tasks, ports, env). Never throws, never
// recurses into hostile nesting, and never lets an environment variable through that a link could not set.

import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { createScanner, getNodeValue, type Node, type ParseError, parseTree } from 'jsonc-parser';
import schemaJson from './devcontainer-schema.json';
import { blockedNameReason, envNameProblem } from './env-vars.ts';
import {
  DEFAULT_GITHUB_PREBUILDS,
  type GitpodConfig,
  type ImageConfig,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
  type OnOpen,
  type Port,
  type Task,
} from './gitpod-config.ts';
import { err, ok, type Result } from './result.ts';
import { START_LIMITS } from './start-request.ts';

/** Where a repository may keep its dev container configuration, in the order the spec's tools look. */
export const DEVCONTAINER_PATHS = ['.devcontainer/devcontainer.json', '.devcontainer.json'] as const;

/** `.devcontainer/<name>/devcontainer.json` — one of several named configurations. */
export const namedDevcontainerPath = (name: string): string => `.devcontainer/${name}/devcontainer.json`;

/** A configuration name a link may ask for: a single folder name below `.devcontainer/`. */
export const DEVCONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type DevcontainerErrorCode = 'too-large' | 'json-syntax' | 'too-complex' | 'schema' | 'unsupported';

export interface DevcontainerError {
  readonly code: DevcontainerErrorCode;
  /** Where in the file, e.g. `forwardPorts[1]`, `build.dockerfile`; '' for the whole file. */
  readonly path: string;
  /** 1-based line and column of the best known position. */
  readonly line: number;
  readonly column: number;
  /** A sentence a person can act on: the path, what was expected, what was found and what to change. */
  readonly message: string;
}

export interface DevcontainerConfig {
  /** The file it came from, relative to the repository root. */
  readonly path: string;
  /** Its `name`, for people. */
  readonly name?: string;
  /** The launch config, exactly as a `.gitpod.yml` would give it. */
  readonly config: GitpodConfig;
  /** `customizations.launchpod.preferred`: the repository asks for this file even where a `.gitpod.yml` exists. */
  readonly preferred: boolean;
  /** What the file asks for that Launchpod does not apply, one sentence each (shown on the start page). */
  readonly notes: readonly string[];
}

type Segment = string | number;

export function parseDevcontainerConfig(
  text: string,
  path: string,
): Result<DevcontainerConfig, DevcontainerError[]> {
  if (text.length > MAX_CONFIG_BYTES) {
    return err([
      rootError(
        'too-large',
        1,
        1,
        `${path} is larger than ${MAX_CONFIG_BYTES} bytes — move long scripts into a file in the repository.`,
      ),
    ]);
  }
  const position = positions(text);
  // jsonc-parser builds its tree recursively: nesting is measured first with its (flat) scanner.
  const tooDeep = findTooDeep(text);
  if (tooDeep !== undefined) {
    return err([
      rootError(
        'too-complex',
        ...position(tooDeep),
        `The file nests objects and arrays more than ${MAX_CONFIG_DEPTH} levels deep — flatten it.`,
      ),
    ]);
  }
  const syntax: ParseError[] = [];
  // Trailing commas are accepted as VS Code and the devcontainers CLI accept them; comments are part of the format.
  const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false });
  if (syntax.length > 0 || root === undefined) {
    const errors = syntax.slice(0, 5).map(
      (e): DevcontainerError => ({
        code: 'json-syntax',
        path: '',
        ...lineColumn(position(e.offset)),
        message: `Invalid JSON: ${SYNTAX_MESSAGES[e.error] ?? 'unexpected text'} here.`,
      }),
    );
    return err(errors.length > 0 ? errors : [rootError('json-syntax', 1, 1, 'The file is empty.')]);
  }
  if (root.type !== 'object') {
    return err([
      rootError(
        'schema',
        ...position(root.offset),
        `The file must be one JSON object like { "image": "…" }, but it is ${describe(getNodeValue(root))}.`,
      ),
    ]);
  }
  const locate = (segments: readonly Segment[], atKey: boolean) =>
    lineColumn(position(offsetOf(root, segments, atKey)));

  const duplicates = findDuplicateKeys(root).map(
    ({ segments, first }): DevcontainerError => ({
      code: 'json-syntax',
      path: formatPath(segments),
      ...locate(segments, true),
      message: withPath(
        segments,
        `this key appears a second time in the same object (first on line ${position(first)[0]}) — keep one`,
      ),
    }),
  );
  if (duplicates.length > 0) return err(duplicates);

  const raw = getNodeValue(root) as Record<string, unknown>;
  const problems = [...schemaProblems(raw), ...launchpodProblems(raw, path)];
  if (problems.length > 0) {
    const errors = problems.map(
      (p): DevcontainerError => ({
        code: p.code ?? 'schema',
        path: formatPath(p.segments),
        ...locate(p.segments, p.atKey),
        message: withPath(p.segments, p.detail),
      }),
    );
    return err(dedupe(errors).sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return ok(normalise(raw as RawDevcontainer, path));
}

function rootError(code: DevcontainerErrorCode, line: number, column: number, message: string) {
  return { code, path: '', line, column, message };
}

function dedupe(errors: DevcontainerError[]): DevcontainerError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Positions and the tree

function positions(text: string): (offset: number) => [number, number] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return [low + 1, offset - (starts[low] ?? 0) + 1];
  };
}

const lineColumn = ([line, column]: [number, number]) => ({ line, column });

// jsonc-parser's ParseErrorCode values (a const enum, which isolated modules cannot import).
const SYNTAX_MESSAGES: Readonly<Record<number, string>> = {
  1: 'a symbol JSON does not know (check quotes around names and strings)',
  2: 'a malformed number',
  3: 'a property name in double quotes was expected',
  4: 'a value was expected',
  5: "a ':' was expected after the property name",
  6: "a ',' was expected between entries",
  7: "a closing '}' was expected",
  8: "a closing ']' was expected",
  9: 'the file should end after its object',
  10: 'a malformed comment',
  11: "a block comment is not closed with '*/'",
  12: 'a string is not closed with a double quote',
  13: 'a number ends too early',
  14: 'a malformed \\u escape',
  15: 'an invalid escape character after a backslash',
  16: 'a character that must be escaped inside a string',
};

/** Offset of the first `{` or `[` deeper than MAX_CONFIG_DEPTH, by the scanner (strings and comments skipped). */
function findTooDeep(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== 17 /* EOF */; token = scanner.scan()) {
    if (token === 1 /* { */ || token === 3 /* [ */) {
      depth++;
      if (depth > MAX_CONFIG_DEPTH) return scanner.getTokenOffset();
    } else if ((token === 2 /* } */ || token === 4) /* ] */ && depth > 0) depth--;
  }
  return undefined;
}

function findDuplicateKeys(root: Node): { segments: Segment[]; first: number }[] {
  const found: { segments: Segment[]; first: number }[] = [];
  const stack: { node: Node; segments: Segment[] }[] = [{ node: root, segments: [] }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, segments } = entry;
    if (node.type === 'object') {
      const seen = new Map<string, number>();
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (first !== undefined) found.push({ segments: [...segments, name], first });
        else seen.set(name, key.offset);
        if (value !== undefined) stack.push({ node: value, segments: [...segments, name] });
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => {
        stack.push({ node: child, segments: [...segments, i] });
      });
    }
  }
  return found;
}

/** Offset of the value (or key) at `segments`, or of its nearest existing ancestor. */
function offsetOf(root: Node, segments: readonly Segment[], atKey: boolean): number {
  let node: Node = root;
  let best = root.offset;
  for (const [i, segment] of segments.entries()) {
    if (node.type === 'object') {
      // The last property of that name wins, as in the parsed value.
      const property = (node.children ?? []).findLast((p) => p.children?.[0]?.value === segment);
      const [key, value] = property?.children ?? [];
      if (key === undefined) break;
      if (i === segments.length - 1 && atKey) return key.offset;
      if (value === undefined) return key.offset;
      node = value;
      best = value.offset;
    } else if (node.type === 'array' && typeof segment === 'number') {
      const child = node.children?.[segment];
      if (child === undefined) break;
      node = child;
      best = child.offset;
    } else break;
  }
  return best;
}

function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function withPath(segments: readonly Segment[], detail: string): string {
  const path = formatPath(segments);
  return path ? `${path}: ${detail}` : detail;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Schema validation and its messages

// The schema is the official one (devcontainers/spec, schemas/devContainer.base.schema.json), kept as data.
const SCHEMA = schemaJson as unknown as Schema & { definitions: Record<string, Schema> };

// The official schema decides; its errors pass through `oneOf` branches (image, Dockerfile, Compose, none) and say
// little. The messages come from validating again against the one branch the file means, told by its keys.
let official: Validator | undefined;
const focused = new Map<string, Validator>();

function branchOf(
  raw: Record<string, unknown>,
): 'imageContainer' | 'dockerfileContainer' | 'composeContainer' {
  if ('dockerComposeFile' in raw) return 'composeContainer';
  if ('build' in raw || 'dockerFile' in raw) return 'dockerfileContainer';
  return 'imageContainer';
}

function focusedValidator(branch: string): Validator {
  let validator = focused.get(branch);
  if (validator === undefined) {
    const parts = [{ $ref: `#/definitions/${branch}` }, { $ref: '#/definitions/devContainerCommon' }];
    if (branch !== 'composeContainer') parts.push({ $ref: '#/definitions/nonComposeBase' });
    validator = new Validator(
      { definitions: SCHEMA.definitions, allOf: parts, unevaluatedProperties: false } as Schema,
      '2019-09',
      false,
    );
    focused.set(branch, validator);
  }
  return validator;
}

interface Problem {
  readonly segments: readonly Segment[];
  readonly atKey: boolean;
  readonly detail: string;
  readonly code?: DevcontainerErrorCode;
}

// Keywords that only say "something below failed"; the keyword below carries the useful message.
const WRAPPERS = new Set(['properties', 'items', '$ref', 'allOf', 'anyOf', 'oneOf', 'patternProperties']);

function schemaProblems(raw: Record<string, unknown>): Problem[] {
  // Only validity is read here: the default draft (2019-09, as the schema declares) may stop at the first error.
  official ??= new Validator(SCHEMA);
  if (official.validate(raw).valid) return [];
  const branch = branchOf(raw);
  const units = focusedValidator(branch).validate(raw).errors;
  const problems: Problem[] = [];
  for (const unit of units) {
    if (WRAPPERS.has(unit.keyword)) continue;
    const problem = describeUnit(unit, raw, branch);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length === 0) {
    // The focused branch passed but the whole schema did not: say what the schema says, at the top.
    problems.push({
      segments: [],
      atKey: false,
      detail:
        'the file does not match the Dev Container schema — it needs "image", "build" with "dockerfile", or ' +
        '"dockerComposeFile" with "service" and "workspaceFolder"',
    });
  }
  return problems;
}

function segmentsOf(root: unknown, instanceLocation: string): Segment[] {
  const segments: Segment[] = [];
  let value = root;
  for (const part of instanceLocation.split('/').slice(1)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    // The validator writes list items by index only.
    if (Array.isArray(value)) {
      segments.push(Number(key));
      value = value[Number(key)];
    } else {
      segments.push(key);
      value = isRecord(value) ? value[key] : undefined;
    }
  }
  return segments;
}

function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let value = root;
  for (const s of segments) value = isRecord(value) || Array.isArray(value) ? (value as never)[s] : undefined;
  return value;
}

const KNOWN_KEYS = (): string[] => {
  const keys = new Set<string>();
  for (const name of ['devContainerCommon', 'nonComposeBase', 'imageContainer', 'composeContainer']) {
    const props = (SCHEMA.definitions[name] as { properties?: object } | undefined)?.properties;
    for (const key of Object.keys(props ?? {})) if (key !== 'additionalProperties') keys.add(key);
  }
  for (const key of ['build', 'dockerFile', 'context']) keys.add(key);
  return [...keys];
};

function describeUnit(unit: OutputUnit, raw: Record<string, unknown>, branch: string): Problem | undefined {
  const segments = segmentsOf(raw, unit.instanceLocation);
  const value = valueAt(raw, segments);
  const last = segments[segments.length - 1];
  switch (unit.keyword) {
    case 'unevaluatedProperties':
    case 'additionalProperties':
      return undefined; // each bad key has its own `false` unit
    case 'false': {
      const key = String(last ?? '');
      // A known property that failed its own check is "unevaluated" too: its own unit says what is wrong.
      if (segments.length === 1 && KNOWN_KEYS().includes(key)) return undefined;
      const suggestion = segments.length === 1 ? closest(key, KNOWN_KEYS()) : undefined;
      return {
        segments,
        atKey: true,
        detail: `unknown property "${key}"${suggestion ? ` — did you mean "${suggestion}"?` : ' — remove it'}`,
      };
    }
    case 'required': {
      const missing = /"([^"]+)"/.exec(unit.error)?.[1] ?? '';
      if (segments.length === 0 && branch === 'imageContainer')
        return {
          segments,
          atKey: false,
          detail:
            'no "image" and no "build" — name an image (like "mcr.microsoft.com/devcontainers/base:debian") or ' +
            'a Dockerfile ("build": { "dockerfile": "Dockerfile" })',
        };
      return { segments, atKey: false, detail: `missing "${missing}"` };
    }
    case 'type': {
      // `Instance type "number" is invalid. Expected "string".` → string; `Expected "string", "array".` → string or array
      const expected = /Expected "(.+)"\.$/.exec(unit.error)?.[1]?.split('", "').join(' or ');
      const shell = last !== undefined && COMMAND_KEYS.has(last);
      return {
        segments,
        atKey: false,
        detail: `expected ${shell ? 'a command string, an array of arguments or an object of commands' : (expected ?? 'another type')}, got ${describe(value)}`,
      };
    }
    case 'enum': {
      // `Instance does not match any of ["none","stopContainer"].` → ["none","stopContainer"]
      const allowed = /any of (.*)\.$/.exec(unit.error)?.[1];
      return { segments, atKey: false, detail: `got ${describe(value)}, expected one of ${allowed ?? '…'}` };
    }
    case 'pattern':
      if (segments[0] === 'forwardPorts')
        return {
          segments,
          atKey: false,
          detail: `expected a port number or "service:port", got ${describe(value)}`,
        };
      return { segments, atKey: false, detail: `${describe(value)} does not have the expected form` };
    case 'minimum':
    case 'maximum':
      return { segments, atKey: false, detail: `${describe(value)} is out of range (${unit.error})` };
    default:
      return { segments, atKey: false, detail: unit.error.replace(/\.$/, '') };
  }
}

function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  const tolerance = input.length <= 4 ? 1 : input.length <= 8 ? 2 : 3;
  return best !== undefined && best.distance <= tolerance ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------------------------------
// What Launchpod needs beyond the schema

const LIFECYCLE_INIT = ['onCreateCommand', 'updateContentCommand', 'postCreateCommand'] as const;
const LIFECYCLE_COMMAND = ['postStartCommand', 'postAttachCommand'] as const;
// Keys whose value is a command (a string, an array of arguments or an object of commands); `overrideCommand` is not.
const COMMAND_KEYS: ReadonlySet<Segment> = new Set([
  ...LIFECYCLE_INIT,
  ...LIFECYCLE_COMMAND,
  'initializeCommand',
]);

function launchpodProblems(raw: Record<string, unknown>, path: string): Problem[] {
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

interface RawDevcontainer {
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

function normalise(raw: RawDevcontainer, path: string): DevcontainerConfig {
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
