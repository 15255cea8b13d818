import { createScanner, type Node } from 'jsonc-parser';
import type { Segment } from './devcontainer-config.ts';
import { MAX_CONFIG_DEPTH } from './gitpod-config.ts';

// Positions and the tree

export function positions(text: string): (offset: number) => [number, number] {
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

export const lineColumn = ([line, column]: [number, number]) => ({ line, column });

// jsonc-parser's ParseErrorCode values (a const enum, which isolated modules cannot import).
export const SYNTAX_MESSAGES: Readonly<Record<number, string>> = {
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
export function findTooDeep(text: string): number | undefined {
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

export function findDuplicateKeys(root: Node): { segments: Segment[]; first: number }[] {
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
export function offsetOf(root: Node, segments: readonly Segment[], atKey: boolean): number {
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

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function withPath(segments: readonly Segment[], detail: string): string {
  const path = formatPath(segments);
  return path ? `${path}: ${detail}` : detail;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
