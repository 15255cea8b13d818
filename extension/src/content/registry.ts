// A host registry holding just the page's own host, built from the shared family grammar: the content script
// bundles one family's grammar instead of all four (size), and reads pages exactly as the launcher does. A site
// under a base path (`https://corp.example/gitlab`) serves only the pages below it.

import type { HostRegistry } from '../../../shared/host-registry.ts';
import type { HostEntry, HostFamily } from '../../../shared/hosts/host-family.ts';
import { underBasePath } from '../self-hosted-site.ts';

/**
 * The registry for one origin (`https://github.com`, `https://git.corp.example:8443`) of one family, at `basePath`
 * (`/gitlab`, or `''` at the root): `https://corp.example/gitlab/group/project` is project `group/project`.
 */
export function pageRegistry(
  family: HostFamily,
  origin: string,
  builtin: boolean,
  basePath = '',
): HostRegistry {
  const url = new URL(origin);
  const entry: HostEntry = {
    hostname: url.host.toLowerCase(),
    family: family.id,
    origin: url.origin,
    basePath,
    apiBaseUrl: family.defaultApiBaseUrl(url.origin + basePath),
    httpsOnly: url.protocol === 'https:',
    builtin,
  };
  return {
    entries: [entry],
    lookup: (hostname, path = '/', from = 0, to = path.length) =>
      hostname === entry.hostname && underBasePath(path.slice(from, to), basePath) ? entry : undefined,
    lookupSsh: (hostname) => (hostname === url.hostname ? entry : undefined),
    family: () => family,
  };
}
