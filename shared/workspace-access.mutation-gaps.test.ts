// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in workspace access: each check an open
// token passes, at its edge (tokens signed with the right secret, so only the check under test can refuse them),
// and the origins derived from a cluster's public origin.
import { describe, expect, it } from 'vitest';
import {
  OPEN_TOKEN_SECONDS,
  portUrlTemplate,
  signFor,
  signOpenToken,
  verifyOpenToken,
  workspaceHostLabel,
  workspaceOriginsSource,
  workspaceUrl,
} from './workspace-access.ts';

const SECRET = 'cluster-secret-0123456789';
const NOW = 1_000_000;
const claims = { workspaceId: 'ws-1', ownerId: 'user:1', expiresAt: NOW + 60, nonce: 'n'.repeat(16) };
const hex = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
/** A token over any payload, signed as the launcher signs: only the checks after the signature can refuse it. */
const signed = (payload: string) => `${payload}.${signFor(SECRET, 'launchpod-open-v1', payload)}`;
const claimsJson = (c: Record<string, unknown>) => hex(JSON.stringify(c));

describe('open tokens, check by check', () => {
  it('are signed for their purpose: the same HMAC under another purpose is refused', () => {
    const token = signOpenToken(SECRET, claims);
    const [payload] = token.split('.') as [string];
    expect(token).toBe(signed(payload));
    expect(verifyOpenToken(SECRET, `${payload}.${signFor(SECRET, 'cookie', payload)}`, NOW)).toStrictEqual({
      ok: false,
      problem: 'bad-signature',
    });
  });

  it('hold a payload of at most 4,096 characters', () => {
    // Claims JSON of `length` characters (the nonce makes up the rest) is 2 × length hex digits.
    const around = JSON.stringify({ w: 'ws-1', o: 'user:1', e: NOW + 60, n: '' }).length;
    const at = (length: number) =>
      claimsJson({ w: 'ws-1', o: 'user:1', e: NOW + 60, n: 'n'.repeat(length - around) });
    expect(at(2048)).toHaveLength(4096);
    expect(verifyOpenToken(SECRET, signed(at(2048)), NOW)).toMatchObject({ ok: true });
    expect(verifyOpenToken(SECRET, signed(at(2049)), NOW)).toStrictEqual({ ok: false, problem: 'malformed' });
  });

  it('are malformed when the signed payload is not hex of JSON claims of the right types', () => {
    const good = { w: 'ws-1', o: 'user:1', e: NOW + 60, n: 'n'.repeat(16) };
    for (const payload of [
      'zz',
      'abc',
      hex('not json'),
      hex('null'),
      claimsJson({ ...good, w: 1 }),
      claimsJson({ ...good, o: null }),
      claimsJson({ ...good, e: String(NOW + 60) }),
      claimsJson({ ...good, n: 16 }),
      claimsJson({ ...good, n: 'n'.repeat(15) }),
    ]) {
      expect(verifyOpenToken(SECRET, signed(payload), NOW), payload).toStrictEqual({
        ok: false,
        problem: 'malformed',
      });
    }
    expect(verifyOpenToken(SECRET, signed(claimsJson(good)), NOW)).toStrictEqual({
      ok: true,
      claims: { workspaceId: 'ws-1', ownerId: 'user:1', expiresAt: NOW + 60, nonce: 'n'.repeat(16) },
    });
    expect(verifyOpenToken(SECRET, 'no-dot', NOW)).toStrictEqual({ ok: false, problem: 'malformed' });
  });

  it('open from now until twice their lifetime ahead, and not a second outside', () => {
    expect(OPEN_TOKEN_SECONDS).toBe(120);
    const at = (expiresAt: number) =>
      verifyOpenToken(SECRET, signOpenToken(SECRET, { ...claims, expiresAt }), NOW);
    expect(at(NOW)).toMatchObject({ ok: true });
    expect(at(NOW + 240)).toMatchObject({ ok: true });
    expect(at(NOW - 1)).toStrictEqual({ ok: false, problem: 'expired' });
    expect(at(NOW + 241)).toStrictEqual({ ok: false, problem: 'expired' });
  });

  it('escape non-ASCII claims so the token stays hex, and read them back', () => {
    const unicode = { ...claims, ownerId: 'ü€😀' };
    const token = signOpenToken(SECRET, unicode);
    expect(token).toMatch(/^[0-9a-f]+\.[0-9a-f]{64}$/);
    expect(token.split('.')[0]).toContain(hex('\\u00fc\\u20ac\\ud83d\\ude00'));
    expect(verifyOpenToken(SECRET, token, NOW)).toStrictEqual({ ok: true, claims: unicode });
  });
});

describe('workspace origins', () => {
  it('come from the public origin, lower-cased, with or without its slash, in either scheme', () => {
    expect(workspaceUrl('HTTPS://Cluster.Example:8443/', 'ws-1')).toBe('https://ws-1.cluster.example:8443/');
    expect(workspaceOriginsSource('http://localhost:8788')).toBe('http://*.localhost:8788');
    expect(workspaceOriginsSource('https://cluster.example/')).toBe('https://*.cluster.example');
    expect(portUrlTemplate('https://cluster.example/', 'ws-1')).toBe(
      'https://{{port}}-ws-1.cluster.example/',
    );
  });

  it('refuse anything that is not a bare origin', () => {
    for (const origin of ['ftp://x', 'http://x/path', 'http://u@x', 'http://x?q', 'http:// x', '//x']) {
      expect(() => workspaceUrl(origin, 'ws-1'), origin).toThrow(`not an origin: ${origin}`);
    }
  });

  it('use a DNS label of up to 63 characters as it is, and a 20-hex digest otherwise', () => {
    const longest = `a${'b'.repeat(61)}c`;
    expect(workspaceHostLabel(longest)).toBe(longest);
    expect(workspaceHostLabel(`${longest}d`)).toMatch(/^w-[0-9a-f]{20}$/);
    expect(workspaceHostLabel('a')).toBe('a');
    expect(workspaceHostLabel('ws-')).toMatch(/^w-[0-9a-f]{20}$/);
    // A label that starts like a port's (`3000-…`) would be read as a port of another workspace.
    expect(workspaceHostLabel('3000-x')).toMatch(/^w-[0-9a-f]{20}$/);
    expect(workspaceHostLabel('3000x')).toBe('3000x');
    // The first 20 hex digits of sha256("a_b") (checked with node:crypto).
    expect(workspaceHostLabel('a_b')).toBe('w-648fa9b31bc7ff7eb914');
  });
});
