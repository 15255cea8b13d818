// Which hosts the launcher knows, as data: the built-ins plus the self-hosted instances a deployer configures.
// Never infers a family from a hostname's look ("gitlab.corp" is not GitLab until someone says so).

import { azureDevops } from './hosts/azure-devops.ts';
import { bitbucketCloud } from './hosts/bitbucket-cloud.ts';
import { bitbucketServer } from './hosts/bitbucket-server.ts';
import { HOST_FAMILY_IDS } from './hosts/family-ids.ts';
import { gitea } from './hosts/gitea.ts';
import { github } from './hosts/github.ts';
import { gitlab } from './hosts/gitlab.ts';
import {
  type ChangeRequestTerms,
  type HostEntry,
  type HostFamily,
  PULL_REQUEST_TERMS,
} from './hosts/host-family.ts';
import type { HostFamilyId } from './launch-request.ts';
import { err, ok, type Result } from './result.ts';

/** Every family's URL grammar, one line each. */
export const hostFamilies: Readonly<Record<HostFamilyId, HostFamily>> = {
  github,
  gitlab,
  'bitbucket-cloud': bitbucketCloud,
  'bitbucket-server': bitbucketServer,
  gitea,
  'azure-devops': azureDevops,
};

/** "GitHub Enterprise, GitLab or Bitbucket": the families a deployer may list self-hosted instances of. */
export const SELF_HOSTED_NAMES: string = (() => {
  const names = HOST_FAMILY_IDS.flatMap((id) => hostFamilies[id].selfHostedName ?? []);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
})();

/** "merge request !12" on GitLab, "pull request #12" elsewhere: a change request as the host's users name it. */
export function changeRequestTerms(family: HostFamilyId): ChangeRequestTerms {
  return hostFamilies[family].changeRequest ?? PULL_REQUEST_TERMS;
}

/** "merge request !12" for a GitLab family, "pull request #12" for any other or an unknown one (a stored record). */
export function changeRequestText(family: string | undefined, number: number): string {
  const terms = Object.hasOwn(hostFamilies, family ?? '')
    ? changeRequestTerms(family as HostFamilyId)
    : PULL_REQUEST_TERMS;
  return `${terms.name} ${terms.prefix}${number}`;
}

/** A self-hosted instance as a deployer writes it in configuration. */
export interface HostConfig {
  /** `git.corp.example`, `git.corp.example:8443`. */
  readonly hostname: string;
  readonly family: HostFamilyId;
  /** Defaults to the family's convention (`/api/v3` for GitHub Enterprise, `/api/v4` for GitLab, `/rest/api/1.0`). */
  readonly apiBaseUrl?: string;
  /** Path the instance lives under, e.g. `/bitbucket`. */
  readonly basePath?: string;
  /** Only for local fakes and labs: allow `http://`. Default false. */
  readonly allowHttp?: boolean;
}

const BUILTINS: readonly HostEntry[] = HOST_FAMILY_IDS.flatMap((id) =>
  hostFamilies[id].builtins.map((b) => builtin(b.hostname, id, b.apiBaseUrl)),
);

/** Other names people paste for a built-in host. */
const ALIASES: ReadonlyMap<string, string> = new Map(
  HOST_FAMILY_IDS.flatMap((id) =>
    hostFamilies[id].builtins.flatMap((b) => (b.aliases ?? []).map((alias) => [alias, b.hostname] as const)),
  ),
);

function builtin(hostname: string, family: HostFamilyId, apiBaseUrl: string): HostEntry {
  return {
    hostname,
    family,
    origin: `https://${hostname}`,
    basePath: '',
    apiBaseUrl,
    httpsOnly: true,
    builtin: true,
  };
}

export interface HostRegistry {
  readonly entries: readonly HostEntry[];
  /**
   * The entry serving `hostname` (lower case, `:port` included when not default) and the path `[from, to)` of
   * `path` (all of it by default), if any.
   */
  lookup(hostname: string, path?: string, from?: number, to?: number): HostEntry | undefined;
  /** ssh URLs carry the ssh port, not the web one, and no base path: match on the bare host name. */
  lookupSsh(hostname: string): HostEntry | undefined;
  family(entry: HostEntry): HostFamily;
}

