// Badges maintainers paste into READMEs: the "Open in <brand>" button, the live prebuild badge, and the snippets
// that link them to the launcher in Markdown, HTML, reStructuredText and AsciiDoc. SVGs follow shields.io's flat and
// for-the-badge styles; every text is XML-escaped, and widths are measured from Verdana's advance widths.

export type BadgeTheme = 'light' | 'dark';
export type BadgeSize = 'small' | 'medium' | 'large';
export type PrebuildBadgeState = 'ready' | 'building' | 'failed' | 'none';

// Advance widths in px of printable ASCII (space … ~) in 11px Verdana and bold 10px Verdana, as shields.io measures
// them. Other characters are counted as wide (CJK) or average; badges hold brand names and short states.
const VERDANA_11 = [
  3.87, 4.33, 5.05, 9, 6.99, 11.84, 7.99, 2.95, 5, 5, 6.99, 9, 4, 5, 4, 5, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99,
  6.99, 6.99, 6.99, 6.99, 5, 5, 9, 9, 9, 6, 11, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5, 7.62,
  6.12, 9.27, 8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 5, 5, 5, 9, 6.99,
  6.99, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68, 6.85, 6.85,
  4.69, 5.73, 4.33, 6.96, 6.51, 9, 6.51, 6.51, 5.78, 6.98, 5, 6.98, 9,
];
const VERDANA_BOLD_10 = [
  3.42, 4.02, 5.87, 8.67, 7.11, 12.72, 8.62, 3.32, 5.43, 5.43, 7.11, 8.67, 3.61, 4.8, 3.61, 6.89, 7.11, 7.11,
  7.11, 7.11, 7.11, 7.11, 7.11, 7.11, 7.11, 7.11, 4.02, 4.02, 8.67, 8.67, 8.67, 6.17, 9.64, 7.76, 7.62, 7.24,
  8.3, 6.83, 6.5, 8.11, 8.37, 5.46, 5.55, 7.71, 6.37, 9.48, 8.47, 8.5, 7.33, 8.5, 7.82, 7.1, 6.82, 8.12, 7.64,
  11.28, 7.64, 7.37, 6.92, 5.43, 6.89, 5.43, 8.67, 7.11, 7.11, 6.68, 6.99, 5.88, 6.99, 6.64, 4.22, 6.99, 7.12,
  3.42, 4.03, 6.71, 3.42, 10.58, 7.12, 6.87, 6.99, 6.99, 4.97, 5.93, 4.56, 7.12, 6.5, 9.79, 6.69, 6.51, 5.97,
  7.11, 5.43, 7.11, 8.67,
];

/** Rendered width of `text` in px. */
export function textWidth(text: string, bold = false): number {
  const table = bold ? VERDANA_BOLD_10 : VERDANA_11;
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 32 && code < 127) width += table[code - 32] ?? 7;
    else if (code >= 0x1100)
      width += 11; // CJK and other wide scripts
    else width += 7;
  }
  return width;
}

const escapeXml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

interface BadgeParts {
  readonly label: string;
  readonly message: string;
  readonly labelColor: string;
  readonly color: string;
  readonly style: 'flat' | 'for-the-badge';
  /** Displayed height; the drawing scales (medium buttons). */
  readonly height?: number;
}

/** A two-part badge in shields.io's flat or for-the-badge style. */
export function twoPartBadge({ label, message, labelColor, color, style, height }: BadgeParts): string {
  const large = style === 'for-the-badge';
  const shown = large ? [label.toUpperCase(), message.toUpperCase()] : [label, message];
  const [left = '', right = ''] = shown;
  // for-the-badge spaces letters by 1.25px; flat pads 5px either side plus 1px of rounding slack.
  const measure = (text: string) =>
    large ? textWidth(text, true) + 1.25 * Math.max(0, [...text].length - 1) : textWidth(text);
  const pad = large ? 12 : 5;
  const leftWidth = Math.round(measure(left) + 2 * pad + (large ? 0 : 1));
  const rightWidth = Math.round(measure(right) + 2 * pad + (large ? 0 : 1));
  const width = leftWidth + rightWidth;
  const h = large ? 28 : 20;
  const shownHeight = height ?? h;
  const shownWidth = Math.round((width * shownHeight) / h);
  const title = escapeXml(`${label}: ${message}`);
  const fontSize = large ? 100 : 110;
  const textY = large ? 175 : 140;
  const text = (content: string, centre: number, textLength: number) => {
    const attrs = `x="${Math.round(centre * 10)}" y="${textY}" transform="scale(.1)" textLength="${Math.round(textLength * 10)}"`;
    const shadow = large
      ? ''
      : `<text aria-hidden="true" ${attrs.replace(`y="${textY}"`, `y="${textY + 10}"`)} fill="#010101" fill-opacity=".3">${escapeXml(content)}</text>`;
    return `${shadow}<text ${attrs} fill="#fff"${large ? ' font-weight="bold" letter-spacing="12.5"' : ''}>${escapeXml(content)}</text>`;
  };
  const gradient = large
    ? ''
    : '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>';
  const clip = large
    ? ''
    : `<clipPath id="r"><rect width="${width}" height="${h}" rx="3" fill="#fff"/></clipPath>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${shownWidth}" height="${shownHeight}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${title}">`,
    `<title>${title}</title>${gradient}${clip}`,
    `<g${large ? '' : ' clip-path="url(#r)"'}>`,
    `<rect width="${leftWidth}" height="${h}" fill="${labelColor}"/>`,
    `<rect x="${leftWidth}" width="${rightWidth}" height="${h}" fill="${color}"/>`,
    large ? '' : `<rect width="${width}" height="${h}" fill="url(#s)"/>`,
    '</g>',
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="${fontSize}">`,
    text(left, leftWidth / 2, measure(left)),
    text(right, leftWidth + rightWidth / 2, measure(right)),
    '</g></svg>',
  ].join('');
}

const ACCENT = { light: '#0969da', dark: '#4493f8' } as const;
const LABEL = { light: '#555', dark: '#24292f' } as const;

/** "Open in <brand>": small (flat, 20px), medium (flat, drawn at 28px), large (for-the-badge). */
export function openInButtonSvg(
  brand: string,
  theme: BadgeTheme = 'light',
  size: BadgeSize = 'medium',
): string {
  return twoPartBadge({
    label: 'Open in',
    message: brand,
    color: ACCENT[theme],
    labelColor: LABEL[theme],
    style: size === 'large' ? 'for-the-badge' : 'flat',
    ...(size === 'medium' && { height: 28 }),
  });
}

const STATE_COLOURS: Readonly<Record<PrebuildBadgeState, string>> = {
  ready: '#1a7f37',
  building: '#9a6700',
  failed: '#cf222e',
  none: '#6e7781',
};

/** Shields-style: `<brand> | prebuild ready` (building, failed, none). */
export function prebuildBadgeSvg(brand: string, state: PrebuildBadgeState): string {
  return twoPartBadge({
    label: brand,
    message: `prebuild ${state}`,
    color: STATE_COLOURS[state],
    labelColor: '#555',
    style: 'flat',
  });
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
