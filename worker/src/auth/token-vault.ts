// Provider tokens at rest: AES-GCM (WebCrypto) with a fresh 96-bit IV per token, the key id stored beside the
// ciphertext so keys can be rotated, and the row it belongs to as additional data (a ciphertext copied into another
// session's row does not decrypt). Never logs plaintext; a failure says only which key id was missing.

export interface Vault {
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly currentKeyId: string;
}

const encoder = new TextEncoder();

export async function sealToken(vault: Vault, plaintext: string, boundTo: string): Promise<string> {
  const key = vault.keys.get(vault.currentKeyId);
  if (key === undefined) throw new Error(`token key '${vault.currentKeyId}' is not configured`);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(boundTo) },
    key,
    encoder.encode(plaintext),
  );
  return `v1.${vault.currentKeyId}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The plaintext, or `undefined` when the key id is unknown (rotated away) or the text was tampered with. */
export async function openToken(vault: Vault, sealed: string, boundTo: string): Promise<string | undefined> {
  const [version, kid, iv, data] = sealed.split('.');
  if (version !== 'v1' || kid === undefined || iv === undefined || data === undefined) return undefined;
  const key = vault.keys.get(kid);
  if (key === undefined) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: encoder.encode(boundTo) },
      key,
      fromBase64url(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}

/** The key id a sealed token was written with (to re-seal old ones after a rotation). */
export const keyIdOf = (sealed: string): string | undefined => sealed.split('.')[1];

export function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

/** A random id for sessions, states and one-time URLs: 32 bytes, base64url. */
export const randomId = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** What the database stores instead of a bearer id (sha256, hex). */
export async function hashId(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(id)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
