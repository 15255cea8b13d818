// Badge geometry and snippet escaping, asserted whole: the mutation run (docs/mutation-testing.md) found widths,
// positions and colours unasserted. Widths below are worked out by hand from the Verdana tables in badge.ts.
import { describe, expect, it } from 'vitest';
import { badgeSnippets, openInButtonSvg, prebuildBadgeSvg, textWidth } from './badge.ts';

const FONT = 'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision"';
const GRADIENT =
  '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>';
const flatText = (x: number, length: number, text: string) =>
  `<text aria-hidden="true" x="${x}" y="150" transform="scale(.1)" textLength="${length}" fill="#010101" fill-opacity=".3">${text}</text>` +
  `<text x="${x}" y="140" transform="scale(.1)" textLength="${length}" fill="#fff">${text}</text>`;

describe('badge geometry', () => {
  // "Open in" = O 8.66 + p 6.85 + e 6.55 + n 6.96 + space 3.87 + i 3.02 + n 6.96 = 42.87 px: 54 px with 5 px padding
  // either side and 1 px of slack. "Pod" = 6.63 + 6.68 + 6.85 = 20.16 px: 31 px.
  const flat = (shownWidth: number, shownHeight: number, label: string, accent: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${shownWidth}" height="${shownHeight}" viewBox="0 0 85 20" role="img" aria-label="Open in: Pod"><title>Open in: Pod</title>${GRADIENT}` +
    '<clipPath id="r"><rect width="85" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)">' +
    `<rect width="54" height="20" fill="${label}"/><rect x="54" width="31" height="20" fill="${accent}"/>` +
    `<rect width="85" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" ${FONT} font-size="110">` +
    `${flatText(270, 429, 'Open in')}${flatText(695, 202, 'Pod')}</g></svg>`;

  it('draws the small button flat, 20 px high, each half as wide as its text', () => {
    expect(openInButtonSvg('Pod', 'light', 'small')).toBe(flat(85, 20, '#555', '#0969da'));
  });

  it('draws the medium button (the default) as the flat one scaled to 28 px, in either theme', () => {
    expect(openInButtonSvg('Pod', 'dark', 'medium')).toBe(flat(119, 28, '#24292f', '#4493f8'));
    expect(openInButtonSvg('Pod')).toBe(flat(119, 28, '#555', '#0969da'));
  });

  it('draws the large button for-the-badge: upper case, bold, letter-spaced, 28 px, square', () => {
    // OPEN IN = 48.48 px bold + 6 × 1.25 letter spacing = 55.98, plus 12 px either side: 80. POD = 24.13 + 2.5: 51.
    expect(openInButtonSvg('Pod', 'light', 'large')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="131" height="28" viewBox="0 0 131 28" role="img" aria-label="Open in: Pod"><title>Open in: Pod</title>' +
        '<g><rect width="80" height="28" fill="#555"/><rect x="80" width="51" height="28" fill="#0969da"/></g>' +
        `<g fill="#fff" text-anchor="middle" ${FONT} font-size="100">` +
        '<text x="400" y="175" transform="scale(.1)" textLength="560" fill="#fff" font-weight="bold" letter-spacing="12.5">OPEN IN</text>' +
        '<text x="1055" y="175" transform="scale(.1)" textLength="266" fill="#fff" font-weight="bold" letter-spacing="12.5">POD</text></g></svg>',
    );
  });

  it('colours the prebuild badge by state, label first', () => {
    // "prebuild failed" = 78.6 px: 90 px.
    expect(prebuildBadgeSvg('Pod', 'failed')).toBe(
      `<svg xmlns="http://www.w3.org/2000/svg" width="121" height="20" viewBox="0 0 121 20" role="img" aria-label="Pod: prebuild failed"><title>Pod: prebuild failed</title>${GRADIENT}` +
        '<clipPath id="r"><rect width="121" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)">' +
        '<rect width="31" height="20" fill="#555"/><rect x="31" width="90" height="20" fill="#cf222e"/>' +
        `<rect width="121" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" ${FONT} font-size="110">` +
        `${flatText(155, 202, 'Pod')}${flatText(760, 786, 'prebuild failed')}</g></svg>`,
    );
    const fill = (svg: string) => /<rect x="\d+" width="\d+" height="20" fill="(#[0-9a-f]+)"/.exec(svg)?.[1];
    expect(fill(prebuildBadgeSvg('Pod', 'ready'))).toBe('#1a7f37');
    expect(fill(prebuildBadgeSvg('Pod', 'building'))).toBe('#9a6700');
    expect(fill(prebuildBadgeSvg('Pod', 'none'))).toBe('#6e7781');
  });

  it('escapes apostrophes as well as the other XML specials', () => {
    expect(openInButtonSvg("O'Pod", 'light', 'small')).toContain('aria-label="Open in: O&apos;Pod"');
  });
});

describe('text width', () => {
  it('reads the table from space to ~, and counts anything else as average or wide', () => {
    expect(textWidth(' ')).toBe(3.87);
    expect(textWidth('~')).toBe(9);
    expect(textWidth(' ', true)).toBe(3.42);
    expect(textWidth('~', true)).toBe(8.67);
    expect(textWidth('\x1f')).toBe(7);
    expect(textWidth('\x7f')).toBe(7);
    expect(textWidth('\u10ff')).toBe(7);
    expect(textWidth('\u1100')).toBe(11);
    // One code point, not two UTF-16 units.
    expect(textWidth('😀')).toBe(11);
    expect(textWidth('')).toBe(0);
  });
});

describe('badge snippets', () => {
  it('escape what each format would misread, in the alt text and both URLs', () => {
    expect(
      badgeSnippets({
        launchUrl: 'https://x/#a b"[c](d)',
        imageUrl: 'https://x/i (1)[2].svg',
        alt: 'a[b]\\c|d`e',
      }),
    ).toStrictEqual({
      markdown: '[![a\\[b\\]\\\\c|d`e](https://x/i%20%281%29[2].svg)](https://x/#a%20b"[c]%28d%29)',
      html: '<a href="https://x/#a b&quot;[c](d)"><img src="https://x/i (1)[2].svg" alt="a[b]\\c|d`e"></a>',
      restructuredText:
        '.. image:: https://x/i%20(1)[2].svg\n   :alt: a[b]cde\n   :target: https://x/#a%20b"[c](d)',
      asciidoc: 'image:https://x/i%20(1)%5B2%5D.svg[a[b\\c|d`e,link="https://x/#a%20b%22%5Bc%5D(d)"]',
    });
  });

  it('escape & in HTML', () => {
    expect(
      badgeSnippets({ launchUrl: 'https://x/?a=1&b=2', imageUrl: 'https://x/i.svg?a&b', alt: 'a&b' }).html,
    ).toBe('<a href="https://x/?a=1&amp;b=2"><img src="https://x/i.svg?a&amp;b" alt="a&amp;b"></a>');
  });
});
