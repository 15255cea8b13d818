// The cluster redeems a credential URL with a signature that names the credential: what it sends is exactly what
// the launcher checks (`credentialRedemptionBody`), so a captured signature redeems no other credential.

import { describe, expect, it } from 'vitest';
import { credentialRedemptionBody, EVENT_HEADERS, verifyEvent } from '../../shared/cluster-contract.ts';
import { redeemCloneCredential } from '../src/clone-credential.ts';

describe('redeemCloneCredential', () => {
  it('signs a body naming the credential it redeems', async () => {
    const url = 'https://launcher.test/auth/clone-credentials/AbC_d-123';
    let sent: { body: string; headers: Headers } | undefined;
    const redeemed = await redeemCloneCredential(url, {
      clusterName: 'eu-1',
      secret: 'eu-secret-0123456789',
      timeoutMs: 1000,
      nowSeconds: () => 1_800_000_000,
      fetch: async (_input, init) => {
        sent = { body: String(init?.body), headers: new Headers(init?.headers) };
        return Response.json({ username: 'x-access-token', password: 'p' });
      },
    });
    expect(redeemed).toEqual({ ok: true, value: { username: 'x-access-token', password: 'p' } });
    expect(sent?.body).toBe('{"credential":"AbC_d-123"}');
    expect(sent?.body).toBe(credentialRedemptionBody(url));
    const check = verifyEvent(
      'eu-secret-0123456789',
      sent?.headers.get(EVENT_HEADERS.timestamp) ?? null,
      sent?.headers.get(EVENT_HEADERS.signature) ?? null,
      credentialRedemptionBody(url),
      1_800_000_000,
    );
    expect(check).toEqual({ ok: true });
  });
});
