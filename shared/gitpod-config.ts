// Parses and validates a `.gitpod.yml` into a normalised config, the tasks a prebuild runs and a prebuild fingerprint.
// Never throws and never expands hostile YAML: every failure is a ConfigError with a position and a way out.

import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  type Alias,
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Pair,
  type ParsedNode,
  Parser,
  visit,
  type YAMLMap,
} from 'yaml';
import { envNameProblem } from './env-vars.ts';
import schemaJson from './gitpod-schema.json';
import { err, ok, type Result } from './result.ts';
import { START_LIMITS } from './start-request.ts';

/** Largest accepted file, in UTF-8 bytes. Real configs are a few KiB; long scripts belong in the repository. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Deepest accepted nesting of mappings and lists; a real config needs about five levels. */
export const MAX_CONFIG_DEPTH = 64;
/** Passed to `yaml` as `maxAliasCount`: how far one anchor may be expanded through aliases. */
export const MAX_ALIAS_EXPANSION = 100;
// Alias resolution in `yaml` scans every anchor per alias, so thousands of aliases cost quadratic time even when
// each is expanded only once. No hand-written config comes close to this many.
const MAX_ALIASES = 1000;

export type ConfigErrorCode = 'too-large' | 'yaml-syntax' | 'too-complex' | 'schema';

export interface ConfigError {
  readonly code: ConfigErrorCode;
  /** Where in the config, e.g. `ports[1].port`, `tasks[0].init`, `github.prebuilds.branches`; '' for the whole file. */
  readonly path: string;
  /** 1-based line of the best known position. */
  readonly line: number;
  /** 1-based column of the best known position. */
  readonly column: number;
  /** A sentence a person can act on: the path, what was expected, what was found and what to change. */
  readonly message: string;
}

export type ImageConfig =
  | { readonly kind: 'default' }
  | { readonly kind: 'image'; readonly name: string }
  | { readonly kind: 'dockerfile'; readonly file: string; readonly context?: string };

export type OpenMode = 'split-left' | 'split-right' | 'tab-before' | 'tab-after';
export type OpenIn = 'bottom' | 'main' | 'left' | 'right';

export interface Task {
  readonly name?: string;
  readonly before?: string;
  readonly init?: string;
  /** Deprecated by Gitpod; runs during prebuilds only, so it is treated like `init` there. */
  readonly prebuild?: string;
  readonly command?: string;
  readonly openMode?: OpenMode;
  readonly openIn?: OpenIn;
  /** Values that are not strings are JSON-encoded, as Gitpod's supervisor does. */
  readonly env?: Readonly<Record<string, string>>;
}

export type OnOpen = 'open-browser' | 'open-preview' | 'notify' | 'ignore' | 'ignore-completely';

export type Port = ({ readonly port: number } | { readonly range: readonly [number, number] }) & {
  readonly onOpen: OnOpen;
  readonly visibility: 'private' | 'public';
  readonly protocol: 'http' | 'https';
  readonly name?: string;
  readonly description?: string;
};

export interface GithubPrebuilds {
  readonly master: boolean;
  readonly branches: boolean;
  readonly pullRequests: boolean;
  readonly pullRequestsFromForks: boolean;
  readonly addCheck: boolean | 'prevent-merge-on-error';
  readonly addBadge: boolean;
  readonly addComment: boolean;
  /** The label to add, or false. `addLabel: true` means Gitpod's default label. */
  readonly addLabel: string | false;
}

export interface AdditionalRepository {
  readonly url: string;
  readonly checkoutLocation?: string;
}

export interface GitpodConfig {
  readonly image: ImageConfig;
  readonly tasks: readonly Task[];
  readonly ports: readonly Port[];
  readonly env: Readonly<Record<string, string>>;
  readonly checkoutLocation?: string;
  readonly workspaceLocation?: string;
  readonly mainConfiguration?: string;
  readonly additionalRepositories: readonly AdditionalRepository[];
  readonly gitConfig: Readonly<Record<string, string>>;
  readonly github: {
    readonly prebuilds: GithubPrebuilds;
    /** Whether the file sets `github.prebuilds` itself, so later code can tell defaults from choices. */
    readonly prebuildsInFile: boolean;
  };
  /** The validated document as plain data, for keys this type does not model (vscode, jetbrains, …). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PrebuildTask {
  readonly name?: string;
  readonly before?: string;
  readonly init?: string;
}

export const DEFAULT_GITHUB_PREBUILDS: GithubPrebuilds = Object.freeze({
  master: true,
  branches: false,
  pullRequests: true,
  pullRequestsFromForks: false,
  addCheck: true,
  addBadge: false,
  addComment: false,
  addLabel: false,
});

const DEFAULT_PREBUILT_LABEL = 'prebuilt-in-gitpod';

// ---------------------------------------------------------------------------------------------------------------
// Parsing

type Segment = string | number;
type Path = readonly Segment[];
type YamlDoc = Document.Parsed;

interface Located {
  readonly segments: Path;
  /** Point at the key rather than the value, e.g. for an unknown key. */
  readonly atKey: boolean;
}