// `git.corp.example`, `git.corp.example:8443`, `127.0.0.1:3000`
const HOSTNAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)*$/;

/** Validates a deployer's host list; a mistake names the entry and what to write instead. */
export function createHostRegistry(configs: readonly HostConfig[] = []): Result<HostRegistry, string> {
  const entries: HostEntry[] = [...BUILTINS];
  for (const [index, config] of configs.entries()) {
    const hostname = String(config.hostname ?? '').toLowerCase();
    if (!HOSTNAME.test(hostname)) {
      return err(
        `hosts[${index}].hostname: expected a host name like git.example.com or git.example.com:8443, got '${config.hostname}'.`,
      );
    }
    const family = hostFamilies[config.family];
    if (family === undefined) {
      return err(
        `hosts[${index}].family: expected one of ${Object.keys(hostFamilies).join(', ')}, got '${config.family}'.`,
      );
    }
    const basePath = (config.basePath ?? '').replace(/\/+$/, '');
    if (!BASE_PATH.test(basePath)) {
      return err(`hosts[${index}].basePath: expected a path like /gitlab, got '${config.basePath}'.`);
    }
    const builtinIndex = entries.findIndex((e) => e.builtin && e.hostname === hostname && basePath === '');
    const builtinEntry = entries[builtinIndex];
    if (builtinEntry !== undefined) {
      // A built-in host may only be pointed at another API endpoint (a proxy, or the offline demo's fakes).
      if (config.family !== builtinEntry.family || config.apiBaseUrl === undefined) {
        return err(
          `hosts[${index}]: ${hostname} is built in as ${builtinEntry.family}; only its apiBaseUrl can be changed.`,
        );
      }
      const apiBaseUrl = config.apiBaseUrl.replace(/\/+$/, '');
      if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(apiBaseUrl)) {
        return err(
          `hosts[${index}].apiBaseUrl: expected an absolute http(s) URL, got '${config.apiBaseUrl}'.`,
        );
      }
      entries[builtinIndex] = { ...builtinEntry, apiBaseUrl };
      continue;
    }
    if (entries.some((e) => e.hostname === hostname && e.basePath === basePath)) {
      return err(`hosts[${index}]: ${hostname}${basePath} is listed twice; keep one entry.`);
    }
    // A family with no self-hosted edition (Bitbucket Cloud) would send this host's requests, and its tokens, to the
    // public API.
    if (family.selfHostedName === undefined) {
      return err(
        `hosts[${index}].family: ${config.family} is ${family.builtins.map((b) => b.hostname).join(', ')} only, never self-hosted; for your own instance use ${selfHostableFamilies()}.`,
      );
    }
    const scheme = config.allowHttp === true ? 'http' : 'https';
    const origin = `${scheme}://${hostname}`;
    const apiBaseUrl = (config.apiBaseUrl ?? family.defaultApiBaseUrl(origin + basePath)).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(apiBaseUrl)) {
      return err(`hosts[${index}].apiBaseUrl: expected an absolute http(s) URL, got '${config.apiBaseUrl}'.`);
    }
    entries.push({
      hostname,
      family: config.family,
      origin,
      basePath,
      apiBaseUrl,
      httpsOnly: config.allowHttp !== true,
      builtin: false,
    });
  }
  return ok(registryOf(entries));
}

/** Whether the path `[from, to)` of `text` is `basePath` or below it (`/gitlab`, `/gitlab/g/p`; not `/gitlabx`). */
function servesPath(basePath: string, text: string, from: number, to: number): boolean {
  const end = from + basePath.length;
  return end <= to && text.startsWith(basePath, from) && (end === to || text.charCodeAt(end) === 47); // `/`
}

const selfHostableFamilies = (): string =>
  HOST_FAMILY_IDS.filter((id) => hostFamilies[id].selfHostedName !== undefined).join(', ');

