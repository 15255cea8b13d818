// .gitpod.yml against Gitpod's schema, and what a person reads for each problem: the most specific one, in words
// (expected types, allowed values, the closest known key), at the path and position it is about.

import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import type { Located, Path, Segment } from './gitpod-config-types.ts';
import schemaJson from './gitpod-schema.json';

// Schema validation and its messages

// The schema file is Gitpod's, kept as data; the cast only widens JSON literal types to the validator's type.
const GITPOD_SCHEMA = schemaJson as Schema;
// Draft 7 as the schema declares; all errors, not only the first, so one edit round fixes the whole file. Made on
// first use: building it resolves every `$ref` of the schema, work a Worker's cold start need not do.
let validator: Validator | undefined;
const gitpodValidator = (): Validator => {
  validator ??= new Validator(GITPOD_SCHEMA, '7', false);
  return validator;
};

const PORT_SCHEMA = '#/properties/ports/items/properties/port';
const IMAGE_SCHEMA = '#/properties/image';
const PREBUILDS_SCHEMA = '#/properties/github/properties/prebuilds';
const ADD_LABEL_SCHEMA = `${PREBUILDS_SCHEMA}/properties/addLabel`;
const SHELL_KEYS = new Set(['before', 'init', 'prebuild', 'command']);

// Keywords that only say "something below failed"; the keyword below carries the useful message.
const WRAPPER_KEYWORDS = new Set([
  'properties',
  'items',
  'additionalItems',
  'additionalProperties',
  'patternProperties',
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'dependencies',
  'propertyNames',
]);

export interface Problem extends Located {
  readonly detail: string;
  /** Lower wins when several keywords complain about the same spot. */
  readonly rank: number;
}

export function schemaProblems(raw: Record<string, unknown>): Problem[] {
  const result = gitpodValidator().validate(raw);
  if (result.valid) return [];
  const units = result.errors;

  // `additionalProperties: false` reports the parent (which names the schema) and a `false` unit per bad key.
  const closedObjectSchema = new Map<string, string>();
  for (const unit of units) {
    if (unit.keyword === 'additionalProperties') {
      closedObjectSchema.set(
        unit.instanceLocation,
        stripSuffix(unit.keywordLocation, '/additionalProperties'),
      );
    }
  }

  const problems: Problem[] = [];
  for (const unit of units) {
    if (WRAPPER_KEYWORDS.has(unit.keyword)) continue;
    const segments = instanceSegments(raw, unit.instanceLocation);
    const value = valueAt(raw, segments);
    const problem = describeUnit(unit, segments, value, closedObjectSchema);
    problems.push(problem);
  }
  return mostSpecific(problems);
}

function describeUnit(
  unit: OutputUnit,
  segments: Path,
  value: unknown,
  closedObjectSchema: ReadonlyMap<string, string>,
): Problem {
  switch (unit.keyword) {
    case 'false': {
      const key = String(segments[segments.length - 1] ?? '');
      const parent = unit.instanceLocation.slice(0, unit.instanceLocation.lastIndexOf('/'));
      const location = closedObjectSchema.get(parent);
      const schema = location === undefined ? undefined : schemaAt(location);
      const allowed = isRecord(schema?.properties) ? Object.keys(schema.properties) : [];
      return { segments, atKey: true, rank: 0, detail: unknownKeyDetail(key, allowed) };
    }
    case 'required': {
      const schemaLocation = stripSuffix(unit.keywordLocation, '/required');
      const required = schemaAt(schemaLocation)?.required;
      const missing = Array.isArray(required)
        ? required.filter(
            (k): k is string => typeof k === 'string' && isRecord(value) && !Object.hasOwn(value, k),
          )
        : [];
      return { segments, atKey: false, rank: 0, detail: missingDetail(missing, schemaLocation) };
    }
    case 'enum': {
      const allowed = schemaAt(stripSuffix(unit.keywordLocation, '/enum'))?.enum;
      return {
        segments,
        atKey: false,
        rank: 1,
        detail: enumDetail(Array.isArray(allowed) ? allowed : [], value),
      };
    }
    case 'pattern': {
      const schemaLocation = stripSuffix(unit.keywordLocation, '/pattern');
      return { segments, atKey: false, rank: 1, detail: patternDetail(schemaLocation, value) };
    }
    case 'type': {
      const schemaLocation = stripSuffix(unit.keywordLocation, '/type');
      const type = schemaAt(schemaLocation)?.type;
      const types = Array.isArray(type) ? type.map(String) : [String(type)];
      return { segments, atKey: false, rank: 2, detail: typeDetail(schemaLocation, types, value, segments) };
    }
    default:
      return { segments, atKey: false, rank: 3, detail: unit.error };
  }
}