export function parseGitpodConfig(text: string): Result<GitpodConfig, ConfigError[]> {
  if (utf8Length(text) > MAX_CONFIG_BYTES) {
    return err([
      rootError(
        'too-large',
        1,
        1,
        `The file is larger than ${MAX_CONFIG_BYTES} bytes, the limit for a .gitpod.yml — move long scripts ` +
          'into a file in the repository and run that file from the task.',
      ),
    ]);
  }

  // yaml's lexer takes ~0.5 s on 64 KiB of `[[[[…`: a linear scan of flow brackets refuses that before it starts.
  const flowTooDeepAt = findFlowTooDeep(text);
  if (flowTooDeepAt !== undefined) {
    const before = text.slice(0, flowTooDeepAt);
    const line = before.split('\n').length;
    return err([
      rootError(
        'too-complex',
        line,
        flowTooDeepAt - before.lastIndexOf('\n'),
        `The file nests lists and mappings more than ${MAX_CONFIG_DEPTH} levels deep — flatten it; ` +
          'a .gitpod.yml needs only a few levels.',
      ),
    ]);
  }

  const lineCounter = new LineCounter();
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };

  // The CST is built without recursion, so its depth is checked before the composer (which recurses) sees it.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const tooDeepAt = findTooDeep(tokens);
  if (tooDeepAt !== undefined) {
    const { line, column } = position(tooDeepAt);
    return err([
      rootError(
        'too-complex',
        line,
        column,
        `The file nests lists and mappings more than ${MAX_CONFIG_DEPTH} levels deep — flatten it; ` +
          'a .gitpod.yml needs only a few levels.',
      ),
    ]);
  }

  const composed = compose(tokens, text, (offset) => position(offset).line);
  if (!composed.ok) {
    return err(
      composed.error.map(({ code, path, offset, message }) => ({ code, path, ...position(offset), message })),
    );
  }
  const doc = composed.value;

  const aliases = resolveAliases(doc);
  if (!aliases.ok) {
    const { offset, code, message } = aliases.error;
    const { line, column } = position(offset);
    return err([rootError(code, line, column, message)]);
  }

  const contents = doc.contents;
  if (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value === null)) {
    const { line, column } = position(contents.range[0]);
    const found = isSeq(contents) ? 'a list' : describeValue(isScalar(contents) ? contents.value : undefined);
    return err([
      rootError(
        'schema',
        line,
        column,
        `The file must be a mapping of keys like 'tasks:' and 'ports:', but it is ${found} — ` +
          "start each top-level setting at the beginning of a line, e.g. 'tasks:'.",
      ),
    ]);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch {
    // `yaml` throws only for excessive alias expansion here: anchors were resolved and checked above.
    const { line, column } = position(aliases.value.firstAliasOffset ?? 0);
    return err([
      rootError(
        'too-complex',
        line,
        column,
        `The file expands YAML aliases (*name) more than ${MAX_ALIAS_EXPANSION} times, which looks like an ` +
          'alias bomb — write the values out or use fewer aliases.',
      ),
    ]);
  }
  const raw: Record<string, unknown> = isRecord(value) ? value : {};

  const locate = (where: Located): { line: number; column: number } =>
    position(offsetOf(doc, aliases.value.sources, where));

  const badKey = findUnpairedSurrogateKey(raw);
  if (badKey !== undefined) {
    return err([
      {
        code: 'yaml-syntax',
        path: formatPath(badKey),
        ...locate({ segments: badKey, atKey: true }),
        message: withPath(
          badKey,
          'this key contains an unpaired UTF-16 surrogate escape (like "\\uD800") — use a valid character',
        ),
      },
    ]);
  }

  const problems = [...schemaProblems(raw), ...semanticProblems(raw)];
  if (problems.length > 0) {
    const errors = problems.map(
      (p): ConfigError => ({
        code: 'schema',
        path: formatPath(p.segments),
        ...locate(p),
        message: withPath(p.segments, p.detail),
      }),
    );
    return err(sortErrors(errors));
  }

  return ok(normalise(raw as RawConfig));
}

