import { describe, expect, it } from 'vitest';
import { hasDotSegment } from './dot-segments.ts';

describe('hasDotSegment', () => {
  it.each(['.', '..', './x', '../x', 'a/.', 'a/..', 'a/./b', 'a/../b', '.../..', 'a/b/..'])(
    'finds one in %j',
    (text) => {
      expect(hasDotSegment(text)).toBe(true);
    },
  );

  it.each([
    '',
    'a',
    'a..b',
    '.github/x',
    'v1.0',
    '...',
    'a/...',
    'a/.b',
    'a/..b',
    '.a',
    'a.',
    'a./b',
    'x/.../y',
  ])('finds none in %j', (text) => {
    expect(hasDotSegment(text)).toBe(false);
  });
});
