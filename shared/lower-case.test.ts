import { describe, expect, it } from 'vitest';
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
