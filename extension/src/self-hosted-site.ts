// A self-hosted instance as the user listed it: an origin, a family and the path the instance lives under
// (`https://corp.example` + `/gitlab`). Pure and small (content scripts bundle it): which site serves a page, and
// the match patterns for it. Never matches a page outside the site's own origin and base path.

import { isHostFamilyId } from '../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';

export interface SelfHostedSite {
  /** `https://git.corp.example`, `https://corp.example:8443` */
  readonly origin: string;
  readonly family: HostFamilyId;
  /** `/gitlab` when the instance lives under a path, `''` at the root of its origin. Never ends with `/`. */
  readonly basePath: string;
}

/** `https://corp.example/gitlab`: what the user typed, normalised, and how the options page shows the site. */
export const siteAddress = (site: SelfHostedSite): string => site.origin + site.basePath;

/** Two entries with the same address are the same site (the newer one replaces the older). */
export const sameSite = (a: SelfHostedSite, b: SelfHostedSite): boolean =>
  a.origin === b.origin && a.basePath === b.basePath;

/** The content script id: `self-hosted:https://git.corp.example` for a root site, as before base paths existed. */
export const scriptId = (site: SelfHostedSite): string => `self-hosted:${siteAddress(site)}`;

/**
 * The site's origin as a match pattern writes it. Firefox's patterns cannot name a port (bug 1362809: one with a
 * port never matches), so in Firefox a site on `:8443` is granted and matched on every port of its host name, and
 * `siteFor` keeps the button to the listed origin; Chrome's patterns keep the port.
 */
function patternOrigin(site: SelfHostedSite): string {
  if (globalThis.location?.protocol !== 'moz-extension:') return site.origin;
  const url = new URL(site.origin);
  return `${url.protocol}//${url.hostname}`;
}

/** Host permissions are per origin (a match pattern's path is ignored there): `https://corp.example/*`. */
export const originPermission = (site: SelfHostedSite): string => `${patternOrigin(site)}/*`;

/** Where the content script runs: `https://corp.example/gitlab/*` (never `/gitlabx/…` nor the rest of the origin). */
export const scriptMatch = (site: SelfHostedSite): string => `${patternOrigin(site)}${site.basePath}/*`;

/** Links the context menu offers to open: at least `owner/repo` under the site, `https://corp.example/gitlab/*\/*`. */
export const linkPattern = (site: SelfHostedSite): string => `${patternOrigin(site)}${site.basePath}/*/*`;

/** True when `path` (`/gitlab/group/project`) is the base path or below it; the root serves every path. */
export const underBasePath = (path: string, basePath: string): boolean =>
  basePath === '' || path === basePath || path.startsWith(`${basePath}/`);

/**
 * The listed site serving `pageUrl`: same origin, base path a prefix of the page's path — the longest one when
 * a root site and `/gitlab` share an origin. Undefined for a page no listed site serves, or not a web URL.
 */
export function siteFor(pageUrl: string, sites: readonly SelfHostedSite[]): SelfHostedSite | undefined {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  let best: SelfHostedSite | undefined;
  for (const site of sites) {
    if (site.origin !== url.origin || !underBasePath(url.pathname, site.basePath)) continue;
    if (best === undefined || site.basePath.length > best.basePath.length) best = site;
  }
  return best;
}

/**
 * The sites as storage holds them → well-formed sites. Settings saved before base paths existed have none (the
 * site is at the root); an entry that is not an http(s) origin with a known family is dropped, not guessed at.
 * The base path's own grammar is checked where a site is added and where its registry is built.
 */
export function storedSites(raw: unknown): SelfHostedSite[] {
  if (!Array.isArray(raw)) return [];
  const sites: SelfHostedSite[] = [];
  for (const item of raw as unknown[]) {
    const { origin, family, basePath } = (item ?? {}) as Record<string, unknown>;
    if (typeof origin !== 'string' || !isHostFamilyId(family)) continue;
    if (!/^https?:\/\/[^/?#]+$/.test(origin)) continue;
    if (basePath !== undefined && (typeof basePath !== 'string' || !/^(\/[^/?#*]+)*\/*$/.test(basePath)))
      continue;
    sites.push({ origin, family, basePath: (basePath ?? '').replace(/\/+$/, '') });
  }
  return sites;
}
