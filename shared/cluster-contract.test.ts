import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_CONTRACT_VERSION,
  canMovePhase,
  clusterPaths,
  constantTimeEqual,
  credentialRedemptionBody,
  EVENT_HEADERS,
  EVENT_TOLERANCE_SECONDS,
  signEvent,
  TERMINAL_PHASES,
  verifyEvent,
  type WorkspacePhase,
} from './cluster-contract.ts';

describe('the contract a cluster speaks', () => {
  it('is version 1, with fixed paths and event headers any cluster implementation can rely on', () => {
    expect(CLUSTER_CONTRACT_VERSION).toBe(1);
    expect(clusterPaths.describe).toBe('/v1/cluster');
    expect(clusterPaths.workspaces).toBe('/v1/workspaces');
    expect(clusterPaths.workspace('ws-1')).toBe('/v1/workspaces/ws-1');
    expect(clusterPaths.stop('ws-1')).toBe('/v1/workspaces/ws-1/stop');
    expect(clusterPaths.restart('ws-1')).toBe('/v1/workspaces/ws-1/restart');
    expect(clusterPaths.logs('ws-1')).toBe('/v1/workspaces/ws-1/logs');
    expect(EVENT_HEADERS).toStrictEqual({
      cluster: 'x-launchpod-cluster',
      timestamp: 'x-launchpod-timestamp',
      signature: 'x-launchpod-signature',
    });
    expect(TERMINAL_PHASES).toStrictEqual(['stopped', 'failed', 'deleted']);
  });

  it('keeps a workspace id inside its own path segment, whatever it holds', () => {
    const id = '../a b/?#%';
    const encoded = '..%2Fa%20b%2F%3F%23%25';
    expect(clusterPaths.workspace(id)).toBe(`/v1/workspaces/${encoded}`);
    expect(clusterPaths.stop(id)).toBe(`/v1/workspaces/${encoded}/stop`);
    expect(clusterPaths.restart(id)).toBe(`/v1/workspaces/${encoded}/restart`);
    expect(clusterPaths.logs(id)).toBe(`/v1/workspaces/${encoded}/logs`);
  });
});

describe('phase moves', () => {
  const phases: WorkspacePhase[] = [
    'pending',
    'creating',
    'initializing',
    'running',
    'stopping',
    'stopped',
    'failed',
    'deleted',
  ];
  // Rows: from; columns: to, in the order of `phases`. 1 = allowed.
  const allowed: Record<WorkspacePhase, string> = {
    pending: '11111111',
    creating: '01111111',
    initializing: '00111111',
    running: '00011111',
    stopping: '00001111',
    stopped: '10000101',
    failed: '10000011',
    deleted: '00000001',
  };

  it.each(phases)(
    'from %s: forward only, failed from anything not ended, a new instance after an end',
    (from) => {
      const row = phases.map((to) => (canMovePhase(from, to) ? '1' : '0')).join('');
      expect(row).toBe(allowed[from]);
    },
  );
});

describe('credential redemption body', () => {
  it("names the credential by the URL's last path segment, without query or fragment", () => {
    expect(credentialRedemptionBody('https://launcher.example/api/v1/credentials/c-123')).toBe(
      '{"credential":"c-123"}',
    );
    expect(credentialRedemptionBody('https://launcher.example/api/v1/credentials/c-123?x=/y#/z')).toBe(
      '{"credential":"c-123"}',
    );
    expect(credentialRedemptionBody('https://launcher.example/api/v1/credentials/c-123#frag/ment')).toBe(
      '{"credential":"c-123"}',
    );
    expect(credentialRedemptionBody('c-123')).toBe('{"credential":"c-123"}');
  });
});

describe('event signatures', () => {
  const secret = 's3cret';
  const body = '{"a":1}';
  const now = 1_700_000_000;
  const signature = 'v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940';

  it('are HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed v1= (checked against node:crypto)', () => {
    expect(signEvent(secret, now, body)).toBe(signature);
    expect(signEvent('', 0, '')).toBe('v1=b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3');
  });

  it('verify when secret, timestamp and body match, within the tolerance either way', () => {
    expect(EVENT_TOLERANCE_SECONDS).toBe(300);
    expect(verifyEvent(secret, String(now), signature, body, now)).toStrictEqual({ ok: true });
    for (const skew of [-300, 300]) {
      const at = now + skew;
      expect(verifyEvent(secret, String(at), signEvent(secret, at, body), body, now)).toStrictEqual({
        ok: true,
      });
    }
  });

  it('are stale one second past the tolerance, either way', () => {
    for (const skew of [-301, 301]) {
      const at = now + skew;
      expect(verifyEvent(secret, String(at), signEvent(secret, at, body), body, now)).toStrictEqual({
        ok: false,
        reason: 'stale',
      });
    }
  });

  it('are missing without both headers or with a timestamp that is not 1–12 digits', () => {
    const missing = { ok: false, reason: 'missing' };
    expect(verifyEvent(secret, null, signature, body, now)).toStrictEqual(missing);
    expect(verifyEvent(secret, String(now), null, body, now)).toStrictEqual(missing);
    for (const timestamp of [
      '',
      ' 1700000000',
      '1700000000 ',
      '-1',
      '1e9',
      '17000000.0',
      '0x10',
      '1234567890123',
    ]) {
      expect(verifyEvent(secret, timestamp, signature, body, now)).toStrictEqual(missing);
    }
    // Twelve digits is still a number: it is merely far from now.
    expect(verifyEvent(secret, '123456789012', signature, body, now)).toStrictEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('are bad for another body, secret, timestamp or a truncated or extended signature', () => {
    const bad = { ok: false, reason: 'bad-signature' };
    expect(verifyEvent(secret, String(now), signature, '{"a":2}', now)).toStrictEqual(bad);
    expect(verifyEvent('other', String(now), signature, body, now)).toStrictEqual(bad);
    expect(verifyEvent(secret, String(now - 1), signature, body, now)).toStrictEqual(bad);
    expect(verifyEvent(secret, String(now), signature.slice(0, -1), body, now)).toStrictEqual(bad);
    expect(verifyEvent(secret, String(now), `${signature}0`, body, now)).toStrictEqual(bad);
    expect(verifyEvent(secret, String(now), signature.toUpperCase(), body, now)).toStrictEqual(bad);
  });
});

describe('constant-time comparison', () => {
  it('is equal only for the same string', () => {
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('xbc', 'abc')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    // NUL pads nothing: a string and itself plus NUL characters differ by length alone.
    expect(constantTimeEqual('a', 'a\0')).toBe(false);
    expect(constantTimeEqual('a\0\0', 'a')).toBe(false);
  });

  it('agrees with === on any pair (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
  });
});
