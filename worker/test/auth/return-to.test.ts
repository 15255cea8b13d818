// Where a sign-in may land: launcher paths only, judged on the path a browser will actually follow.

import fc from 'fast-check';
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
    // Dot segments fold before the browser follows the path: `/.//evil.example/` is `//evil.example/`.
    ['/.//evil.example/', '/'],
    ['/..//evil.example/', '/'],
    ['/%2e//evil.example/', '/'],
    ['/%2E%2E//evil.example/', '/'],
    ['/a/..//evil.example/', '/'],
    ['/a/b/../..//evil.example/x?y', '/'],
    ['/./github.com/o/r', '/github.com/o/r'],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnTo(input, ORIGIN)).toBe(expected);
  });

  // Whatever the text, the browser resolving the answer against the launcher stays on the launcher.
  it('always answers a path that resolves on the launcher itself (property)', () => {
    // Paths built from the pieces that fold, escape or smuggle an authority: `/` + `.` + `/` + `/` + `a` is enough.
    const piece = fc.constantFrom(
      '/',
      '.',
      '..',
      '%2e',
      '%2E',
      'a',
      'evil.example',
      '\\',
      '%5c',
      '?',
      '\t',
      '@',
    );
    const crafted = fc.array(piece, { maxLength: 7 }).map((parts) => `/${parts.join('')}`);
    fc.assert(
      fc.property(fc.oneof(crafted, fc.string(), fc.string({ unit: 'binary' })), (candidate) => {
        const answer = safeReturnTo(candidate, ORIGIN);
        expect(answer.startsWith('/')).toBe(true);
        expect(answer.startsWith('//')).toBe(false);
        expect(new URL(answer, ORIGIN).origin).toBe(ORIGIN);
        // What a browser does with a Location header: resolve it against the page's URL.
        expect(new URL(answer, `${ORIGIN}/auth/github.com/callback?x=1`).origin).toBe(ORIGIN);
      }),
      { numRuns: 10_000 },
    );
  });
});