function rootError(code: ConfigErrorCode, line: number, column: number, message: string): ConfigError {
  return { code, path: '', line, column, message };
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

// Counts by hand: TextEncoder is not part of the ES library shared/ is typed against. A lone surrogate is
// encoded as U+FFFD (3 bytes), as TextEncoder does.
function utf8Length(text: string): number {
  // Every UTF-16 unit needs at least one UTF-8 byte, so huge inputs are rejected without a scan.
  if (text.length > MAX_CONFIG_BYTES) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * Offset of the first `[` or `{` that opens a flow collection deeper than MAX_CONFIG_DEPTH, skipping quoted
 * strings and comments. Brackets inside plain scalars count too, which can only refuse absurd files early.
 */
function findFlowTooDeep(text: string): number | undefined {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      else if (c === 92 && quote === 34) i++; // backslash escape inside "…"
      continue;
    }
    if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) <= 32)) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end;
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth > MAX_CONFIG_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** Offset of the first collection nested deeper than MAX_CONFIG_DEPTH, walking the CST with an explicit stack. */
function findTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [];
  for (const token of tokens) {
    if (token.type === 'document' && token.value) stack.push({ token: token.value, depth: 0 });
  }
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { token, depth } = entry;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
      continue;
    if (depth + 1 > MAX_CONFIG_DEPTH) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

interface PendingError {
  readonly code: ConfigErrorCode;
  readonly path: string;
  readonly offset: number;
  readonly message: string;
}

/** Composes the first document like `yaml`'s parseDocument, turning its errors into friendly sentences. */
function compose(
  tokens: readonly CST.Token[],
  text: string,
  lineOf: (offset: number) => number,
): Result<YamlDoc, PendingError[]> {
  // Core schema without the YAML 1.1 extras (!!set, !!binary, timestamps), so values are always plain JSON
  // data, even under a `%YAML 1.1` directive. Merge keys (`<<: *base`) stay on, as in Gitpod's own parser.
  // Duplicate keys are found by findDuplicateKeys: `yaml`'s own check compares every pair of keys.
  // logLevel 'error' keeps `yaml` from printing warnings (e.g. about collection keys): a pure module never logs.
  const composer = new Composer({
    schema: 'core',
    resolveKnownTags: false,
    merge: true,
    uniqueKeys: false,
    logLevel: 'error',
  });
  // `forceDoc` (true) makes the first document exist even for an empty file; a second is composed only if asked for.
  const documents = composer.compose(tokens, true, text.length);
  const doc = documents.next().value as YamlDoc;
  const errors: PendingError[] = [];
  const second = documents.next();
  if (!second.done) {
    errors.push({
      code: 'yaml-syntax',
      path: '',
      offset: second.value.range[0],
      message:
        "The file contains a second YAML document (after a '---' line) — keep a single document; " +
        'Gitpod reads only one.',
    });
  }
  const seen = new Set<string>();
  for (const e of doc.errors) {
    const message = yamlErrorMessage(e.code, e.message);
    const key = `${e.pos[0]}:${message}`;
    // A single broken bracket can make `yaml` report the same problem at the same spot many times.
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ code: 'yaml-syntax', path: '', offset: e.pos[0], message });
  }
  errors.push(...findDuplicateKeys(doc, lineOf));
  if (errors.length > 0) return err(errors.sort((a, b) => a.offset - b.offset));
  return ok(doc);
}

/** Keys that appear twice in one mapping: YAML forbids it, and the plain object would silently keep the last. */
function findDuplicateKeys(doc: YamlDoc, lineOf: (offset: number) => number): PendingError[] {
  const duplicates: PendingError[] = [];
  visit(doc, {
    Map: (_key, map, ancestors) => {
      const firstOffset = new Map<string, number>();
      for (const pair of map.items) {
        // Several `<<` merge keys in one mapping are allowed: `yaml` reads a plain `<<` as a symbol (a quoted "<<" is
        // an ordinary key, and stays a string).
        if (!isScalar(pair.key) || typeof pair.key.value === 'symbol') continue;
        const key = String(pair.key.value ?? '');
        const offset = pair.key.range?.[0] ?? 0;
        const first = firstOffset.get(key);
        if (first === undefined) {
          firstOffset.set(key, offset);
          continue;
        }
        const segments = [...nodePath(ancestors, map), key];
        duplicates.push({
          code: 'yaml-syntax',
          path: formatPath(segments),
          offset,
          message: withPath(
            segments,
            `the key ${quote(key)} appears a second time in the same mapping (first on line ${lineOf(first)}) — ` +
              'merge the two entries into one or remove one of them',
          ),
        });
      }
    },
  });
  return duplicates;
}

