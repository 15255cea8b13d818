// A host registry holding just the page's own host, built from the shared family grammar: the content script
// bundles one family's grammar instead of all four (size), and reads pages exactly as the launcher does.

import type { HostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry, HostFamily } from '../../../shared/hosts/host-family.ts';

/** The registry for one origin (`https://github.com`, `https://git.corp.example:8443`) of one family. */
export function pageRegistry(family: HostFamily, origin: string, builtin: boolean): HostRegistry {
  const url = new URL(origin);
  const entry: HostEntry = {
    hostname: url.host.toLowerCase(),
    family: family.id,
    origin: url.origin,
    basePath: '',
    apiBaseUrl: family.defaultApiBaseUrl(url.origin),
    httpsOnly: url.protocol === 'https:',
    builtin,
  };
  return {
    entries: [entry],
    lookup: (hostname) => (hostname === entry.hostname ? entry : undefined),
    lookupSsh: (hostname) => (hostname === url.hostname ? entry : undefined),
    family: () => family,
  };
}
