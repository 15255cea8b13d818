// The launcher's configuration, read once per isolate from vars and secrets: its public origin, brand, the host
// registry, per-host server tokens and the registered workspace clusters. A mistake names the variable and the fix.
// Tokens and cluster secrets stay inside this object: never logged, never rendered.

import { createHostRegistry, type HostConfig, type HostRegistry } from '../../shared/host-registry.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { BackendConfig } from './backends/backend.ts';
import { readBackend } from './backends/registry.ts';
import { type BackendRule, readRules } from './backends/routing.ts';

export interface ClusterConfig {
  readonly name: string;
  readonly baseUrl: string;
  /** Origin of `baseUrl` (the contract's API). */
  readonly origin: string;
  /**
   * The cluster's public origin (`publicOrigin`, default the origin of `baseUrl`): each workspace lives on its own
   * origin below it (`<workspace>.<host>`, see shared/workspace-access.ts) — the only origins besides the launcher's
   * own that users are ever sent to.
   */
  readonly publicOrigin: string;
  readonly region: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly secret: string;
}

export interface LauncherConfig {
  readonly origin: string;
  readonly brand: string;
  readonly registry: HostRegistry;
  /** Server tokens by registry hostname (`github.com`), for public repositories and rate limits. */
  readonly hostTokens: ReadonlyMap<string, string>;
  readonly clusters: readonly ClusterConfig[];
  /** CLUSTERS entries of another kind (Ona, Gitpod, Codespaces, Coder, DevPod): hand-off links and API starts. */
  readonly backends: readonly BackendConfig[];
  /** BACKEND_RULES: which backend opens which repositories (backends/routing.ts). */
  readonly backendRules: readonly BackendRule[];
  /** Exact browser origins (`chrome-extension://<id>`) allowed to call /api/v1 with cookies, beside the launcher. */
  readonly apiOrigins: readonly string[];
}

export type ConfigEnv = Pick<
  Env,
  | 'LAUNCHER_ORIGIN'
  | 'BRAND_NAME'
  | 'HOSTS'
  | 'CLUSTERS'
  | 'API_ALLOWED_ORIGINS'
  | 'HOST_TOKENS'
  | 'CLUSTER_SECRETS'
  | 'BACKEND_RULES'
>;

const cache = new WeakMap<object, Result<LauncherConfig, string>>();

/** Parsed once per `env` object (one per isolate), so a request pays no JSON parsing. */
export function launcherConfig(env: ConfigEnv): Result<LauncherConfig, string> {
  const cached = cache.get(env);
  if (cached !== undefined) return cached;
  const result = readConfig(env);
  cache.set(env, result);
  return result;
}

