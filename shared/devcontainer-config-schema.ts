// devcontainer.json against the official schema, and what a person reads for each problem: the expected type or
// values, the closest known key, at the path and position it is about.

import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import type { DevcontainerErrorCode, Segment } from './devcontainer-config.ts';
import { COMMAND_KEYS } from './devcontainer-config-checks.ts';
import { describe, isRecord } from './devcontainer-config-json.ts';
import schemaJson from './devcontainer-schema.json';

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

/** What a file of `branch` is checked against: the branch, the common keys and (unless Compose) the non-Compose ones. */
function branchParts(branch: string): Schema[] {
  const parts: Schema[] = [{ $ref: `#/definitions/${branch}` }, { $ref: '#/definitions/devContainerCommon' }];
  if (branch !== 'composeContainer') parts.push({ $ref: '#/definitions/nonComposeBase' });
  return parts;
}

function focusedValidator(branch: string): Validator {
  let validator = focused.get(branch);
  if (validator === undefined) {
    validator = new Validator(
      { definitions: SCHEMA.definitions, allOf: branchParts(branch), unevaluatedProperties: false } as Schema,
      '2019-09',
      false,
    );
    focused.set(branch, validator);
  }
  return validator;
}

export interface Problem {
  readonly segments: readonly Segment[];
  readonly atKey: boolean;
  readonly detail: string;
  readonly code?: DevcontainerErrorCode;
}

// Keywords that only say "something below failed"; the keyword below carries the useful message.
const WRAPPERS = new Set(['properties', 'items', '$ref', 'allOf', 'anyOf', 'oneOf', 'patternProperties']);

export function schemaProblems(raw: Record<string, unknown>): Problem[] {
  // Only validity is read here: the default draft (2019-09, as the schema declares) may stop at the first error.
  official ??= new Validator(SCHEMA);
  if (official.validate(raw).valid) return [];
  const branch = branchOf(raw);
  const units = oneTypeProblemPerValue(
    focusedValidator(branch)
      .validate(raw)
      .errors.filter((u) => !WRAPPERS.has(u.keyword)),
  );
  const problems: Problem[] = [];
  for (const unit of units) {
    // A key the schema declares is "unevaluated" only because its object failed a check (its own value's, or a
    // sibling's): that check's unit says what is wrong. (describeUnit knows the top level's keys by name.)
    if (unit.keyword === 'false' && declaredInTopObject(branch, segmentsOf(raw, unit.instanceLocation)))
      continue;
    if (unit.keyword === 'required' && missingOtherForm(unit, raw)) continue;
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

/**
 * A value the schema lets take one of several forms (a mount: an object, or a `type=…,source=…` string) fails the
 * type of each form it does not take. Where it takes one form (a problem of that form is reported at the value or
 * below it), the other forms' type problems say nothing true and go. Where it takes none, their types become one
 * problem: `expected object or string, got 42`.
 */
function oneTypeProblemPerValue(units: readonly OutputUnit[]): OutputUnit[] {
  const kept: OutputUnit[] = [];
  const typeAt = new Map<string, { unit: OutputUnit; expected: string[] }>();
  for (const unit of units) {
    if (unit.keyword !== 'type') {
      kept.push(unit);
      continue;
    }
    const at = unit.instanceLocation;
    // (A `false` unit at the value itself only says that its key went unevaluated, because the value failed.)
    const formTaken = units.some(
      (other) =>
        (other.instanceLocation === at && other.keyword !== 'type' && other.keyword !== 'false') ||
        other.instanceLocation.startsWith(`${at}/`),
    );
    if (formTaken) continue;
    // `Instance type "number" is invalid. Expected "string".`, or with several: `Expected "string", "array".`
    const expected = /Expected "(.+)"\.$/.exec(unit.error)?.[1]?.split('", "') ?? [];
    const same = typeAt.get(at);
    if (same === undefined) {
      const entry = { unit: { ...unit }, expected: [...expected] };
      typeAt.set(at, entry);
      kept.push(entry.unit);
    } else {
      for (const type of expected) if (!same.expected.includes(type)) same.expected.push(type);
      same.unit.error = `Expected "${same.expected.join('", "')}".`;
    }
  }
  return kept;
}

/**
 * Whether the schema declares `key` for the object at top-level key `top`, in the file's branch. Only such objects
 * (`build`, `hostRequirements`) report their keys as unevaluated when one of them fails.
 */
function declaredInTopObject(branch: string, segments: readonly Segment[]): boolean {
  if (segments.length !== 2) return false;
  const [top, key] = segments.map(String) as [string, string];
  const objects = expand(branchParts(branch)).flatMap((schema) => schema.properties?.[top] ?? []);
  return expand(objects).some((schema) => Object.hasOwn(schema.properties ?? {}, key));
}

/** The schemas a value is checked against through `$ref`, `allOf`, `anyOf` and `oneOf`, each once. */
function expand(roots: readonly Schema[]): Schema[] {
  const seen = new Set<Schema>();
  const pending = [...roots];
  while (pending.length > 0) {
    const schema = pending.pop() as Schema;
    if (seen.has(schema)) continue;
    seen.add(schema);
    if (typeof schema.$ref === 'string')
      pending.push(SCHEMA.definitions[schema.$ref.replace('#/definitions/', '')] as Schema);
    for (const list of [schema.allOf, schema.anyOf, schema.oneOf])
      if (Array.isArray(list)) pending.push(...list);
  }
  return [...seen];
}

/**
 * A Dockerfile is named as `build.dockerfile` or (the older way) `dockerFile`, and the branch is told by those keys:
 * `build` or `dockerFile` is "missing" only when the other form is used, and `build.dockerfile` when `dockerFile` is.
 */
function missingOtherForm(unit: OutputUnit, raw: Record<string, unknown>): boolean {
  const missing = /"([^"]+)"/.exec(unit.error)?.[1];
  if (missing === 'dockerFile' || missing === 'build') return true;
  return missing === 'dockerfile' && 'dockerFile' in raw;
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
