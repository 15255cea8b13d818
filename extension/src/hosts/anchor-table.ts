// The anchor table's shape and its validator: where on each host page the button may live, as data. Pure (no DOM,
// no browser API) so the launcher serves and checks the same table the extension bundles. Never trusts a table it
// did not validate: a malformed remote table is refused whole, never half-applied.

import { HOST_FAMILY_IDS } from '../../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';

/** Page kinds a button is placed on, named from the shared grammar's context (see content/page-kind.ts). */
export const ANCHOR_PAGE_KINDS = [
  'repo',
  'tree',
  'blob',
  'commits',
  'commit',
  'tag',
  'branch',
  'browse',
  'pull',
  'issue',
] as const;
export type AnchorPageKind = (typeof ANCHOR_PAGE_KINDS)[number];

export const ANCHOR_FAMILIES: readonly HostFamilyId[] = HOST_FAMILY_IDS;

/** Where the button goes relative to the matched element. */
export type AnchorPosition = 'before' | 'after' | 'prepend' | 'append';

export interface Anchor {
  /** A CSS selector; prefer ids, `data-testid`, ARIA roles and landmarks over layout paths and hashed classes. */
  readonly selector: string;
  readonly position: AnchorPosition;
  /** Wrap the button in this element first (a `<li>` inside GitHub's `ul.pagehead-actions`). */
  readonly wrap?: 'li';
}

export interface AnchorRule {
  readonly kinds: readonly AnchorPageKind[];
  /** Tried in order; the first that matches an element wins. */
  readonly candidates: readonly Anchor[];
  /** Fixture files (extension/test/fixtures/…) that prove the candidates; documentation only. */
  readonly evidence: readonly string[];
}

export interface AnchorTable {
  /** Schema version; a table with another version is refused. */
  readonly version: 1;
  /** Increases with every published change: the extension keeps the higher of bundled and remote. */
  readonly revision: number;
  readonly families: Readonly<Record<HostFamilyId, readonly AnchorRule[]>>;
}

export const ANCHOR_TABLE_VERSION = 1;
const MAX_SELECTOR = 300;
const MAX_RULES = 64;
const MAX_CANDIDATES = 16;
// Refuses what a selector never needs and an injection would: braces (a CSS block), `<`, backslashes, quotes of
// the other kind are fine. `#StickyHeader`, `[data-testid="raw-button"]`, `div:has(> a)` all pass.
const SELECTOR_TEXT = /^[^{}<\\;@]+$/;
const POSITIONS: readonly string[] = ['before', 'after', 'prepend', 'append'];

export type TableCheck = { ok: true; table: AnchorTable } | { ok: false; error: string };

/** Checks an untrusted value (the launcher's JSON) is a whole, well-formed anchor table. */
export function validateAnchorTable(value: unknown): TableCheck {
  const fail = (error: string): TableCheck => ({ ok: false, error });
  if (!isObject(value)) return fail('the anchor table is not a JSON object');
  if (value.version !== ANCHOR_TABLE_VERSION)
    return fail(`version must be ${ANCHOR_TABLE_VERSION}, got ${JSON.stringify(value.version)}`);
  if (!Number.isInteger(value.revision) || (value.revision as number) < 0)
    return fail('revision must be a non-negative integer');
  if (!isObject(value.families)) return fail('families must be an object');
  for (const family of ANCHOR_FAMILIES) {
    const rules = value.families[family];
    if (!Array.isArray(rules)) return fail(`families.${family} must be a list of rules`);
    if (rules.length > MAX_RULES) return fail(`families.${family} has more than ${MAX_RULES} rules`);
    for (const [i, rule] of rules.entries()) {
      const where = `families.${family}[${i}]`;
      if (!isObject(rule)) return fail(`${where} is not an object`);
      if (!Array.isArray(rule.kinds) || rule.kinds.length === 0)
        return fail(`${where}.kinds must be a non-empty list`);
      for (const kind of rule.kinds) {
        if (!(ANCHOR_PAGE_KINDS as readonly unknown[]).includes(kind))
          return fail(`${where}.kinds has unknown page kind ${JSON.stringify(kind)}`);
      }
      if (!Array.isArray(rule.candidates) || rule.candidates.length === 0)
        return fail(`${where}.candidates must be a non-empty list`);
      if (rule.candidates.length > MAX_CANDIDATES)
        return fail(`${where}.candidates has more than ${MAX_CANDIDATES} entries`);
      for (const [j, c] of rule.candidates.entries()) {
        const at = `${where}.candidates[${j}]`;
        if (!isObject(c)) return fail(`${at} is not an object`);
        if (typeof c.selector !== 'string' || c.selector.length === 0 || c.selector.length > MAX_SELECTOR)
          return fail(`${at}.selector must be a string of 1–${MAX_SELECTOR} characters`);
        if (!SELECTOR_TEXT.test(c.selector)) return fail(`${at}.selector contains { } < \\ ; or @`);
        if (typeof c.position !== 'string' || !POSITIONS.includes(c.position))
          return fail(`${at}.position must be one of ${POSITIONS.join(', ')}`);
        if (c.wrap !== undefined && c.wrap !== 'li') return fail(`${at}.wrap may only be "li"`);
      }
      if (!Array.isArray(rule.evidence) || !rule.evidence.every((e) => typeof e === 'string'))
        return fail(`${where}.evidence must be a list of fixture names`);
    }
  }
  return { ok: true, table: value as unknown as AnchorTable };
}

/** The candidates for a page kind on a family, in the order the table lists them. */
export function candidatesFor(table: AnchorTable, family: HostFamilyId, kind: AnchorPageKind): Anchor[] {
  const out: Anchor[] = [];
  for (const rule of table.families[family] ?? []) {
    if (rule.kinds.includes(kind)) out.push(...rule.candidates);
  }
  return out;
}

/** The newer of two valid tables (remote wins a tie, so a re-published table replaces a stale cached one). */
export function newerTable(bundled: AnchorTable, remote: AnchorTable | undefined): AnchorTable {
  return remote !== undefined && remote.revision >= bundled.revision ? remote : bundled;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