export function readConfig(env: ConfigEnv): Result<LauncherConfig, string> {
  const origin = (env.LAUNCHER_ORIGIN ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#\s]+$/.test(origin)) {
    return err(
      `LAUNCHER_ORIGIN must be the launcher's public origin, like https://launchpod.example.com (got '${origin}').`,
    );
  }
  const hosts = json<HostConfig[]>(env.HOSTS, 'HOSTS', []);
  if (!hosts.ok) return hosts;
  if (!Array.isArray(hosts.value))
    return err('HOSTS must be a JSON list of {hostname, family, apiBaseUrl?, basePath?}.');
  const registry = createHostRegistry(hosts.value);
  if (!registry.ok) return err(`HOSTS: ${registry.error}`);

  const tokens = json<Record<string, unknown>>(env.HOST_TOKENS, 'HOST_TOKENS', {});
  if (!tokens.ok) return tokens;
  const hostTokens = new Map<string, string>();
  for (const [hostname, token] of Object.entries(tokens.value ?? {})) {
    if (typeof token !== 'string' || token === '')
      return err(`HOST_TOKENS["${hostname}"] must be a non-empty string.`);
    hostTokens.set(hostname.toLowerCase(), token);
  }

  const secrets = json<Record<string, unknown>>(env.CLUSTER_SECRETS, 'CLUSTER_SECRETS', {});
  if (!secrets.ok) return secrets;
  const listed = json<unknown[]>(env.CLUSTERS, 'CLUSTERS', []);
  if (!listed.ok) return listed;
  if (!Array.isArray(listed.value))
    return err(
      'CLUSTERS must be a JSON list of {name, baseUrl, publicOrigin?, region, latitude, longitude}.',
    );
  const clusters: ClusterConfig[] = [];
  const backends: BackendConfig[] = [];
  for (const [index, raw] of listed.value.entries()) {
    const c = (raw ?? {}) as Record<string, unknown>;
    const where = `CLUSTERS[${index}]`;
    if (typeof c.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(c.name)) {
      return err(`${where}.name must be a short lower-case name like eu-1.`);
    }
    if (c.name === 'launchpod')
      return err(`${where}.name 'launchpod' is reserved for the clusters as a whole.`);
    if (c.kind !== undefined && c.kind !== 'launchpod') {
      const name = c.name;
      if ([...clusters, ...backends].some((other) => other.name === name))
        return err(`${where}.name '${name}' is listed twice.`);
      const backend = readBackend(c, where, secrets.value?.[name]);
      if (!backend.ok) return backend;
      backends.push(backend.value);
      continue;
    }
    if (typeof c.baseUrl !== 'string' || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(c.baseUrl)) {
      return err(`${where}.baseUrl must be an absolute http(s) URL.`);
    }
    if (typeof c.region !== 'string' || c.region === '')
      return err(`${where}.region must be a region name like europe.`);
    const latitude = Number(c.latitude);
    const longitude = Number(c.longitude);
    if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) {
      return err(`${where}: latitude (−90…90) and longitude (−180…180) are required, as numbers.`);
    }
    const secret = secrets.value?.[c.name];
    if (typeof secret !== 'string' || secret.length < 16) {
      return err(
        `CLUSTER_SECRETS["${c.name}"] must hold the cluster's shared secret (16 characters or more).`,
      );
    }
    if ([...clusters, ...backends].some((other) => other.name === c.name))
      return err(`${where}.name '${c.name}' is listed twice.`);
    const baseUrl = c.baseUrl.replace(/\/+$/, '');
    const publicOrigin = (
      typeof c.publicOrigin === 'string' ? c.publicOrigin : new URL(baseUrl).origin
    ).replace(/\/+$/, '');
    // Workspaces get hosts below it: a host name, never an IP address (which has no subdomains).
    if (!/^https?:\/\/[a-z0-9.-]*[a-z][a-z0-9.-]*(:\d+)?$/i.test(publicOrigin))
      return err(
        `${where}.publicOrigin must be the origin workspaces get hosts under, like https://ws.example.com or http://localhost:8788 (got '${publicOrigin}'); set it when baseUrl is an IP address.`,
      );
    clusters.push({
      name: c.name,
      baseUrl,
      origin: new URL(baseUrl).origin,
      publicOrigin: publicOrigin.toLowerCase(),
      region: c.region,
      latitude,
      longitude,
      secret,
    });
  }

  const apiOrigins = (env.API_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of apiOrigins) {
    // A pattern such as `chrome-extension://*` would let every installed extension act with the user's cookies.
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/*\s,]+$/.test(origin))
      return err(
        `API_ALLOWED_ORIGINS lists exact origins, like chrome-extension://<your extension's id> (got '${origin}'; patterns with * are not allowed).`,
      );
  }
  const rules = readRules(env.BACKEND_RULES, backends);
  if (!rules.ok) return rules;
  return ok({
    origin,
    brand: env.BRAND_NAME || 'Launchpod',
    registry: registry.value,
    hostTokens,
    clusters,
    backends,
    backendRules: rules.value,
    apiOrigins,
  });
}

function json<T>(text: string | undefined, name: string, fallback: T): Result<T, string> {
  if (text === undefined || text.trim() === '') return ok(fallback);
  try {
    return ok(JSON.parse(text) as T);
  } catch {
    return err(`${name} is not valid JSON.`);
  }
}
