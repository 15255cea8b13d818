// Parses and validates a `devcontainer.json` (JSON with comments) against the official Dev Container schema, and
// normalises it into the same launch config a `.gitpod.yml` gives (image, tasks, ports, env). Never throws, never
// recurses into hostile nesting, and never lets an environment variable through that a link could not set.

import { getNodeValue, type ParseError, parseTree } from 'jsonc-parser';
import { launchpodProblems, normalise, type RawDevcontainer } from './devcontainer-config-checks.ts';
import {
  describe,
  findDuplicateKeys,
  findTooDeep,
  formatPath,
  lineColumn,
  offsetOf,
  positions,
  SYNTAX_MESSAGES,
  withPath,
} from './devcontainer-config-json.ts';
import { schemaProblems } from './devcontainer-config-schema.ts';
import { type GitpodConfig, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from './gitpod-config.ts';
import { err, ok, type Result } from './result.ts';

// How a lifecycle command is run as a shell script (the cluster writes it so).
export { commandScript } from './devcontainer-config-checks.ts';

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

export type Segment = string | number;

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
