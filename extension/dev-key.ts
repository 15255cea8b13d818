// The public key of unpacked Chrome builds (dist/chrome): Chrome derives an extension's id from its manifest `key`,
// so every developer's and every test's unpacked build is the same extension, which the local launcher lets call
// its API with the user's cookie (API_ALLOWED_ORIGINS, set by npm start and the test stacks). Store zips carry no
// key: the store gives the published extension its own id, which an operator lists. The private half was never kept:
// nothing is signed with it. Node only (build and test stacks), never bundled.

import { createHash } from 'node:crypto';

export const DEV_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqb6Q5GKvIF3GmL9x/IuEPuzDrQ5o0Gui8DLGfOkvS4euPG7w8CSPZoimie8rytv9pmTK4WwPuawjYR6d1W4RSJmEAmYdC3LjO86nocaAqF0LVQpnAf3U+78TjJFfCbc5rqjhLf+8x9Ehe9JZ/VQYuN1hN6PfGXZzgJtMuLMIJ8fa6MbL+BF876pmNfXi7lCUqpG+Htw0oNuWhADuiPV2uKVU8PlvLBV8bBOfir0V+xE5STdDaITVPwT+0qW6/iE8zJUABIL7Dsh6tn2v8yEeGxaAWwGEo8JFkrOGkq2LbhY1JQvZah7FFR6uvfC2yKK3aXmTR8A5KLl3BRA6AuTWRwIDAQAB';

/** Chrome's id for a manifest key: the SHA-256 of the key's DER bytes, first 32 hex digits written as a-p. */
export function chromeExtensionId(key: string): string {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('');
}

/** `chrome-extension://<id>` of the unpacked build: the origin its API calls carry. */
export const DEV_EXTENSION_ORIGIN = `chrome-extension://${chromeExtensionId(DEV_KEY)}`;
