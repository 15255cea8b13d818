import { afterEach, describe, expect, it, vi } from 'vitest';
import { lowerCase, lowerSlice } from './lower-case.ts';

// Lowering text that has nothing to lower changes nothing, so only the cases that need lowering can go wrong.
describe('lowerCase and lowerSlice', () => {
  it('lower A–Z at either end of the range, and non-ASCII by Unicode rules', () => {
    expect(lowerCase('A')).toBe('a');
    expect(lowerCase('Z')).toBe('z');
    expect(lowerCase('gitHub.com')).toBe('github.com');
    expect(lowerCase('github.coM')).toBe('github.com');
    expect(lowerCase('ΣÄ')).toBe('σä');
    expect(lowerCase('@[`{')).toBe('@[`{');
    expect(lowerCase('')).toBe('');
  });

  it('lower only the slice asked for', () => {
    expect(lowerSlice('ABCD', 1, 3)).toBe('bc');
    expect(lowerSlice('abCD', 1, 3)).toBe('bc');
    expect(lowerSlice('aBcd', 1, 3)).toBe('bc');
    expect(lowerSlice('xxÉ', 2, 3)).toBe('é');
    expect(lowerSlice('ab', 1, 1)).toBe('');
  });
});

// What the module is for: the built-in runs only when there is something to lower (bench/parse counts on it).
describe('the built-in toLowerCase', () => {
  afterEach(() => vi.restoreAllMocks());
  const callsFor = (lower: () => string): number => {
    const spy = vi.spyOn(String.prototype, 'toLowerCase');
    lower();
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    return calls;
  };

  it('is not called for ASCII without A–Z, the characters beside A–Z and DEL included', () => {
    for (const text of ['github.com', '@', '[', '`', '{', '\x7f', '0-9_~', ''])
      expect(
        callsFor(() => lowerCase(text)),
        JSON.stringify(text),
      ).toBe(0);
  });

  it('is called once for A–Z at either end and for anything past ASCII', () => {
    for (const text of ['A', 'Z', 'gitHub', 'githuB', '\x80', 'é'])
      expect(
        callsFor(() => lowerCase(text)),
        JSON.stringify(text),
      ).toBe(1);
  });

  it('looks only inside the slice asked for', () => {
    expect(callsFor(() => lowerSlice('Abc', 1, 3))).toBe(0);
    expect(callsFor(() => lowerSlice('abC', 0, 2))).toBe(0);
    expect(callsFor(() => lowerSlice('aBc', 1, 2))).toBe(1);
    expect(callsFor(() => lowerSlice('abC', 0, 3))).toBe(1);
  });
});
