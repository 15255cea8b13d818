import { describe, expect, it } from 'vitest';
import {
  decodeLenient,
  decodeQueryComponent,
  encodePath,
  encodeQueryValue,
  encodeSegment,
  isWellFormedText,
  parseQuery,
} from './url-encoding.ts';

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
