// Environment variables a launch URL may set (`FOO=bar,X=1/https://…`), sanitised by the rules users of Gitpod
// rely on. Never lets a name that changes how shells, interpreters or git behave, or an unsafe value, through.

import type { EnvVar, RejectedEnvVar } from './launch-request.ts';
import { decodeLenient } from './url-encoding.ts';

const BLOCKED_NAMES = new Set([
  'BASH_ENV',
  'ENV',
  'PROMPT_COMMAND',
  'PS0',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'ZDOTDIR',
  'PYTHONSTARTUP',
  'PYTHONPATH',
  'PERL5LIB',
  'PERL5OPT',
  'NODE_OPTIONS',
  'PATH',
  'CDPATH',
  'SHELL',
  'IFS',
  'SUPERVISOR_DOTFILE_REPO',
]);

// `LD_PRELOAD`, `PYTHONHOME`, `JAVA_TOOL_OPTIONS`, `GIT_SSH_COMMAND`, `GITPOD_HOST`, `MAVEN_CONFIG`, `XDG_INIT`…
const BLOCKED_PATTERN =
  /^(LD_|PYTHON|PERL|JAVA_|NODE_|GIT_|GITPOD_|SUPERVISOR_)|(_PATH|_HOME|_CONFIG|_OPTIONS|_STARTUP|_INIT)$/;

// What the prefix grammar recognises as `NAME=value` (Gitpod's rule) has a name of `[\w-]+` (NAME_CHAR below);
// ENV_NAME decides what may be set.

/** A name every shell can set and every tool reads alike: `MY_VAR`, `_x1`; not `MY-VAR`, `1X`, `A.B`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why a name cannot be an environment variable, or undefined when it can. The one rule the launcher (links and
 * `.gitpod.yml` task env) and the cluster (start requests) both apply, so neither accepts what the other refuses.
 */
export function envNameProblem(name: string): string | undefined {
  if (isEnvName(name)) return undefined;
  const shown = name.length > 60 ? `${name.slice(0, 57)}…` : name;
  const like = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');
  return `'${shown}' cannot be an environment variable name: use letters, digits and _, not starting with a digit${
    like !== '' && ENV_NAME.test(like) && like.length <= 60 ? ` (like ${like})` : ''
  }.`;
}

// The character classes of an item's name (`[\w-]`), of ENV_NAME and of a safe value, as bits per ASCII code: a
// link's items are tested by reading this table once per character, where a regex test costs more than that.
const WORD_CHAR = 1; // [A-Za-z0-9_]
const NAME_CHAR = 2; // [\w-]
const VALUE_CHAR = 4; // [A-Za-z0-9_\-.?=]
const CHAR_CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      table[c] = WORD_CHAR | NAME_CHAR | VALUE_CHAR;
    }
  }
  for (const c of '-.?=') table[c.charCodeAt(0)] = VALUE_CHAR;
  table[45] = NAME_CHAR | VALUE_CHAR; // -
  return table;
})();

/** Whether each character of `text` is ASCII and in `classes`. */
function allCharsIn(text: string, classes: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ((CHAR_CLASSES[c] ?? 0) & classes) === 0) return false;
  }
  return true;
}

/** `ENV_NAME.test(name)`, read from the table. */
const isEnvName = (name: string): boolean => {
  const first = name.charCodeAt(0);
  return name.length > 0 && !(first >= 48 && first <= 57) && allCharsIn(name, WORD_CHAR);
};

/** Why a name is refused, or undefined when it may be set. Compared upper-cased: `ld_preload` is refused too,
 * which costs nothing and spares us reasoning about case-insensitive consumers. */
export function blockedNameReason(name: string): string | undefined {
  // Most names are upper-case ASCII already: no call to the built-in (a Unicode-aware one) for those.
  const upper = hasLowerOrNonAscii(name) ? name.toUpperCase() : name;
  if (BLOCKED_NAMES.has(upper))
    return `${name} changes how the workspace's shell or tools start, so it cannot be set from a link.`;
  if (BLOCKED_PATTERN.test(upper)) {
    return `${name} looks like a variable that changes how programs load code or configuration (LD_*, PYTHON*, GIT_*, *_PATH, *_HOME…), so it cannot be set from a link.`;
  }
  return undefined;
}

function hasLowerOrNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127) return true;
  }
  return false;
}

/** `^[A-Za-z0-9_\-.?=]*$`: the values a link may set. */
export const isSafeValue = (value: string): boolean => allCharsIn(value, VALUE_CHAR);

function wellFormed(item: string): { name: string; rawValue: string } | undefined {
  const eq = item.indexOf('=');
  if (eq <= 0 || eq === item.length - 1 || item.indexOf('=', eq + 1) !== -1) return undefined;
  const name = item.slice(0, eq);
  // `^[\w-]+$` (the name is never empty: eq > 0).
  return allCharsIn(name, NAME_CHAR) ? { name, rawValue: item.slice(eq + 1) } : undefined;
}

/**
 * Reads `A=1,B=two/` items into `into` (a repeated name: the last wins) and reports each refused item with the
 * reason, so the start page can say what was dropped. Returns how many items were well-formed `NAME=value`: a
 * segment with none is not an environment prefix at all.
 */
export function readEnvSegment(
  segment: string,
  into: Map<string, string>,
  rejected: RejectedEnvVar[],
): number {
  let wellFormedItems = 0;
  // The items between commas, read with indexOf rather than split (no array per segment); empty ones skipped.
  for (let start = 0; start <= segment.length; ) {
    let end = segment.indexOf(',', start);
    if (end === -1) end = segment.length;
    const item = segment.slice(start, end);
    start = end + 1;
    if (item === '') continue;
    const parsed = wellFormed(item);
    if (parsed !== undefined) wellFormedItems++;
    if (parsed === undefined) {
      rejected.push({
        item: decodeLenient(item),
        reason: 'malformed',
        message: `'${decodeLenient(item)}' is not NAME=value (one '=', a name of letters, digits, '_' or '-', and a value).`,
      });
      continue;
    }
    const value = decodeLenient(parsed.rawValue);
    const shown = `${parsed.name}=${value}`;
    const blocked = blockedNameReason(parsed.name);
    const invalid = envNameProblem(parsed.name);
    if (invalid !== undefined) {
      rejected.push({ item: shown, reason: 'invalid-name', message: invalid });
    } else if (blocked !== undefined) {
      rejected.push({ item: shown, reason: 'blocked-name', message: blocked });
    } else if (!isSafeValue(value)) {
      rejected.push({
        item: shown,
        reason: 'unsafe-value',
        message: `The value of ${parsed.name} may only hold letters, digits and _ - . ? = — set it in the workspace instead.`,
      });
    } else {
      into.delete(parsed.name);
      into.set(parsed.name, value);
    }
  }
  return wellFormedItems;
}

/** `[{A,1},{B,x}]` → `A=1,B=x` — the prefix form, for building launch URLs. Values are already safe. */
export function envSegment(env: readonly EnvVar[]): string {
  return env.map((v) => `${v.name}=${v.value}`).join(',');
}
