// What a warm launch would otherwise compute again, remembered in the isolate: the parsed `.gitpod.yml` per text,
// and the verdict on the start request a launch previews. Both are pure functions of their input, and together they
// were two thirds of a warm launch's CPU (bench/launch). Never lets one request change what another gets: parsed
// configs are frozen, deep; a verdict is an error text or "startable", never the request itself.

import type { StartWorkspaceRequest } from '../../shared/cluster-contract.ts';
import { type ConfigError, type GitpodConfig, parseGitpodConfig } from '../../shared/gitpod-config.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { parseStartRequest } from '../../shared/start-request.ts';

// Bounds: a few dozen repositories' current launches; a `.gitpod.yml` past MAX_TEXT is parsed each time.
const MAX_ENTRIES = 64;
const MAX_TEXT = 16 * 1024;

const configs = new Map<string, Result<GitpodConfig, ConfigError[]>>();
const verdicts = new Map<string, string | null>();

/** `parseGitpodConfig(text)`, from memory when this isolate has parsed the same text before. */
export function gitpodConfigOf(text: string): Result<GitpodConfig, ConfigError[]> {
  const known = remembered(configs, text);
  if (known !== undefined) return known;
  const result = deepFreeze(parseGitpodConfig(text));
  if (text.length <= MAX_TEXT) remember(configs, text, result);
  return result;
}

/**
 * `parseStartRequest(request)`'s verdict, from memory for a request already checked. Keyed by the request's JSON —
 * what a cluster receives and checks — so two requests with the same JSON share a verdict. The request is what
 * `startRequestFor` builds: plain data, no `undefined` fields.
 */
export function startableRequest(request: StartWorkspaceRequest): Result<StartWorkspaceRequest, string> {
  const key = JSON.stringify(request);
  let verdict = remembered(verdicts, key);
  if (verdict === undefined) {
    const checked = parseStartRequest(request);
    verdict = checked.ok ? null : checked.error;
    remember(verdicts, key, verdict);
  }
  return verdict === null ? ok(request) : err(verdict);
}

/** The value for `key`, moved to the most recently used end. */
function remembered<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  map.delete(key);
  map.set(key, value);
  return value;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  // The least recently used entry is the first.
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value ?? '');
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
