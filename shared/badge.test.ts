import { describe, expect, it } from 'vitest';
import { badgeSnippets, openInButtonSvg, prebuildBadgeSvg, textWidth } from './badge.ts';

describe('badges', () => {
  it('renders the open button with the brand, in both themes and three sizes, width from the text', () => {
    const short = openInButtonSvg('Pod', 'light', 'small');
    const long = openInButtonSvg('Launchpod Enterprise', 'light', 'small');
    expect(short).toMatch(/^<svg [^>]*width="\d+" height="20" viewBox="0 0 \d+ 20"/);
    expect(short).toContain('aria-label="Open in: Pod"');
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(width(long)).toBeGreaterThan(width(short) + 60);
    expect(openInButtonSvg('Pod', 'dark', 'small')).toContain('#4493f8');
    expect(openInButtonSvg('Pod', 'light', 'medium')).toMatch(/height="28" viewBox="0 0 \d+ 20"/);
    expect(openInButtonSvg('Pod', 'light', 'large')).toMatch(/height="28" viewBox="0 0 \d+ 28"/);
    expect(openInButtonSvg('Pod', 'light', 'large')).toContain('>OPEN IN</text>');
  });

  it('escapes text inside the SVG', () => {
    const svg = openInButtonSvg('<script>alert(1)</script> & "co"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
    expect(svg).toContain('aria-label="Open in: &lt;script&gt;');
  });

  it('measures text as shields.io does (Verdana advance widths)', () => {
    expect(textWidth('Launchpod')).toBeCloseTo(59.72, 1);
    expect(textWidth('prebuild ready')).toBeCloseTo(79.87, 1);
    expect(textWidth('日本')).toBe(22);
  });

  it.each(['ready', 'building', 'failed', 'none'] as const)('shows the prebuild state %s', (state) => {
    expect(prebuildBadgeSvg('Launchpod', state)).toContain(`aria-label="Launchpod: prebuild ${state}"`);
  });

  it('writes snippets for four formats that cannot be broken by the URLs they carry', () => {
    const snippets = badgeSnippets({
      launchUrl: 'https://lp.example/#https://github.com/o/r/tree/a(b)',
      imageUrl: 'https://lp.example/button/open-in.svg',
      alt: 'Open in Launchpod',
    });
    expect(snippets).toEqual({
      markdown:
        '[![Open in Launchpod](https://lp.example/button/open-in.svg)](https://lp.example/#https://github.com/o/r/tree/a%28b%29)',
      html: '<a href="https://lp.example/#https://github.com/o/r/tree/a(b)"><img src="https://lp.example/button/open-in.svg" alt="Open in Launchpod"></a>',
      restructuredText:
        '.. image:: https://lp.example/button/open-in.svg\n   :alt: Open in Launchpod\n   :target: https://lp.example/#https://github.com/o/r/tree/a(b)',
      asciidoc:
        'image:https://lp.example/button/open-in.svg[Open in Launchpod,link="https://lp.example/#https://github.com/o/r/tree/a(b)"]',
    });
    const hostile = badgeSnippets({
      launchUrl: 'https://x/#"><script>',
      imageUrl: 'https://x/i.svg',
      alt: 'a"<b>',
    });
    expect(hostile.html).toBe(
      '<a href="https://x/#&quot;&gt;&lt;script&gt;"><img src="https://x/i.svg" alt="a&quot;&lt;b&gt;"></a>',
    );
  });
});
