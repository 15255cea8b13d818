// The two ways hosts authenticate a webhook, checked over the raw body with WebCrypto BEFORE anything is parsed: an
// HMAC-SHA256 of the body (`sha256=<hex>`) or a shared secret sent as is. Each family's module (webhooks/) says which
// header carries which. Every comparison is constant-time; never logs a secret or a signature.

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

const encoder = new TextEncoder();

/** Verifies `sha256=<hex>` against HMAC-SHA256(secret, body); `crypto.subtle.verify` compares in constant time. */
export async function verifyHmacSha256(
  secret: string,
  body: ArrayBuffer | Uint8Array<ArrayBuffer>,
  header: string | null | undefined,
): Promise<SignatureCheck> {
  if (header === null || header === undefined || header === '') return { ok: false, reason: 'missing' };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (match?.[1] === undefined) return { ok: false, reason: 'malformed' };
  const signature = hexToBytes(match[1]);
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify('HMAC', key, signature, body);
  return valid ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** GitLab sends the secret itself: compare digests of both in constant time, so lengths leak nothing either. */
export async function verifyToken(
  secret: string,
  header: string | null | undefined,
): Promise<SignatureCheck> {
  if (header === null || header === undefined || header === '') return { ok: false, reason: 'missing' };
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(secret)),
    crypto.subtle.digest('SHA-256', encoder.encode(header)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0 ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
