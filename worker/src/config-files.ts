// Which file describes a repository's workspace at a commit — `.gitpod.yml` or a `devcontainer.json` — read through
// the host's resolver (each text kept forever per commit: a commit's files never change), chosen and parsed into
// one launch config, saying which file is used and why. Never fails a launch over a file that is not used.

import {
  DEVCONTAINER_PATHS,
  type DevcontainerConfig,
  type DevcontainerError,
  namedDevcontainerPath,
  parseDevcontainerConfig,
} from '../../shared/devcontainer-config.ts';
import type { ConfigError, GitpodConfig } from '../../shared/gitpod-config.ts';
import type { HostEntry } from '../../shared/hosts/host-family.ts';
import type { RepoRef } from '../../shared/launch-request.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { cacheKey } from './cache-keys.ts';
import type { LaunchError } from './errors.ts';
import type { HostCredentials, HostResolver, HttpTuning } from './hosts/host-resolver.ts';
import { gitpodConfigOf } from './launch-memo.ts';

export const GITPOD_YML = '.gitpod.yml';

/** The file a launch follows, and why, for the start page and the API. */
export interface ConfigFileChoice {
  readonly kind: 'gitpod-yml' | 'devcontainer' | 'defaults';
  /** The file, relative to the repository root; absent for defaults. */
  readonly path?: string;
  /** One sentence: why this file and not another. */
  readonly why: string;
  /** What the chosen file asks for that is not applied (devcontainer.json), and files found but not used. */
  readonly notes: readonly string[];
}

export interface LaunchConfig {
  readonly config: GitpodConfig;
  readonly choice: ConfigFileChoice;
}

/** A config file that is used and has mistakes: the launch stops here, naming the file, line and column. */
export interface InvalidConfigFile {
  readonly path: string;
  readonly errors: readonly (ConfigError | DevcontainerError)[];
}

export interface ConfigFileAccess {
  readonly cache: KVNamespace;
  readonly resolver: HostResolver;
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  readonly http?: HttpTuning;
  readonly repo: RepoRef;
  readonly sha: string;
  /** `.gitpod.yml`'s text when the resolver already fetched it (GitHub's single query). */
  readonly gitpodText?: string | null;
}

/**
 * The launch config for a commit. `devcontainer` names a configuration below `.devcontainer/` that the link asks
 * for (`?devcontainer=python`): it is used whatever else exists.
 */
export async function launchConfigAt(
  access: ConfigFileAccess,
  devcontainer?: string,
): Promise<Result<LaunchConfig, LaunchError | InvalidConfigFile>> {
  const devcontainerPaths =
    devcontainer === undefined ? DEVCONTAINER_PATHS : [namedDevcontainerPath(devcontainer)];
  const [gitpod, candidates] = await Promise.all([
    access.gitpodText !== undefined ? ok(access.gitpodText) : readCached(access, GITPOD_YML),
    Promise.all(devcontainerPaths.map(async (path) => ({ path, read: await readCached(access, path) }))),
  ]);
  if (!gitpod.ok) return gitpod;
  const found: { path: string; text: string }[] = [];
  for (const { path, read } of candidates) {
    if (!read.ok) return read;
    if (read.value !== null) found.push({ path, text: read.value });
  }
  return chooseConfig(gitpod.value, found, devcontainer);
}

/**
 * The rule, pure: a named configuration the link asks for wins; otherwise `.gitpod.yml` wins over a
 * `devcontainer.json` beside it unless that file sets `customizations.launchpod.preferred`; a file alone is used;
 * none gives the defaults. A `devcontainer.json` with mistakes that is not used is mentioned, never fatal.
 */
