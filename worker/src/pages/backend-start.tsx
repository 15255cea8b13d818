/** @jsxImportSource preact */
// The start page when another backend opens the context (Codespaces, Coder, Ona, Gitpod, DevPod): what it will open,
// what it cannot express for this context, why this backend, the link and — where the launcher has access — a start
// through its API, and the other backends that can open it. Only links the service checked are rendered.

import type { BackendPlan } from '../backends/backend.ts';
import type { BackendLaunch } from '../backends/backend-launch.ts';
import { Layout } from './layout.tsx';

export function BackendStartPage({
  brand,
  launch,
  input,
  handoffUrl,
  autostart,
}: {
  readonly brand: string;
  readonly launch: BackendLaunch;
  readonly input: string;
  /** The checked hand-off link, when there is one. */
  readonly handoffUrl?: string;
  readonly autostart: boolean;
}) {
  const { plan, backend, context } = launch;
  const repoName = `${context.resolved.repo.owner}/${context.resolved.repo.name}`;
  const whole = plan.cannot.length === 0;
  // Nothing lost and nothing to start for the user: straight on, after a moment to read where they are going.
  const refresh =
    autostart && whole && !plan.apiStart && handoffUrl !== undefined
      ? { url: handoffUrl, seconds: 1 }
      : undefined;
  const otherLink = (other: BackendPlan) =>
    `/start?backend=${encodeURIComponent(other.backend)}&url=${encodeURIComponent(input)}`;
  const better = launch.alternatives.filter(
    (a) => a.cannot.length === 0 && (a.handoffUrl !== undefined || a.kind === 'launchpod'),
  );
  return (
    <Layout
      brand={brand}
      title={`Opening ${repoName} on ${backend.displayName}`}
      {...(refresh !== undefined && { refresh })}
    >
      <h1>
        Open {repoName} on {backend.displayName}
      </h1>
      <dl class="facts" aria-label="What the backend will open">
        <dt>Backend</dt>
        <dd data-backend={backend.name} data-kind={backend.kind}>
          {backend.displayName} (because {launch.why})
        </dd>
        <dt>Opens</dt>
        <dd id="opens">{plan.opens}</dd>
      </dl>
      {!whole && (
        <div class="notice bad" id="cannot">
          <p>{backend.displayName} cannot open this context as it is:</p>
          <ul>
            {plan.cannot.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      <p class="actions">
        {plan.apiStart && (
          <form method="post" action="/backends/start">
            <input type="hidden" name="url" value={input} />
            <input type="hidden" name="backend" value={backend.name} />
            <button type="submit" id="api-start">
              Start on {backend.displayName}
            </button>
          </form>
        )}{' '}
        {handoffUrl !== undefined && (
          <a class={plan.apiStart ? undefined : 'button'} id="handoff" href={handoffUrl} rel="noreferrer">
            {plan.apiStart
              ? `or open ${backend.displayName}'s own page`
              : `Continue to ${backend.displayName}`}
          </a>
        )}
      </p>
      {refresh !== undefined && <p id="status">Continuing to {backend.displayName}…</p>}
      {better.length > 0 && (
        <section id="alternatives" aria-label="Backends that open this context whole">
          <h2>{whole ? 'Or open it on' : 'These open it whole'}</h2>
          <ul>
            {better.map((other) => (
              <li key={other.backend}>
                <a href={otherLink(other)} data-backend={other.backend}>
                  {other.displayName}
                </a>
                : {other.opens}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}