/** Path segments of `node` from `visit`'s list of its ancestors. */
function nodePath(ancestors: readonly unknown[], node: unknown): Segment[] {
  const chain = [...ancestors, node];
  const segments: Segment[] = [];
  chain.forEach((step, i) => {
    if (isPair(step)) segments.push(isScalar(step.key) ? String(step.key.value ?? '') : '?');
    else if (isSeq(step)) segments.push(step.items.indexOf(chain[i + 1]));
  });
  return segments;
}

function yamlErrorMessage(code: string, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'A tab is used for indentation, but YAML allows only spaces there — replace the tab with spaces.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return `Invalid YAML: ${sentence(message)} Check the indentation, colons, quotes and brackets here.`;
    default:
      return `Invalid YAML: ${sentence(message)}`;
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

interface AliasInfo {
  /** Which anchored node each alias stands for, so positions can be looked up through aliases. */
  readonly sources: ReadonlyMap<Alias, ParsedNode>;
  readonly firstAliasOffset?: number;
}

interface AliasProblem {
  readonly code: ConfigErrorCode;
  readonly offset: number;
  readonly message: string;
}

/**
 * Resolves every alias to its anchor in one pass (as YAML defines it: the last anchor of that name before the
 * alias), rejecting undefined anchors, self-containing aliases and too many aliases before anything expands them.
 */
function resolveAliases(doc: YamlDoc): Result<AliasInfo, AliasProblem> {
  const anchors = new Map<string, ParsedNode>();
  const sources = new Map<Alias, ParsedNode>();
  let firstAliasOffset: number | undefined;
  let problem: AliasProblem | undefined;
  visit(doc, {
    Node: (_key, node, path) => {
      if (!isAlias(node)) {
        if (node.anchor) anchors.set(node.anchor, node as ParsedNode);
        return undefined;
      }
      const offset = node.range?.[0] ?? 0;
      firstAliasOffset ??= offset;
      const source = anchors.get(node.source);
      if (!source) {
        problem = {
          code: 'yaml-syntax',
          offset,
          message:
            `The alias *${node.source} refers to no anchor — define '&${node.source}' on a value above it, ` +
            'or write the value out.',
        };
      } else if (path.includes(source)) {
        problem = {
          code: 'too-complex',
          offset,
          message:
            `The alias *${node.source} is used inside the value it refers to, which would make an endless value — ` +
            'point it at a different anchor.',
        };
      } else if (sources.size >= MAX_ALIASES) {
        problem = {
          code: 'too-complex',
          offset,
          message: `The file uses more than ${MAX_ALIASES} YAML aliases (*name) — write the values out instead.`,
        };
      } else {
        sources.set(node, source);
        return undefined;
      }
      return visit.BREAK;
    },
  });
  if (problem) return err(problem);
  return ok(firstAliasOffset === undefined ? { sources } : { sources, firstAliasOffset });
}

/** Offset of the node at `segments`, or of its nearest existing ancestor. */
function offsetOf(doc: YamlDoc, sources: ReadonlyMap<Alias, ParsedNode>, where: Located): number {
  const { segments, atKey } = where;
  let node: ParsedNode | null = doc.contents;
  let best = node?.range[0] ?? 0;
  // A null node (an empty value on the way) is neither an alias, a map nor a list: the walk stops there.
  for (const [i, segment] of segments.entries()) {
    if (isAlias(node)) node = sources.get(node) ?? null;
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(segment));
      if (!pair) break;
      const keyOffset = isScalar(pair.key) ? pair.key.range[0] : best;
      const value = pair.value as ParsedNode | null;
      const isLast = i === segments.length - 1;
      // An empty value (`port:`) has no text of its own; its key is what the reader looks for.
      const emptyValue = !value || (isScalar(value) && value.value === null && value.source === '');
      if (isLast && (atKey || emptyValue)) return keyOffset;
      node = value;
      best = emptyValue ? keyOffset : (value?.range[0] ?? keyOffset);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = (node.items[segment] as ParsedNode | undefined) ?? null;
      if (!node) break;
      best = node.range[0];
    } else {
      break;
    }
  }
  return best;
}

