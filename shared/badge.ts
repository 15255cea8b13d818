// Badges maintainers paste into READMEs: the "Open in <brand>" button, the live prebuild badge, and the snippets
// that link them to the launcher in Markdown, HTML, reStructuredText and AsciiDoc. Text is escaped by badge-maker
// (shields.io's own renderer, which also measures text width) and by each snippet format's own rules.

import { makeBadge } from 'badge-maker';

export type BadgeTheme = 'light' | 'dark';
export type BadgeSize = 'small' | 'medium' | 'large';
export type PrebuildBadgeState = 'ready' | 'building' | 'failed' | 'none';

const ACCENT = { light: '#0969da', dark: '#4493f8' } as const;
const LABEL = { light: '#555', dark: '#24292f' } as const;

/** "Open in <brand>": small (flat), medium (flat, taller via scale), large (for-the-badge). */
export function openInButtonSvg(
  brand: string,
  theme: BadgeTheme = 'light',
  size: BadgeSize = 'medium',
): string {
  const svg = makeBadge({
    label: 'Open in',
    message: brand,
    color: ACCENT[theme],
    labelColor: LABEL[theme],
    style: size === 'large' ? 'for-the-badge' : 'flat',
  });
  return size === 'medium' ? scale(svg, 1.4) : svg;
}

const STATE_COLOURS: Readonly<Record<PrebuildBadgeState, string>> = {
  ready: '#1a7f37',
  building: '#9a6700',
  failed: '#cf222e',
  none: '#6e7781',
};

/** Shields-style: `<brand> | prebuild ready` (building, failed, none). */
export function prebuildBadgeSvg(brand: string, state: PrebuildBadgeState): string {
  return makeBadge({
    label: brand,
    message: `prebuild ${state}`,
    color: STATE_COLOURS[state],
    style: 'flat',
  });
}

/** Scales an SVG badge by wrapping its content, keeping text crisp (it stays vector). */
function scale(svg: string, factor: number): string {
  const match = /^<svg([^>]*) width="([0-9.]+)" height="([0-9.]+)"/.exec(svg);
  if (match === null) return svg;
  const width = Number(match[2]);
  const height = Number(match[3]);
  return svg.replace(
    /^<svg([^>]*) width="([0-9.]+)" height="([0-9.]+)"/,
    `<svg$1 width="${Math.round(width * factor)}" height="${Math.round(height * factor)}" viewBox="0 0 ${width} ${height}"`,
  );
}

export interface SnippetInput {
  /** The launch link the badge opens (`<launcher>/#<repo URL>`). */
  readonly launchUrl: string;
  /** The image: the button, or the live prebuild badge. */
  readonly imageUrl: string;
  /** The image's alt text. */
  readonly alt: string;
}

export interface Snippets {
  readonly markdown: string;
  readonly html: string;
  readonly restructuredText: string;
  readonly asciidoc: string;
}

/** Copy-ready snippets. URLs are percent-encoded where a format would misread them (`)` in Markdown, `]` in AsciiDoc). */
export function badgeSnippets({ launchUrl, imageUrl, alt }: SnippetInput): Snippets {
  const md = (url: string) => url.replaceAll('(', '%28').replaceAll(')', '%29').replaceAll(' ', '%20');
  const mdText = alt.replace(/[[\]\\]/g, '\\$&');
  const html = (text: string) =>
    text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const adoc = (url: string) => url.replaceAll('[', '%5B').replaceAll(']', '%5D').replaceAll(' ', '%20');
  const rstText = alt.replace(/[`|\\]/g, '');
  return {
    markdown: `[![${mdText}](${md(imageUrl)})](${md(launchUrl)})`,
    html: `<a href="${html(launchUrl)}"><img src="${html(imageUrl)}" alt="${html(alt)}"></a>`,
    restructuredText: `.. image:: ${imageUrl.replaceAll(' ', '%20')}\n   :alt: ${rstText}\n   :target: ${launchUrl.replaceAll(' ', '%20')}`,
    asciidoc: `image:${adoc(imageUrl)}[${alt.replace(/[\]]/g, '')},link="${adoc(launchUrl).replaceAll('"', '%22')}"]`,
  };
}
