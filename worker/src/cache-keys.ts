// Keys for the launcher's KV caches: readable when short, a digest when the text would pass KV's 512-byte key limit
// (a long file link, a descriptive branch, many environment variables). Every KV key the launcher builds from
// outside text comes from here; never a key KV would refuse.

import { sha256Hex, utf8Bytes } from '../../shared/digest.ts';

/** Workers KV refuses longer keys (UTF-8 bytes). */
export const KV_KEY_MAX_BYTES = 512;

/**
 * `resolved:v2:anonymous:https://github.com/o/r` as is; past 512 bytes `resolved:v2:anonymous#sha256:<hex>` of the
 * text. `#` never follows a namespace in a readable key, so a digest key cannot equal a readable one.
 */
export function cacheKey(namespace: string, text: string): string {
  const readable = `${namespace}:${text}`;
  // A UTF-16 unit is at most 3 UTF-8 bytes: most keys are short enough to need no encoding to tell.
  if (readable.length * 3 <= KV_KEY_MAX_BYTES || utf8Bytes(readable).length <= KV_KEY_MAX_BYTES)
    return readable;
  return `${namespace}#sha256:${sha256Hex(text)}`;
}
