// The launch service for backends other than Launchpod's own clusters: which backend opens this context (the user's
// choice, the operator's rules), what it will open and what it cannot express, which other backends could open it
// whole, and the API start. Never answers a URL outside the chosen backend's registered origins.

import { parseLaunchInput } from '../../../shared/context-url.ts';
import type { LaunchOptions } from '../../../shared/launch-url.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { LaunchError } from '../errors.ts';
import { type LaunchDeps, parseError, type ResolvedLaunchContext, resolveLaunchContext } from '../launch.ts';
import {
  type BackendConfig,
  type BackendPlan,
  onBackendOrigin,
  type PlanInput,
  type StartedOnBackend,
} from './backend.ts';
import { backendError } from './backend-http.ts';
import { backendAdapters } from './registry.ts';
import { type BackendChoice, chooseBackend } from './routing.ts';

export interface BackendLaunch {
  readonly context: ResolvedLaunchContext;
  readonly backend: BackendConfig;
  readonly why: string;
  readonly input: PlanInput;
  readonly plan: BackendPlan;
  /** Every other way to open it, Launchpod's clusters first (they open any context whole), with what each loses. */
  readonly alternatives: readonly BackendPlan[];
}

/** The backend this launch goes to, from the input alone (before the host is asked anything). */
export function backendChoiceFor(
  input: string,
  options: LaunchOptions,
  deps: Pick<LaunchDeps, 'config'>,
): BackendChoice {
  const parsed = parseLaunchInput(input, deps.config.registry);
  const { config } = deps;
  if (!parsed.ok || parsed.value.context.kind === 'snapshot')
    return { kind: 'launchpod', why: 'the launcher opens repositories on its own clusters' };
  const { repo } = parsed.value.context;
  return chooseBackend(
    `${repo.host}/${repo.owner}/${repo.name}`,
    options.backend,
    config.backends,
    config.backendRules,
    config.clusters.map((c) => c.name),
  );
}

/** The plan for a launch that goes to another backend; `undefined` when Launchpod's clusters take it. */
export async function planBackendLaunch(
  input: string,
  options: LaunchOptions,
  deps: LaunchDeps,
): Promise<Result<BackendLaunch | undefined, LaunchError>> {
  const choice = backendChoiceFor(input, options, deps);
  if (choice.kind === 'launchpod') return ok(undefined);
  const parsed = parseLaunchInput(input, deps.config.registry);
  if (!parsed.ok) return err(parseError(parsed.error));
  const context = await resolveLaunchContext(input, deps);
  if (!context.ok) return context;
  const { configText: _omitted, ...resolved } = context.value.resolved;
  const rule = choice.rule;
  const userSignedIn = context.value.credentials.kind === 'user';
  const planFor = (backend: BackendConfig, withRule: boolean): BackendPlan =>
    backendAdapters[backend.kind].plan(backend, {
      resolved,
      userSignedIn,
      ...(withRule && rule?.template !== undefined && { template: rule.template }),
      ...(withRule && rule?.parameters !== undefined && { parameters: rule.parameters }),
    });
  const input_: PlanInput = {
    resolved,
    userSignedIn,
    ...(rule?.template !== undefined && { template: rule.template }),
    ...(rule?.parameters !== undefined && { parameters: rule.parameters }),
  };
  const plan = planFor(choice.backend, true);
  const launchpod: BackendPlan[] =
    deps.config.clusters.length === 0
      ? []
      : [
          {
            backend: 'launchpod',
            kind: 'launchpod',
            displayName: deps.config.brand,
            opens: 'exactly this context, with its .gitpod.yml or devcontainer.json',
            cannot: [],
            apiStart: true,
          },
        ];
  const others = deps.config.backends
    .filter((b) => b.name !== choice.backend.name)
    .map((b) => planFor(b, rule?.backend === b.name));
  return ok({
    context: context.value,
    backend: choice.backend,
    why: choice.why,
    input: input_,
    plan,
    alternatives: [...launchpod, ...others],
  });
}

/** Starts (or reuses) the workspace through the backend's API; the answer's URL is checked against its origins. */
export async function startOnBackend(
  launch: BackendLaunch,
  userToken: string | undefined,
): Promise<Result<StartedOnBackend, LaunchError>> {
  const { backend, plan } = launch;
  const adapter = backendAdapters[backend.kind];
  if (adapter.start === undefined)
    return err(
      new LaunchError('bad-request', {
        title: `${backend.displayName} is opened with its link`,
        detail: `The launcher has no access to start ${backend.displayName} workspaces itself: follow the link, where ${backend.displayName} asks you.`,
        wayOut:
          plan.handoffUrl === undefined
            ? { label: 'Back to the start', href: '/' }
            : { label: `Open ${backend.displayName}`, href: plan.handoffUrl },
      }),
    );
  const started = await adapter.start(backend, launch.input, userToken === undefined ? {} : { userToken });
  if (!started.ok) return started;
  if (!onBackendOrigin(started.value.url, backend))
    return err(
      backendError(
        backend,
        'cluster-unavailable',
        `${backend.displayName} answered an address outside its registered origins; the launcher does not send you there.`,
        plan.handoffUrl,
      ),
    );
  return started;
}

/** A hand-off link is followed only on the backend's registered origins. */
export function checkedHandoff(plan: BackendPlan, backend: BackendConfig): string | undefined {
  return plan.handoffUrl !== undefined && onBackendOrigin(plan.handoffUrl, backend)
    ? plan.handoffUrl
    : undefined;
}
