// KV keys stay within KV's limit whatever the text, and different texts keep different keys.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKey, KV_KEY_MAX_BYTES } from '../src/cache-keys.ts';

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('cacheKey', () => {
  it('keeps short keys readable and digests long ones', () => {
    expect(cacheKey('resolved:v2:anonymous', 'https://github.com/o/r')).toBe(
      'resolved:v2:anonymous:https://github.com/o/r',
    );
    const long = cacheKey('resolved:v2:anonymous', `https://github.com/o/r/tree/${'ü'.repeat(300)}`);
    expect(long).toMatch(/^resolved:v2:anonymous#sha256:[0-9a-f]{64}$/);
  });

  it('never answers a key over 512 bytes, and never one key for two texts (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 2000, unit: 'grapheme' }),
        fc.string({ maxLength: 2000 }),
        (a, b) => {
          const ka = cacheKey('config:v1', a);
          expect(bytes(ka)).toBeLessThanOrEqual(KV_KEY_MAX_BYTES);
          if (a !== b) expect(ka).not.toBe(cacheKey('config:v1', b));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