/** Keeps, per spot, only the messages of the most specific keyword, each once. */
function mostSpecific(problems: readonly Problem[]): Problem[] {
  const bySpot = new Map<string, Problem[]>();
  for (const problem of problems) {
    const spot = JSON.stringify([problem.segments, problem.atKey]);
    const group = bySpot.get(spot);
    if (group) group.push(problem);
    else bySpot.set(spot, [problem]);
  }
  const kept: Problem[] = [];
  for (const group of bySpot.values()) {
    const best = Math.min(...group.map((p) => p.rank));
    const details = new Set<string>();
    for (const problem of group) {
      if (problem.rank !== best || details.has(problem.detail)) continue;
      details.add(problem.detail);
      kept.push(problem);
    }
  }
  return kept;
}

function typeDetail(
  schemaLocation: string,
  types: readonly string[],
  value: unknown,
  segments: Path,
): string {
  const expected = expectedPhrase(schemaLocation, types);
  const found = `expected ${expected}, got ${describeValue(value)}`;
  const key = segments[segments.length - 1];
  if (value === null) return `${found} — write a value after the colon, or remove the key`;
  if (types.includes('string') && !types.includes('object') && (Array.isArray(value) || isRecord(value))) {
    return typeof key === 'string' && SHELL_KEYS.has(key)
      ? `${found} — write the commands as one string; use a '|' block for several lines`
      : `${found} — write a single value`;
  }
  if (types.length === 1 && types[0] === 'string' && typeof value !== 'object') {
    return `${found} — put it in quotes: "${String(value)}"`;
  }
  if (types.length === 1 && types[0] === 'array')
    return `${found} — write one '- ' entry per line below the key`;
  if (types.length === 1 && types[0] === 'object')
    return `${found} — write 'key: value' lines indented below the key`;
  return found;
}

function expectedPhrase(schemaLocation: string, types: readonly string[]): string {
  if (schemaLocation === PORT_SCHEMA) return 'a number or a range like 3000-3010';
  if (schemaLocation === IMAGE_SCHEMA)
    return "an image name like 'gitpod/workspace-full' or a mapping with 'file:'";
  if (schemaLocation === PREBUILDS_SCHEMA) return 'true, false or a mapping of prebuild settings';
  if (schemaLocation === ADD_LABEL_SCHEMA) return 'true, false or a label name';
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    null: 'an empty value',
  };
  return types.map((t) => names[t] ?? t).join(' or ');
}

function patternDetail(schemaLocation: string, value: unknown): string {
  if (schemaLocation === PORT_SCHEMA) {
    const found = `expected a number or a range like 3000-3010, got ${describeValue(value)}`;
    return typeof value === 'string' && /^\s*\d+\s*$/.test(value)
      ? `${found} — remove the quotes so it is read as a number`
      : found;
  }
  const pattern = schemaAt(schemaLocation)?.pattern;
  return `expected text matching ${String(pattern)}, got ${describeValue(value)}`;
}

function enumDetail(allowed: readonly unknown[], value: unknown): string {
  const found = `expected one of ${allowed.map(String).join(', ')}, got ${describeValue(value)}`;
  const suggestion =
    typeof value === 'string'
      ? closest(
          value,
          allowed.filter((a): a is string => typeof a === 'string'),
        )
      : undefined;
  return suggestion ? `${found} — did you mean ${quote(suggestion)}?` : found;
}

