// The modifiers a launch context may start with, any combination in any order, each ending in `/`:
// `K=V,K2=V2/`, `referrer:<name>[:<ide>]/`, `imagebuild/`, `open-prebuild/<id>/`, and `snapshot/<id>` as a
// context of its own. Never drops an environment item without saying which and why.

import { readEnvSegment } from './env-vars.ts';
import { isNameOf, NAME_CHARS } from './hosts/path-grammar.ts';
import type { ParseError, ParseWarning, Referrer, RejectedEnvVar } from './launch-request.ts';
import { decodeLenient } from './url-encoding.ts';

// `jetbrains-gateway`, `intellij`, `vscode.insiders`: `^[\w.-]{1,64}$`, read from the character table (cheaper than
// a run of the regex; a referrer is on every badge link).
const isModifierName = (text: string): boolean => isNameOf(text, NAME_CHARS, 1, 64);
// Prebuild and snapshot ids: uuids and similar.
const OPAQUE_ID = /^[\w-]{1,128}$/;

export interface PrefixModifiers {
  readonly env: ReadonlyMap<string, string>;
  readonly rejectedEnv: RejectedEnvVar[];
  readonly warnings: ParseWarning[];
  referrer: Referrer | undefined;
  imageBuild: boolean;
  openPrebuild: string | undefined;
  /** Set when the context is `snapshot/<id>`; then `rest` is empty. */
  snapshotId: string | undefined;
}

/** Reads the modifiers off the front of `text`; `rest` is what follows them (the repository URL). */
export function readPrefixModifiers(
  text: string,
  // modifierEnd(text), when the caller has it.
  firstEnd = modifierEnd(text),
): { ok: true; modifiers: PrefixModifiers; rest: string } | { ok: false; error: ParseError } {
  const modifiers: { -readonly [K in keyof PrefixModifiers]: PrefixModifiers[K] } = {
    env: NO_ENV,
    rejectedEnv: [],
    warnings: [],
    referrer: undefined,
    imageBuild: false,
    openPrebuild: undefined,
    snapshotId: undefined,
  };
  let env: Map<string, string> | undefined;
  let rest = text;
  for (let end = firstEnd; ; end = modifierEnd(rest)) {
    // Fast exit for the common case: the text already is a URL (`https:`, `github.com`).
    if (end === -1) {
      if (env !== undefined) modifiers.env = env;
      return { ok: true, modifiers, rest };
    }
    const segment = end === rest.length ? rest : rest.slice(0, end);
    let after = end === rest.length ? '' : rest.slice(end + 1);
    // modifierEnd let a segment with a `:` through only when it starts `referrer:`, and no other kind has one: the
    // `:` after `referrer` tells it, without comparing the nine characters again.
    if (end > 8 && rest.charCodeAt(8) === 58 /* : */) {
      // `referrer:<name>[:<ide>]`, read at its colons (what split(':') gave, without the array): a third part is
      // refused.
      const first = segment.indexOf(':', 9);
      const second = first === -1 ? -1 : segment.indexOf(':', first + 1);
      const name = first === -1 ? segment.slice(9) : segment.slice(9, first);
      const ide =
        first === -1
          ? undefined
          : second === -1
            ? segment.slice(first + 1)
            : segment.slice(first + 1, second);
      if (!isModifierName(name) || (ide !== undefined && !isModifierName(ide)) || second !== -1) {
        return invalid(
          `'${segment}/' is not a valid referrer: write referrer:<name>/ or referrer:<name>:<editor>/, letters, digits, '.', '_' and '-' only.`,
        );
      }
      if (modifiers.referrer !== undefined) {
        modifiers.warnings.push({
          code: 'duplicate-modifier',
          message: 'The referrer was given twice; the last one is used.',
        });
      }
      modifiers.referrer = ide === undefined ? { name } : { name, ide };
    } else if (segment === 'imagebuild') {
      modifiers.imageBuild = true;
    } else if (segment === 'open-prebuild') {
      const idEnd = after.indexOf('/');
      const id = idEnd === -1 ? after : after.slice(0, idEnd);
      if (!OPAQUE_ID.test(id) || idEnd === -1) {
        return invalid(
          `'open-prebuild/${id}' needs a prebuild id and then the repository URL: open-prebuild/<id>/https://github.com/owner/repo.`,
        );
      }
      if (modifiers.openPrebuild !== undefined) {
        modifiers.warnings.push({
          code: 'duplicate-modifier',
          message: 'open-prebuild was given twice; the last one is used.',
        });
      }
      modifiers.openPrebuild = id;
      after = after.slice(idEnd + 1);
    } else if (segment === 'snapshot') {
      const id = after.replace(/\/+$/, '');
      if (!OPAQUE_ID.test(id)) {
        return invalid(
          `'snapshot/${after}' is not a snapshot link: it is snapshot/<id> with nothing after the id.`,
        );
      }
      modifiers.snapshotId = id;
      if (env !== undefined) modifiers.env = env;
      return { ok: true, modifiers, rest: '' };
    } else {
      env ??= new Map();
      if (readEnvSegment(segment, env, modifiers.rejectedEnv) === 0) {
        return invalid(
          `'${decodeLenient(segment)}/' looks like environment variables, but none is NAME=value. Write them as NAME=value,OTHER=value/ before the repository URL.`,
        );
      }
    }
    rest = after;
    if (rest === '') {
      return {
        ok: false,
        error: {
          code: 'empty',
          message:
            'The modifiers are not followed by a repository URL. Add one after the last /, like FOO=bar/https://github.com/owner/repo.',
        },
      };
    }
  }
}

/**
 * Where the first segment of `text` (up to its first `/`) ends — at its `/`, or the end of `text` — when it is
 * `referrer:x`, `imagebuild`, `open-prebuild`, `snapshot`, or `K=V` items (an env segment has no `:`); -1 when it
 * is none of them, and then `text` has no modifiers at all: the launcher reads it as a plain URL without calling the
 * reader. One scan of the segment, no slice: every parse asks, and the reader takes the segment's end from here
 * instead of searching for the `/` again.
 */
export function modifierEnd(text: string): number {
  let end = text.length;
  let equals = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 47) {
      end = i;
      break;
    }
    if (c === 61) equals = true;
    // A `:` first: no env segment has one, and of the others only `referrer:` (`https:`, `git@host:` read no further).
    else if (c === 58) {
      if (!text.startsWith('referrer:')) return -1;
      const slash = text.indexOf('/', i + 1);
      return slash === -1 ? text.length : slash;
    }
  }
  if (equals) return end;
  switch (text.charCodeAt(0)) {
    case 105: // i
      return end === 10 && text.startsWith('imagebuild') ? end : -1;
    case 111: // o
      return end === 13 && text.startsWith('open-prebuild') ? end : -1;
    case 115: // s
      return end === 8 && text.startsWith('snapshot') ? end : -1;
    default:
      return -1;
  }
}

// The env of a link that sets none; a link's own variables go into a new Map.
const NO_ENV: ReadonlyMap<string, string> = new Map();

const invalid = (message: string): { ok: false; error: ParseError } => ({
  ok: false,
  error: { code: 'invalid-modifier', message },
});
