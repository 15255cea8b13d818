// The user's self-hosted sites seen through the shared host registry: an address a person typed, checked the way
// the launcher checks a deployer's host list, and the registry the background reads links with. Pure (the options
// page and the background share it). Never lists a built-in host or a site the shared registry refuses.

import {
  createHostRegistry,
  defaultHostRegistry,
  type HostConfig,
  type HostRegistry,
} from '../../shared/host-registry.ts';
import type { HostFamilyId } from '../../shared/launch-request.ts';
import { type SelfHostedSite, siteFor } from './self-hosted-site.ts';

const hostConfig = (site: SelfHostedSite): HostConfig => {
  const url = new URL(site.origin);
  return {
    hostname: url.host,
    family: site.family,
    basePath: site.basePath,
    allowHttp: url.protocol === 'http:',
  };
};

/** False when the shared registry refuses the site (a base path like `/a b`, a built-in host…). */
const accepted = (site: SelfHostedSite): boolean => {
  try {
    return createHostRegistry([hostConfig(site)]).ok;
  } catch {
    return false; // an origin `new URL` cannot read
  }
};

/**
 * `corp.example/gitlab/`, `https://git.corp.example` → the site (`https://corp.example` + `/gitlab`), or an error
 * sentence. The path is where the instance lives — the base path, not a project page.
 */
export function checkSiteAddress(
  text: string,
  family: HostFamilyId,
): { ok: true; site: SelfHostedSite } | { ok: false; message: string } {
  const typed = text.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    return { ok: false, message: 'Enter the instance address, like https://git.example.com.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: 'The instance address must start with https:// (or http://).' };
  if (url.username || url.password) return { ok: false, message: 'Leave the user name and password out.' };
  if (url.search !== '' || url.hash !== '')
    return { ok: false, message: 'Leave the ?… and #… out: enter the address the instance lives at.' };
  if (defaultHostRegistry.lookup(url.host) !== undefined)
    return { ok: false, message: `${url.host} is built in: the button already works there.` };
  const site: SelfHostedSite = { origin: url.origin, family, basePath: url.pathname.replace(/\/+$/, '') };
  if (!accepted(site))
    return {
      ok: false,
      message: `${url.origin}${url.pathname} is not an address Launchpod can read: enter the instance’s host and, if it lives under a path, that path (like https://corp.example/gitlab).`,
    };
  return { ok: true, site };
}

/** The sites the shared registry accepts, in the user's order: one bad entry never hides the others. */
export function acceptedSites(sites: readonly SelfHostedSite[]): SelfHostedSite[] {
  const kept: SelfHostedSite[] = [];
  for (const site of sites) {
    if (accepted(site) && createHostRegistry([...kept, site].map(hostConfig)).ok) kept.push(site);
  }
  return kept;
}

/**
 * The built-in hosts plus the listed sites, base paths included. Given the page a link is for, only the site that
 * serves it joins: the shared grammar writes a link back with the first entry of a host and family, so two
 * GitLabs on one origin (`/a`, `/b`) would otherwise both be written under `/a`.
 */
export function selfHostedRegistry(sites: readonly SelfHostedSite[], pageUrl?: string): HostRegistry {
  const serving = pageUrl === undefined ? undefined : siteFor(pageUrl, sites);
  const made = createHostRegistry(acceptedSites(serving ? [serving] : sites).map(hostConfig));
  return made.ok ? made.value : defaultHostRegistry;
}
