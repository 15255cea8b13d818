// Badge routes: the "Open in <brand>" button, the live prebuild badge for a context, and the badge page with
// copy-ready snippets. SVGs carry an ETag and sensible caching; every text in them is escaped by the renderer.

import type { Context } from 'hono';
import {
  type BadgeSize,
  type BadgeTheme,
  badgeSnippets,
  openInButtonSvg,
  type PrebuildBadgeState,
  prebuildBadgeSvg,
  twoPartBadge,
} from '../../shared/badge.ts';
import { parseLaunchInput } from '../../shared/context-url.ts';
import { sha256Hex } from '../../shared/digest.ts';
import { toLaunchUrl } from '../../shared/launch-url.ts';
import { expandRepoShorthand } from '../../shared/repo-shorthand.ts';
import { type AppEnv, launcherApp } from './app-env.ts';
import { BadgePage } from './pages/badge.tsx';
import { renderPage } from './pages/layout.tsx';

/** How the live badge learns a context's prebuild state (the prebuild records answer it). */
export type PrebuildStateOf = (input: string, c: Context<AppEnv>) => Promise<PrebuildBadgeState>;

const SVG_TYPE = 'image/svg+xml; charset=utf-8';

function svgResponse(c: Context<AppEnv>, svg: string, maxAge: number, status: 200 | 400 = 200): Response {
  const etag = `"${sha256Hex(svg).slice(0, 20)}"`;
  const headers = {
    'content-type': SVG_TYPE,
    'cache-control': `public, max-age=${maxAge}`,
    etag,
    // An SVG opened directly must not run anything: it is an image, not a document.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  };
  if (status === 200 && c.req.header('if-none-match') === etag)
    return new Response(null, { status: 304, headers });
  return new Response(svg, { status, headers });
}

export function badgeRoutes(prebuildStateOf: PrebuildStateOf) {
  const routes = launcherApp();

  routes.get('/button/open-in.svg', (c) => {
    const theme: BadgeTheme = c.req.query('theme') === 'dark' ? 'dark' : 'light';
    const size =
      (['small', 'medium', 'large'] as const).find((s) => s === c.req.query('size')) ??
      ('medium' as BadgeSize);
    return svgResponse(c, openInButtonSvg(c.get('config').brand, theme, size), 86_400);
  });

  routes.get('/badge.svg', async (c) => {
    const input = c.req.query('url') ?? '';
    const brand = c.get('config').brand;
    if (!parseLaunchInput(input, c.get('config').registry).ok) {
      const svg = twoPartBadge({
        label: brand,
        message: 'unknown repository URL',
        color: '#6e7781',
        labelColor: '#555',
        style: 'flat',
      });
      return svgResponse(c, svg, 300, 400);
    }
    return svgResponse(c, prebuildBadgeSvg(brand, await prebuildStateOf(input, c)), 60);
  });

  routes.get('/badge', (c) => {
    const config = c.get('config');
    const input = expandRepoShorthand(c.req.query('url') ?? '');
    const page = (problem?: string, choices: Parameters<typeof BadgePage>[0]['choices'] = []) =>
      c.html(
        renderPage(
          BadgePage({ brand: config.brand, input, choices, ...(problem !== undefined && { problem }) }),
        ),
      );
    if (input.trim() === '') return page();
    const link = toLaunchUrl(config.origin, input, config.registry);
    if (!link.ok) return page(link.error.message);
    const alt = `Open in ${config.brand}`;
    return page(undefined, [
      {
        title: alt,
        imageUrl: `${config.origin}/button/open-in.svg`,
        launchUrl: link.value,
        snippets: badgeSnippets({
          launchUrl: link.value,
          imageUrl: `${config.origin}/button/open-in.svg`,
          alt,
        }),
      },
      {
        title: `${config.brand} prebuild status`,
        imageUrl: `${config.origin}/badge.svg?url=${encodeURIComponent(input)}`,
        launchUrl: link.value,
        snippets: badgeSnippets({
          launchUrl: link.value,
          imageUrl: `${config.origin}/badge.svg?url=${encodeURIComponent(input)}`,
          alt: `${config.brand} prebuild status`,
        }),
      },
    ]);
  });

  return routes;
}
