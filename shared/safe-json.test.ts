import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeJson } from './safe-json.ts';

describe('safeJson', () => {
  it('escapes what could close the script element, open a comment or end a JavaScript line', () => {
    expect(safeJson({ s: '</script><!-- a&b \u2028\u2029' })).toBe(
      '{"s":"\\u003c/script\\u003e\\u003c!-- a\\u0026b \\u2028\\u2029"}',
    );
    expect(safeJson(['<<>>&&'])).toBe('["\\u003c\\u003c\\u003e\\u003e\\u0026\\u0026"]');
  });

  it('leaves everything else as JSON.stringify writes it', () => {
    expect(safeJson({ a: 1, b: [true, null], c: 'plain "quoted" \\ é 👩' })).toBe(
      JSON.stringify({ a: 1, b: [true, null], c: 'plain "quoted" \\ é 👩' }),
    );
  });

  it('reads back as the same value, and never holds <, >, & or a line separator (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = safeJson(value);
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
