// What every workspace backend the launcher can hand a context to has in common: its configuration (one entry of
// CLUSTERS with a `kind`), the plan it makes for a resolved context (what it will open, what it cannot express, the
// hand-off URL) and, where access was given, a start through its API. One module per kind beside this one.
// Never builds a URL on an origin the operator did not register for that backend.

import type { ResolvedContext } from '../../../shared/resolved-context.ts';
import type { Result } from '../../../shared/result.ts';
import type { LaunchError } from '../errors.ts';

export type BackendKind = 'launchpod' | 'ona' | 'gitpod' | 'codespaces' | 'coder' | 'devpod';
export const HANDOFF_KINDS = ['ona', 'gitpod', 'codespaces', 'coder', 'devpod'] as const;
export type HandoffKind = (typeof HANDOFF_KINDS)[number];

/** A registered backend other than a Launchpod cluster (those stay in `clusters`). */
export interface BackendConfig {
  readonly name: string;
  readonly kind: HandoffKind;
  /** For people: "Codespaces", "Coder (ACME)". */
  readonly displayName: string;
  /** Where its hand-off links go (`https://app.ona.com`, `https://coder.example.com`), no trailing slash. */
  readonly url: string;
  /** Where its API is, when it has one (`https://api.github.com`, `https://app.gitpod.io/api`). */
  readonly apiUrl?: string;
  /**
   * Origins users may be sent to for this backend: `url`'s own, plus the workspace origins its API answers
   * (`https://*.github.dev` for Codespaces). Exact origins, or `*.` for one label below a host.
   */
  readonly origins: readonly string[];
  /** The operator's access for API starts (Coder session token, Ona API key), from CLUSTER_SECRETS. */
  readonly secret?: string;
  /** Coder: the template and how context values fill its parameters (rules may override both). */
  readonly template?: string;
  readonly organization?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Ona: the machine class an API start asks for. Codespaces: the machine type. */
  readonly machine?: string;
}

/** The context a backend is asked to open, with what a routing rule adds (Coder template and parameters). */
export interface PlanInput {
  readonly resolved: Omit<ResolvedContext, 'configText'>;
  readonly template?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Whether the user is signed in with the context's host (Codespaces starts with that sign-in). */
  readonly userSignedIn?: boolean;
}

export interface BackendPlan {
  readonly backend: string;
  readonly kind: BackendKind;
  readonly displayName: string;
  /** What it will open, for people: "branch feature/x of acme/app". */
  readonly opens: string;
  /** What of this context it cannot express, each a sentence ("Codespaces cannot open a commit: …"). */
  readonly cannot: readonly string[];
  /** The plain link (no credentials needed); absent when the backend cannot open this repository at all. */
  readonly handoffUrl?: string;
  /** Whether the launcher can start it through the backend's API (access was given) and reuse a running one. */
  readonly apiStart: boolean;
}

/** What an API start answers: where to send the user, and whether a running workspace was reused. */
export interface StartedOnBackend {
  readonly url: string;
  readonly reused: boolean;
  /** The backend's own id for it (codespace name, Coder workspace id, Ona environment id). */
  readonly id: string;
}

export interface StartAccess {
  /** The signed-in user's token for the context's host (Codespaces uses the user's GitHub sign-in). */
  readonly userToken?: string;
  readonly fetch?: typeof fetch;
}

export interface BackendAdapter {
  readonly kind: HandoffKind;
  readonly defaultDisplayName: string;
  /** The link's default base when the entry names none (`https://app.ona.com`); none for self-hosted kinds. */
  readonly defaultUrl?: string;
  readonly defaultApiUrl?: string;
  /** Origins its API's answers may send users to, beyond `url`'s own. */
  readonly defaultOrigins?: readonly string[];
  plan(config: BackendConfig, input: PlanInput): BackendPlan;
  start?(
    config: BackendConfig,
    input: PlanInput,
    access: StartAccess,
  ): Promise<Result<StartedOnBackend, LaunchError>>;
}

/** Whether `url` is on one of the backend's registered origins (`https://*.github.dev` matches one label). */
export function onBackendOrigin(url: string, config: BackendConfig): boolean {
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') return false;
    origin = parsed.origin;
  } catch {
    return false;
  }
  return config.origins.some((allowed) => {
    const star = allowed.indexOf('//*.');
    if (star === -1) return allowed === origin;
    const scheme = allowed.slice(0, star + 2);
    const suffix = allowed.slice(star + 3); // `.github.dev`
    if (!origin.startsWith(scheme) || !origin.endsWith(suffix)) return false;
    const label = origin.slice(scheme.length, origin.length - suffix.length);
    return /^[a-z0-9-]+$/i.test(label);
  });
}

/** `acme/app`, for sentences. */
export const repoName = (r: PlanInput['resolved']) => `${r.repo.owner}/${r.repo.name}`;

/** The branch a backend that only opens branches would open, and how it differs from the context. */
export function branchOf(r: PlanInput['resolved']): { branch: string; widened?: string } {
  if (r.pullRequest !== undefined) return { branch: r.pullRequest.headRef };
  if (r.issue !== undefined)
    return {
      branch: r.defaultBranch,
      widened: `cannot create the issue branch ${r.issue.branch}: it opens ${r.defaultBranch} instead`,
    };
  if (r.ref?.type === 'branch') return { branch: r.ref.name };
  if (r.ref?.type === 'tag')
    return {
      branch: r.defaultBranch,
      widened: `cannot open the tag ${r.ref.name}: it opens ${r.defaultBranch} instead`,
    };
  return {
    branch: r.defaultBranch,
    widened: `cannot open the commit ${r.sha.slice(0, 12)} on its own: it opens the head of ${r.defaultBranch} instead`,
  };
}

/** Sentences for a file or lines a backend cannot open. */
export function fileLoss(r: PlanInput['resolved'], name: string): string[] {
  if (r.path === undefined) return [];
  return [
    `${name} cannot open the ${r.path.kind} ${r.path.path}${r.lines ? ` at line ${r.lines.start}` : ''}: it opens the repository`,
  ];
}

/** `{branch}` → the value, for Coder parameters (`{repo_url}`, `{branch}`, `{commit}`, `{pr}`, `{context_url}`). */
export function fillPlaceholders(template: string, r: PlanInput['resolved']): string {
  const { branch } = branchOf(r);
  const values: Record<string, string> = {
    repo_url: r.cloneUrl,
    branch,
    commit: r.sha,
    pr: r.pullRequest === undefined ? '' : String(r.pullRequest.number),
    context_url: r.webUrl,
    repo: repoName(r),
  };
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** What a backend that understands context URLs opens, for people: "pull request #3 (branch x of acme/app)". */
export function contextPhrase(r: PlanInput['resolved']): string {
  const name = repoName(r);
  if (r.pullRequest !== undefined)
    return `pull request #${r.pullRequest.number} (branch ${r.pullRequest.headRef} of ${r.pullRequest.headRepo.owner}/${r.pullRequest.headRepo.name})`;
  if (r.issue !== undefined) return `issue #${r.issue.number} of ${name}, on a new branch`;
  const at = r.ref === undefined ? `commit ${r.sha.slice(0, 12)}` : `${r.ref.type} ${r.ref.name}`;
  const file = r.path === undefined ? '' : `, ${r.path.kind} ${r.path.path}`;
  return `${at} of ${name}${file}`;
}

/** What a backend that opens only branches opens: "branch main of acme/app". */
export const branchPhrase = (r: PlanInput['resolved']) => `branch ${branchOf(r).branch} of ${repoName(r)}`;
