import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isWorkspaceUrl,
  portUrlTemplate,
  signOpenToken,
  verifyOpenToken,
  workspaceHostLabel,
  workspaceUrl,
} from './workspace-access.ts';

const SECRET = 'cluster-secret-0123456789';
const claims = {
  workspaceId: 'ws-1a2b',
  ownerId: 'user:github.com:1001',
  expiresAt: 1_000_060,
  nonce: 'n'.repeat(32),
};

describe('workspace origins', () => {
  it('gives each workspace and each of its ports an origin of their own under the cluster', () => {
    expect(workspaceUrl('http://localhost:8788', 'ws-1a2b')).toBe('http://ws-1a2b.localhost:8788/');
    expect(workspaceUrl('https://cluster.example.com/', 'ws-1a2b')).toBe(
      'https://ws-1a2b.cluster.example.com/',
    );
    expect(portUrlTemplate('http://localhost:8788', 'ws-1a2b')).toBe(
      'http://{{port}}-ws-1a2b.localhost:8788/',
    );
  });

  it('uses the id as the host label only when it is one; anything else becomes a digest', () => {
    expect(workspaceHostLabel('ws-6f1c0a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f')).toBe(
      'ws-6f1c0a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f',
    );
    for (const id of ['WS-Upper', 'pb.main.3', 'a_b', `ws-${'x'.repeat(70)}`, '3000-ws-1', '-ws'])
      expect(workspaceHostLabel(id)).toMatch(/^w-[0-9a-f]{20}$/);
    expect(workspaceHostLabel('a_b')).not.toBe(workspaceHostLabel('a.b'));
  });

  it('accepts only URLs on the workspace origin', () => {
    const origin = 'http://localhost:8788';
    expect(isWorkspaceUrl('http://ws-1.localhost:8788/', origin, 'ws-1')).toBe(true);
    expect(isWorkspaceUrl('http://ws-1.localhost:8788/_launchpod/auth?token=x', origin, 'ws-1')).toBe(true);
    for (const url of [
      'http://ws-2.localhost:8788/',
      'http://ws-1.localhost:8789/',
      'https://ws-1.localhost:8788/',
      'http://ws-1.localhost:8788.evil.example/',
      'http://ws-1.localhost:8788@evil.example/',
      'http://localhost:8788/',
      'http://ws-1.localhost:8788/#x',
      'not a url',
    ])
      expect(isWorkspaceUrl(url, origin, 'ws-1'), url).toBe(false);
  });
});

describe('open tokens', () => {
  it('round-trip the claims for the cluster whose secret signed them', () => {
    const token = signOpenToken(SECRET, claims);
    expect(token).toMatch(/^[0-9a-f]+\.[0-9a-f]{64}$/);
    expect(verifyOpenToken(SECRET, token, 1_000_000)).toStrictEqual({ ok: true, claims });
  });

  it('refuse another secret, a changed claim, an expired or a far-future token, and garbage', () => {
    const token = signOpenToken(SECRET, claims);
    expect(verifyOpenToken('another-secret-0123456789', token, 1_000_000)).toStrictEqual({
      ok: false,
      problem: 'bad-signature',
    });
    const [payload, signature] = token.split('.') as [string, string];
    const forged = signOpenToken(SECRET, { ...claims, workspaceId: 'ws-other' }).split('.')[0];
    expect(verifyOpenToken(SECRET, `${forged}.${signature}`, 1_000_000)).toMatchObject({
      problem: 'bad-signature',
    });
    expect(verifyOpenToken(SECRET, token, 1_000_061)).toStrictEqual({ ok: false, problem: 'expired' });
    const far = signOpenToken(SECRET, { ...claims, expiresAt: 1_000_000 + 3600 });
    expect(verifyOpenToken(SECRET, far, 1_000_000)).toStrictEqual({ ok: false, problem: 'expired' });
    expect(verifyOpenToken(SECRET, `${payload}.${signature}.x`, 1_000_000)).toMatchObject({
      problem: 'malformed',
    });
    expect(verifyOpenToken(SECRET, '', 1_000_000)).toMatchObject({ ok: false });
  });

  it('carry any owner id, unicode included, and never throw on any input', () => {
    const unicode = { ...claims, ownerId: 'user:gitlab.example:ünï-👩' };
    expect(verifyOpenToken(SECRET, signOpenToken(SECRET, unicode), 1_000_000)).toStrictEqual({
      ok: true,
      claims: unicode,
    });
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(verifyOpenToken(SECRET, input, 1_000_000).ok).toBe(false);
      }),
    );
  });
});
