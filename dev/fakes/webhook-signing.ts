// How fake hosts sign the webhooks they deliver: HMAC-SHA256 of the raw body in hex, with WebCrypto (Node and
// workerd alike). Test-only; the launcher's own check is worker/src/prebuilds/webhook-signature.ts.

export interface Delivery {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a push delivery names: the repository (`owner/name`), the branch and the new head. */
export interface PushFacts {
  readonly owner: string;
  readonly name: string;
  readonly branch: string;
  readonly sha: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly delivery: string;
}

export async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body));
  return Array.from(new Uint8Array(signature), (b) => b.toString(16).padStart(2, '0')).join('');
}
