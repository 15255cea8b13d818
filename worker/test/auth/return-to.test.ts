// Where a sign-in may land: launcher paths only.

import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/auth/return-to.ts';

const ORIGIN = 'https://launchpod.test';

describe('safeReturnTo', () => {
  it.each([
    ['/https://github.com/o/r', '/https://github.com/o/r'],
    [
      '/start?url=https%3A%2F%2Fgithub.com%2Fo%2Fr&autostart=false',
      '/start?url=https%3A%2F%2Fgithub.com%2Fo%2Fr&autostart=false',
    ],
    ['/github.com/o/r/pull/3', '/github.com/o/r/pull/3'],
    ['/', '/'],
    [undefined, '/'],
    ['', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['/\\/evil.example', '/'],
    ['https://evil.example/', '/'],
    ['http://launchpod.test/x', '/'],
    ['javascript:alert(1)', '/'],
    ['evil.example', '/'],
    ['/%0d%0aLocation: https://evil.example', '/%0d%0aLocation:%20https://evil.example'],
    ['/x\r\nSet-Cookie: a=b', '/'],
    ['/auth/github.com/callback?code=x', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnTo(input, ORIGIN)).toBe(expected);
  });
});
