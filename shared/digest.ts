// SHA-256 and HMAC-SHA256 as lower-case hex, synchronously (WebCrypto is async-only, and these run inside pure
// functions: the prebuild fingerprint, cluster event signatures, workspace host labels, cache keys). On `@oslojs`,
// which arctic already brings for its PKCE: one SHA-256 in the launcher's bundle instead of two.

import { hmac } from '@oslojs/crypto/hmac';
import { SHA256, sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

// The WHATWG encoder every runtime shared/ runs in has (Workers, Node, browsers), declared here for this module
// only: shared/ compiles against ES2023 alone, so nothing else here can reach for web APIs by accident.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
const utf8 = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export const utf8Bytes = (text: string): Uint8Array => utf8.encode(text);

/** sha256 of the UTF-8 of `text`, 64 lower-case hex digits. */
export const sha256Hex = (text: string): string => encodeHexLowerCase(sha256(utf8.encode(text)));

/** HMAC-SHA256(key, message) over their UTF-8, 64 lower-case hex digits. */
export const hmacSha256Hex = (key: string, message: string): string =>
  encodeHexLowerCase(hmac(SHA256, utf8.encode(key), utf8.encode(message)));
