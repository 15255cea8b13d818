// The token vault: AES-GCM with a key id for rotation, bound to its row; tampering and unknown keys fail closed.

import { describe, expect, it } from 'vitest';
import { readAuthConfig } from '../../src/auth/auth-config.ts';
import { keyIdOf, openToken, sealToken } from '../../src/auth/token-vault.ts';

const key = (seed: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(seed)));
const vault = async (keys: Record<string, string>, current: string) => {
  const config = await readAuthConfig({
    SESSION_SECRET: 'x'.repeat(32),
    TOKEN_KEYS: JSON.stringify(keys),
    TOKEN_KEY_CURRENT: current,
  });
  if (!config.ok) throw new Error(config.error);
  return config.value;
};

describe('token vault', () => {
  it('seals with the current key id and opens only for the same row', async () => {
    const v = await vault({ k1: key(1) }, 'k1');
    const sealed = await sealToken(v, 'gho_secret-token', 'session-a|github.com|access');
    expect(sealed).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret-token');
    expect(await openToken(v, sealed, 'session-a|github.com|access')).toBe('gho_secret-token');
    expect(await openToken(v, sealed, 'session-b|github.com|access')).toBeUndefined();
    // Two seals of the same token differ (fresh IV).
    expect(await sealToken(v, 'gho_secret-token', 'session-a|github.com|access')).not.toBe(sealed);
  });

  it('fails closed on a tampered ciphertext or a key that was rotated away', async () => {
    const v = await vault({ k1: key(1) }, 'k1');
    const sealed = await sealToken(v, 'token', 'row');
    const parts = sealed.split('.');
    const data = parts[3] ?? '';
    const flipped = [...parts.slice(0, 3), `${data.slice(0, -2)}${data.endsWith('AA') ? 'BB' : 'AA'}`].join(
      '.',
    );
    expect(await openToken(v, flipped, 'row')).toBeUndefined();
    const rotated = await vault({ k2: key(2) }, 'k2');
    expect(await openToken(rotated, sealed, 'row')).toBeUndefined();
  });

  it('rotates: new tokens use the current key, old ones still open while their key is listed', async () => {
    const before = await vault({ k1: key(1) }, 'k1');
    const old = await sealToken(before, 'old-token', 'row');
    const after = await vault({ k1: key(1), k2: key(2) }, 'k2');
    expect(await openToken(after, old, 'row')).toBe('old-token');
    expect(keyIdOf(await sealToken(after, 'new-token', 'row'))).toBe('k2');
  });

  it('names the secret to fix when the settings are wrong', async () => {
    const problems = await Promise.all([
      readAuthConfig({ SESSION_SECRET: 'short' }),
      readAuthConfig({
        SESSION_SECRET: 'x'.repeat(32),
        TOKEN_KEYS: '{"k1":"c2hvcnQ="}',
        TOKEN_KEY_CURRENT: 'k1',
      }),
      readAuthConfig({
        SESSION_SECRET: 'x'.repeat(32),
        TOKEN_KEYS: JSON.stringify({ k1: key(1) }),
        TOKEN_KEY_CURRENT: 'k9',
      }),
      readAuthConfig({
        SESSION_SECRET: 'x'.repeat(32),
        TOKEN_KEYS: JSON.stringify({ k1: key(1) }),
        TOKEN_KEY_CURRENT: 'k1',
        OAUTH_CLIENTS: '{"github.com":{"clientId":"a"}}',
      }),
    ]);
    expect(problems.map((p) => (p.ok ? 'ok' : p.error.split(' ')[0]))).toEqual([
      'SESSION_SECRET',
      'TOKEN_KEYS["k1"]',
      'TOKEN_KEY_CURRENT',
      'OAUTH_CLIENTS["github.com"]',
    ]);
  });
});
