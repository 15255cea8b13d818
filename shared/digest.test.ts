import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, sha256Hex, utf8Bytes } from './digest.ts';

describe('digest', () => {
  it('is SHA-256 of the UTF-8 (FIPS 180-2 vectors, and a non-ASCII text)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // `€` is three UTF-8 bytes (value from `openssl dgst -sha256` of the same bytes).
    expect(sha256Hex('€')).toBe('c4cc90ed3d26f12d4b08a75140970a7904035c31cbb4515a83f19b9003c00d1d');
  });

  it('is HMAC-SHA256 (RFC 4231 test case 2)', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('encodes UTF-8', () => {
    expect([...utf8Bytes('aé€')]).toEqual([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });
});
