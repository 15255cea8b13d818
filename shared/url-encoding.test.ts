import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFrom,
  decodeLenient,
  decodeQueryComponent,
  encodePath,
  encodeQueryValue,
  encodeSegment,
  isWellFormedText,
  parseQuery,
} from './url-encoding.ts';

describe('decodeFrom', () => {
  it('decodes as decodeLenient does, given where the first `%` is', () => {
    expect(decodeFrom('a%20b%41', 1)).toBe('a bA');
    expect(decodeFrom('50%off%20', 2)).toBe('50%off ');
    expect(decodeFrom('%E2%82%AC%F0%9F%98%80', 0)).toBe('€😀');
  });
});

describe('decodeLenient', () => {
  it('decodes every valid run and keeps a stray, broken or non-UTF-8 one as written', () => {
    expect(decodeLenient('plain')).toBe('plain');
    expect(decodeLenient('a%20b%C3%BC')).toBe('a bü');
    expect(decodeLenient('50%off')).toBe('50%off');
    expect(decodeLenient('a%FFb')).toBe('a%FFb');
    expect(decodeLenient('a%FFb%20c')).toBe('a%FFb c');
    // A run is decoded whole or kept whole: the broken tail keeps the euro sign before it encoded.
    expect(decodeLenient('%E2%82%AC%E2%82')).toBe('%E2%82%AC%E2%82');
    expect(decodeLenient('%E2%82%AC-%E2%82')).toBe('€-%E2%82');
    expect(decodeLenient('100%')).toBe('100%');
    expect(decodeLenient('%%41')).toBe('%A');
    expect(decodeLenient('%2f%2F')).toBe('//');
  });

  // Escapes of one to three UTF-8 bytes are decoded without the built-in; these are the edges of what that reads.
  it('decode one-, two- and three-byte characters to their edges, and refuse overlong forms and surrogates', () => {
    expect(decodeLenient('%00%7F%7f')).toBe('\u0000\u007f\u007f');
    expect(decodeLenient('x%C2%80y%DF%BFz')).toBe('x\u0080y\u07ffz');
    expect(decodeLenient('%c3%a9t%C3%A9')).toBe('été');
    expect(decodeLenient('%E0%A0%80%ED%9F%BF%EE%80%80%EF%BF%BF')).toBe('\u0800\ud7ff\ue000\uffff');
    expect(decodeLenient('fix%23123')).toBe('fix#123');
    expect(decodeLenient('refs%2Fheads%2Fmain')).toBe('refs/heads/main');
    // Overlong forms (`/` as two and three bytes), surrogate halves, bytes no character starts with, a lead byte
    // without its continuation or with a byte that is not one, a digit next to each end of 0–9, A–F and a–f: each
    // kept as written, alone in its text (a text with one of them goes to the built-in whole).
    for (const broken of [
      '%C0%AF',
      '%C1%BF',
      '%E0%80%AF',
      '%E0%9F%BF',
      '%ED%A0%80',
      '%ED%BF%BF',
      '%80',
      '%BF',
      '%C3',
      '%C3%C3',
      '%C3%C0',
      '%C3%41',
      '%E0%A0',
      '%E2%82',
      '%E2%82%41',
      '%E2%41%AC',
      '%F0%A0%80',
      '%F8%A0%80',
      '%8F%BF%BF',
      '%1/',
      '%1:',
      '%1@',
      '%1G',
      '%1`',
      '%1g',
      '%C3%A',
      '%C3%G9',
      '%E2%8',
    ]) {
      expect(decodeLenient(`x${broken}-`)).toBe(`x${broken}-`);
    }
    // Four bytes, and what follows a broken escape, are read by the built-in as before.
    expect(decodeLenient('%F0%9F%98%80')).toBe('😀');
    expect(decodeLenient('%F0%9F%98')).toBe('%F0%9F%98');
    expect(decodeLenient('%4%41')).toBe('%4A');
    expect(decodeLenient('%/1%1/%@1%1@%`1%1`%G1%1g')).toBe('%/1%1/%@1%1@%`1%1`%G1%1g');
  });

  it('answer as decodeURIComponent does run by run, whatever the text', () => {
    const run = (text: string): string => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    const reference = (text: string): string => text.replace(/(?:%[0-9A-Fa-f]{2})+/g, run);
    const escaped = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`);
    const piece = fc.oneof(
      escaped,
      escaped.map((e) => e.toUpperCase()),
      fc.constantFrom('%', '%4', '%G1', 'a', '/', 'é', '😀', '%C3', '%E2%82', '%ED%A0%80', '%F0%9F%98%80'),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const text = pieces.join('');
        expect(decodeLenient(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('query components', () => {
  it('read + as a space, and %2B as a plus', () => {
    expect(decodeQueryComponent('two+words%2Bmore')).toBe('two words+more');
    expect(decodeQueryComponent('a+b+c')).toBe('a b c');
    expect(decodeQueryComponent('plain')).toBe('plain');
  });

  it('parse into a map where the last of a repeated name wins and a bare name is empty', () => {
    expect(parseQuery('')).toStrictEqual(new Map());
    expect(parseQuery('a=1&b=two+words&a=3&&flag&c=x%3Dy=z')).toStrictEqual(
      new Map([
        ['a', '3'],
        ['b', 'two words'],
        ['flag', ''],
        ['c', 'x=y=z'],
      ]),
    );
    expect(parseQuery('a%20b=1')).toStrictEqual(new Map([['a b', '1']]));
  });
});

describe('encoding', () => {
  it('encodes a segment so it decodes back, keeping the characters a path may hold raw', () => {
    expect(encodeSegment('feature#1')).toBe('feature%231');
    expect(encodeSegment('a b')).toBe('a%20b');
    expect(encodeSegment('ü')).toBe('%C3%BC');
    expect(encodeSegment("v1.0@x!$'()*,;=:")).toBe("v1.0@x!$'()*,;=:");
    expect(encodeSegment('a/b?c%d&e+f')).toBe('a%2Fb%3Fc%25d%26e%2Bf');
  });

  it('encodes each segment of a path on its own', () => {
    expect(encodePath('a b/c#d')).toBe('a%20b/c%23d');
    expect(encodePath('/x/')).toBe('/x/');
  });

  it('encodes a query value so &, #, + and = survive, keeping / readable', () => {
    expect(encodeQueryValue('refs/heads/a&b#c+d=e f')).toBe('refs/heads/a%26b%23c%2Bd%3De%20f');
  });

  it('tells text with half a surrogate pair apart from any other', () => {
    expect(isWellFormedText('')).toBe(true);
    expect(isWellFormedText('a😀b')).toBe(true);
    expect(isWellFormedText('\ud83d')).toBe(false);
    expect(isWellFormedText('a\ude00')).toBe(false);
    expect(isWellFormedText('\ude00\ud83d')).toBe(false);
  });
});