const pairIndex = new WeakMap<YAMLMap.Parsed, Map<string, Pair<ParsedNode, ParsedNode | null>>>();

// Indexed once per mapping: a file with thousands of bad keys would otherwise cost quadratic time to locate.
function pairsByKey(map: YAMLMap.Parsed): Map<string, Pair<ParsedNode, ParsedNode | null>> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value ?? '') : undefined;
      if (key !== undefined && !index.has(key)) index.set(key, pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

// Keys are checked before validation because the validator URI-encodes them, which throws on lone surrogates.
function findUnpairedSurrogateKey(root: unknown): Path | undefined {
  const unpaired = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const seen = new Set<object>();
  const stack: Array<{ value: unknown; path: Path }> = [{ value: root, path: [] }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (typeof entry.value !== 'object' || entry.value === null || seen.has(entry.value)) continue;
    seen.add(entry.value);
    if (Array.isArray(entry.value)) {
      entry.value.forEach((item, i) => {
        stack.push({ value: item, path: [...entry.path, i] });
      });
      continue;
    }
    for (const [key, item] of Object.entries(entry.value)) {
      if (unpaired.test(key)) return [...entry.path, key];
      stack.push({ value: item, path: [...entry.path, key] });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
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

interface Problem extends Located {
  readonly detail: string;
  /** Lower wins when several keywords complain about the same spot. */
  readonly rank: number;
}

function schemaProblems(raw: Record<string, unknown>): Problem[] {
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

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quote(value);
  return String(value);
}

function quote(text: string): string {
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

function withPath(segments: Path, detail: string): string {
  const path = formatPath(segments);
  return path ? `${path}: ${detail}` : detail;
}

/** `['ports', 1, 'port']` → `ports[1].port`; keys that are not plain words are quoted: `gitConfig["core.eol"]`. */
function formatPath(segments: Path): string {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Checks the schema cannot express

/** `3000-3010` or `3000:3010`: the port range grammar of the schema's pattern. */
const PORT_RANGE = /^(\d+)[:-](\d+)$/;
const MAX_PORT = 65535;

function semanticProblems(raw: Record<string, unknown>): Problem[] {
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
interface RawConfig {
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

function normalise(raw: RawConfig): GitpodConfig {
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

// ---------------------------------------------------------------------------------------------------------------
// Prebuilds

function hasText(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

function hasPrebuildWork(task: Task): boolean {
  return hasText(task.before) || hasText(task.init) || hasText(task.prebuild);
}

/** What a prebuild runs, per task: `before`, then `init` followed by the deprecated `prebuild`. */
export function prebuildTasks(config: GitpodConfig): readonly PrebuildTask[] {
  return config.tasks.filter(hasPrebuildWork).map((task) => {
    const init = [task.init, task.prebuild].filter(hasText).join('\n');
    return {
      ...(task.name !== undefined ? { name: task.name } : {}),
      ...(hasText(task.before) ? { before: task.before } : {}),
      ...(init ? { init } : {}),
    };
  });
}

/** Gitpod's rule: a prebuild is worth running when some task has `before`, `init` or `prebuild`. */
export function needsPrebuild(config: GitpodConfig): boolean {
  return config.tasks.some(hasPrebuildWork);
}

/**
 * A digest of exactly what decides a prebuild's result inside the config: the image and, per task in order, the
 * `before`/`init`/`prebuild` scripts. Names, commands, ports, github settings and YAML formatting do not count,
 * so an ancestor's prebuild with the same fingerprint can serve a newer commit. A Dockerfile's own content is not
 * in the config; callers must combine it with this value.
 */
export function prebuildFingerprint(config: GitpodConfig): string {
  const image = config.image;
  const canonical = {
    image:
      image.kind === 'default'
        ? ['default']
        : image.kind === 'image'
          ? ['image', image.name]
          : ['dockerfile', image.file, image.context ?? null],
    // Surrounding blank lines are formatting (`init: x` versus an `init: |` block ending in a newline).
    tasks: config.tasks
      .filter(hasPrebuildWork)
      .map((task) =>
        [task.before, task.init, task.prebuild].map((text) => (hasText(text) ? text.trim() : null)),
      ),
  };
  return `v1:${bytesToHex(sha256(utf8ToBytes(JSON.stringify(canonical))))}`;
}