function unknownKeyDetail(key: string, allowed: readonly string[]): string {
  const found = `unknown key ${quote(key)}`;
  const suggestion = closest(key, allowed);
  if (suggestion) return `${found} — did you mean ${quote(suggestion)}?`;
  if (allowed.length === 0) return `${found} — remove it`;
  return `${found} — remove it or use one of ${allowed.join(', ')}`;
}

function missingDetail(missing: readonly string[], schemaLocation: string): string {
  const keys = missing.map(quote).join(', ');
  if (missing.includes('port')) return `missing ${keys} — add the port to expose, e.g. 'port: 3000'`;
  if (schemaLocation === IMAGE_SCHEMA) {
    return (
      `missing ${keys} — add 'file: .gitpod.Dockerfile', ` +
      "or name an image directly, like 'image: gitpod/workspace-full'"
    );
  }
  if (missing.includes('url'))
    return `missing ${keys} — add the repository URL, e.g. 'url: https://github.com/o/r'`;
  return `missing ${keys} — add ${missing.map((k) => `'${k}:'`).join(', ')} to this entry`;
}

/** The closest name by edit distance (case-insensitive), if close enough to be a typo. */
function closest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  const tolerance = input.length <= 3 ? 1 : input.length <= 6 ? 2 : 3;
  for (const name of candidates) {
    // Lengths further apart than the tolerance cannot be close enough; skip the table.
    if (Math.abs(name.length - input.length) > tolerance) continue;
    const distance = editDistance(lower, name.toLowerCase(), tolerance);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  return best.distance <= tolerance ? best.name : undefined;
}

/** Optimal string alignment distance: Levenshtein plus swapping two neighbours ('prots' → 'ports' is 1). */
function editDistance(a: string, b: string, limit: number): number {
  // Rows i-2, i-1 and i of the classic table; plain loops, as this runs once per unknown key and candidate.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    // Distances never shrink down the table, so once a whole row is over the limit the answer is too.
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quote(value);
  return String(value);
}

export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  // Control characters are escaped so a message stays on one line.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
  const escaped = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

export function withPath(segments: Path, detail: string): string {
  const path = formatPath(segments);
  return path ? `${path}: ${detail}` : detail;
}

/** `['ports', 1, 'port']` → `ports[1].port`; keys that are not plain words are quoted: `gitConfig["core.eol"]`. */
export function formatPath(segments: Path): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `#/ports/1/port` → `['ports', 1, 'port']`, numbering only where the instance really is a list. */
function instanceSegments(root: unknown, instanceLocation: string): Path {
  const segments: Segment[] = [];
  let value = root;
  for (const part of pointerParts(instanceLocation)) {
    // The validator writes list items by index only.
    if (Array.isArray(value)) {
      const index = Number(part);
      segments.push(index);
      value = value[index];
    } else {
      segments.push(part);
      value = isRecord(value) && Object.hasOwn(value, part) ? value[part] : undefined;
    }
  }
  return segments;
}

function valueAt(root: unknown, segments: Path): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof segment === 'number') value = Array.isArray(value) ? value[segment] : undefined;
    else value = isRecord(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
  }
  return value;
}

/** Splits a JSON pointer as the validator writes it: URI-encoded, with `~1` for '/' and `~0` for '~'. */
function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
}

type SchemaNode = Readonly<Record<string, unknown>>;

/** The schema object at a keyword location, following `$ref` segments into `definitions`. */
function schemaAt(location: string): SchemaNode | undefined {
  let node: unknown = GITPOD_SCHEMA;
  for (const part of pointerParts(location)) {
    if (!isRecord(node)) return undefined;
    if (part === '$ref' && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      node = schemaAt(node.$ref);
      continue;
    }
    node = node[part];
  }
  return isRecord(node) ? node : undefined;
}

function stripSuffix(text: string, suffix: string): string {
  return text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