export function chooseConfig(
  gitpodText: string | null,
  devcontainers: readonly { path: string; text: string }[],
  requested?: string,
): Result<LaunchConfig, InvalidConfigFile> {
  const [first, ...others] = devcontainers;
  const unused = others.map((o) => `${o.path} is not used: ${first?.path} comes first.`);

  if (requested !== undefined) {
    const path = namedDevcontainerPath(requested);
    if (first === undefined)
      return err({
        path,
        errors: [
          {
            code: 'schema',
            path: '',
            line: 1,
            column: 1,
            message: `The link asks for the dev container configuration "${requested}", but there is no ${path} at this commit — remove devcontainer=${requested} from the link, or add that file.`,
          },
        ],
      });
    const parsed = parseDevcontainerConfig(first.text, first.path);
    if (!parsed.ok) return err({ path: first.path, errors: parsed.error });
    const shadowed = gitpodText !== null ? [`${GITPOD_YML} is not used: the link asks for ${path}.`] : [];
    return ok(fromDevcontainer(parsed.value, `the link asks for the configuration "${requested}"`, shadowed));
  }

  const parsed = first === undefined ? undefined : parseDevcontainerConfig(first.text, first.path);
  if (gitpodText !== null) {
    if (parsed?.ok === true && parsed.value.preferred) {
      return ok(
        fromDevcontainer(
          parsed.value,
          `it sets customizations.launchpod.preferred, so it is used instead of ${GITPOD_YML}`,
          [`${GITPOD_YML} is not used: ${parsed.value.path} is preferred.`, ...unused],
        ),
      );
    }
    const checked = gitpodConfigOf(gitpodText);
    if (!checked.ok) return err({ path: GITPOD_YML, errors: checked.error });
    const besides =
      first === undefined
        ? []
        : [
            parsed?.ok === false
              ? `${first.path} is not used, and has mistakes (line ${parsed.error[0]?.line}: ${parsed.error[0]?.message}).`
              : `${first.path} is not used: ${GITPOD_YML} comes first unless ${first.path} sets "customizations": { "launchpod": { "preferred": true } }.`,
          ];
    return ok({
      config: checked.value,
      choice: {
        kind: 'gitpod-yml',
        path: GITPOD_YML,
        why:
          first === undefined
            ? `the repository has a ${GITPOD_YML}`
            : `the repository has both; ${GITPOD_YML} says more (tasks, prebuild settings, port visibility)`,
        notes: [...besides, ...unused],
      },
    });
  }
  if (parsed === undefined || first === undefined) {
    const defaults = gitpodConfigOf('');
    if (!defaults.ok) throw new Error('the empty .gitpod.yml must be valid');
    return ok({
      config: defaults.value,
      choice: {
        kind: 'defaults',
        why: `the repository has no ${GITPOD_YML} and no devcontainer.json: the cluster's default image, no tasks`,
        notes: [],
      },
    });
  }
  if (!parsed.ok) return err({ path: first.path, errors: parsed.error });
  return ok(fromDevcontainer(parsed.value, `it is the repository's only workspace configuration`, unused));
}

function fromDevcontainer(dc: DevcontainerConfig, why: string, extra: readonly string[]): LaunchConfig {
  return {
    config: dc.config,
    choice: { kind: 'devcontainer', path: dc.path, why, notes: [...dc.notes, ...extra] },
  };
}

const MISSING = '\u0000missing';
const fileKey = (access: ConfigFileAccess, path: string) =>
  // v1 keys hold `.gitpod.yml` only (launch.ts); these hold any config file by path.
  path === GITPOD_YML
    ? cacheKey('config:v1', `${access.repo.host}/${access.repo.owner}/${access.repo.name}@${access.sha}`)
    : cacheKey(
        'config-file:v1',
        `${access.repo.host}/${access.repo.owner}/${access.repo.name}@${access.sha}:${path}`,
      );

/** A file's text at the commit (null when absent), from KV when read before. */
async function readCached(
  access: ConfigFileAccess,
  path: string,
): Promise<Result<string | null, LaunchError>> {
  const key = fileKey(access, path);
  const cached = await access.cache.get(key);
  if (cached !== null) return ok(cached === MISSING ? null : cached);
  const read = await access.resolver.readFile(
    access.repo,
    access.sha,
    path,
    access.entry,
    access.credentials,
    access.http,
  );
  if (read.ok) await access.cache.put(key, read.value ?? MISSING);
  return read;
}
