// Which backend opens a context: the user's choice (`?backend=<name>`, from the extension's options or the start
// page) when it names a registered backend, else the operator's first BACKEND_RULES rule whose pattern matches
// `host/owner/repo` (picomatch, e.g. `github.com/acme/**`), else the Launchpod clusters. Never a backend that is
// not registered.

import picomatch from 'picomatch';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { BackendConfig } from './backend.ts';

export interface BackendRule {
  /** `github.com/acme/*`, `gitlab.example.com/platform/**`, `**` — matched against `host/owner/repo`. */
  readonly match: string;
  /** A registered backend's name, or `launchpod` for the clusters. */
  readonly backend: string;
  /** Coder: the template and parameter mapping for repositories this rule matches. */
  readonly template?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly test: (repoPath: string) => boolean;
}

export type BackendChoice =
  | { readonly kind: 'launchpod'; readonly why: string }
  | {
      readonly kind: 'backend';
      readonly backend: BackendConfig;
      readonly rule?: BackendRule;
      readonly why: string;
    };

export function readRules(
  text: string | undefined,
  backends: readonly BackendConfig[],
): Result<BackendRule[], string> {
  if (text === undefined || text.trim() === '') return ok([]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err('BACKEND_RULES is not valid JSON.');
  }
  if (!Array.isArray(parsed))
    return err('BACKEND_RULES must be a JSON list of {match, backend, template?, parameters?}.');
  const rules: BackendRule[] = [];
  for (const [i, raw] of parsed.entries()) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const where = `BACKEND_RULES[${i}]`;
    if (typeof r.match !== 'string' || r.match === '')
      return err(`${where}.match must be a pattern like github.com/acme/**.`);
    if (
      typeof r.backend !== 'string' ||
      (r.backend !== 'launchpod' && !backends.some((b) => b.name === r.backend))
    )
      return err(
        `${where}.backend must name an entry of CLUSTERS (or launchpod); got ${JSON.stringify(r.backend)}.`,
      );
    if (r.template !== undefined && typeof r.template !== 'string')
      return err(`${where}.template must be a string.`);
    const parameters = r.parameters;
    if (
      parameters !== undefined &&
      (typeof parameters !== 'object' ||
        parameters === null ||
        Object.values(parameters).some((v) => typeof v !== 'string'))
    )
      return err(`${where}.parameters must map parameter names to text like "{repo_url}".`);
    const matcher = picomatch(r.match.toLowerCase(), { dot: true });
    rules.push({
      match: r.match,
      backend: r.backend,
      ...(typeof r.template === 'string' && { template: r.template }),
      ...(parameters !== undefined && { parameters: parameters as Record<string, string> }),
      test: (path) => matcher(path.toLowerCase()),
    });
  }
  return ok(rules);
}

/** `preference` is the user's `?backend=`; clusterNames are the Launchpod clusters' names (also a valid choice). */
export function chooseBackend(
  repoPath: string,
  preference: string | undefined,
  backends: readonly BackendConfig[],
  rules: readonly BackendRule[],
  clusterNames: readonly string[],
): BackendChoice {
  const rule = rules.find((r) => r.test(repoPath));
  if (preference !== undefined) {
    if (preference === 'launchpod' || clusterNames.includes(preference))
      return { kind: 'launchpod', why: 'you chose Launchpod' };
    const chosen = backends.find((b) => b.name === preference);
    if (chosen !== undefined)
      return {
        kind: 'backend',
        backend: chosen,
        // The rule's template still applies when the user picks the backend the rule names.
        ...(rule !== undefined && rule.backend === chosen.name && { rule }),
        why: `you chose ${chosen.displayName}`,
      };
  }
  if (rule === undefined || rule.backend === 'launchpod')
    return {
      kind: 'launchpod',
      why:
        rule === undefined
          ? 'the launcher opens repositories on its own clusters'
          : `the operator's rule ${rule.match} says so`,
    };
  const backend = backends.find((b) => b.name === rule.backend);
  if (backend === undefined)
    return { kind: 'launchpod', why: 'the launcher opens repositories on its own clusters' };
  return { kind: 'backend', backend, rule, why: `the operator's rule ${rule.match} sends ${repoPath} there` };
}