/** `visualstudio.com` → `dev.azure.com`: built-in hosts that answer for every sub-domain of a domain. */
const SUBDOMAINS: readonly (readonly [string, string])[] = HOST_FAMILY_IDS.flatMap((id) =>
  hostFamilies[id].builtins.flatMap((b) =>
    b.subdomainsOf === undefined ? [] : [[`.${b.subdomainsOf}`, b.hostname] as const],
  ),
);

/** `ssh.dev.azure.com` → `dev.azure.com`: ssh host names of built-in hosts. */
const SSH_HOSTS: ReadonlyMap<string, string> = new Map(
  HOST_FAMILY_IDS.flatMap((id) =>
    hostFamilies[id].builtins.flatMap((b) => (b.sshHosts ?? []).map((ssh) => [ssh, b.hostname] as const)),
  ),
);

/** `map.get(name)`, read by comparing the names of the same length (no hash of `name` computed). */
function byLength<T>(map: ReadonlyMap<string, T>): (name: string) => T | undefined {
  const table: { name: string; value: T }[][] = [];
  for (const [name, value] of map) {
    const sameLength = table[name.length] ?? [];
    sameLength.push({ name, value });
    table[name.length] = sameLength;
  }
  return (name) => {
    const candidates = table[name.length];
    if (candidates !== undefined) for (const c of candidates) if (c.name === name) return c.value;
    return undefined;
  };
}

const sshHostOf = byLength(SSH_HOSTS);

function registryOf(entries: readonly HostEntry[]): HostRegistry {
  const byHost = new Map<string, HostEntry[]>();
  for (const entry of entries) {
    const list = byHost.get(entry.hostname) ?? [];
    list.push(entry);
    // Longest base path first, so `/gitlab` wins over the root for `/gitlab/g/p`.
    list.sort((a, b) => b.basePath.length - a.basePath.length);
    byHost.set(entry.hostname, list);
  }
  // The aliases (`www.github.com`) point at their host's list: one map read per lookup, as a lookup runs per parse.
  for (const [alias, hostname] of ALIASES) {
    const list = byHost.get(hostname);
    if (list !== undefined) byHost.set(alias, list);
  }
  // A lookup compares the few names of the host name's length instead of hashing it: it is sliced from the URL, a
  // new string each parse, whose hash a Map would compute first.
  const named = byLength(byHost);
  // The path is a range of the text it lies in, so the launcher's reading of a URL need not copy it out first.
  const lookup = (hostname: string, path = '/', from = 0, to = path.length): HostEntry | undefined => {
    let list = named(hostname);
    if (list === undefined) {
      const parent = SUBDOMAINS.find(
        ([suffix]) => hostname.endsWith(suffix) && hostname.length > suffix.length,
      );
      if (parent !== undefined) list = named(parent[1]);
    }
    if (list === undefined) return undefined;
    for (const e of list) if (e.basePath === '' || servesPath(e.basePath, path, from, to)) return e;
    return undefined;
  };
  // ssh paths never carry the web base path, and the port is ssh's own: the bare host name finds the entry too
  // (`git.example.net` → `git.example.net:7990`). The first entry listed under either name answers, as a search of
  // `entries` in order would; made once here, since a lookup runs per parse.
  const bySshName = new Map<string, HostEntry>();
  for (const entry of entries) {
    const colon = entry.hostname.indexOf(':');
    for (const name of [entry.hostname, colon === -1 ? entry.hostname : entry.hostname.slice(0, colon)]) {
      if (!bySshName.has(name)) bySshName.set(name, entry);
    }
  }
  const sshNamed = byLength(bySshName);
  return {
    entries,
    lookup,
    lookupSsh: (hostname) => sshNamed(sshHostOf(hostname) ?? hostname),
    family: (entry) => hostFamilies[entry.family],
  };
}

/** The built-in hosts only; what tests and the extension use when nothing is configured. */
export const defaultHostRegistry: HostRegistry = registryOf(BUILTINS);
