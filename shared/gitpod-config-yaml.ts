// Reading .gitpod.yml as YAML without expanding hostile input: the size, depth and alias limits, composing the
// document, duplicate keys, aliases resolved with their sources, and the position of a path for a message.

import {
  type Alias,
  Composer,
  type CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Pair,
  type ParsedNode,
  visit,
  type YAMLMap,
} from 'yaml';
import { formatPath, quote, withPath } from './gitpod-config-schema.ts';
import {
  type ConfigError,
  type ConfigErrorCode,
  type Located,
  MAX_ALIASES,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
  type Path,
  type Segment,
  type YamlDoc,
} from './gitpod-config-types.ts';
import { err, ok, type Result } from './result.ts';

export function rootError(code: ConfigErrorCode, line: number, column: number, message: string): ConfigError {
  return { code, path: '', line, column, message };
}

export function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

// Counts by hand: TextEncoder is not part of the ES library shared/ is typed against. A lone surrogate is
// encoded as U+FFFD (3 bytes), as TextEncoder does.
export function utf8Length(text: string): number {
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
export function findFlowTooDeep(text: string): number | undefined {
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
export function findTooDeep(tokens: readonly CST.Token[]): number | undefined {
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
export function compose(
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
export function resolveAliases(doc: YamlDoc): Result<AliasInfo, AliasProblem> {
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
export function offsetOf(doc: YamlDoc, sources: ReadonlyMap<Alias, ParsedNode>, where: Located): number {
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
export function findUnpairedSurrogateKey(root: unknown): Path | undefined {
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
