/** @jsxImportSource preact */
// The start page: what is being opened (repository, branch / PR / issue → new branch, commit, file and line), the
// modifiers applied and the env vars refused, the prebuild decision, the cluster, then the phases as they happen.
// Its script starts the workspace (POST with an idempotency key), follows it with the init log live and the step it
// is in, then opens it (the launcher's Open hands the owner over to the workspace's own origin). When the owner
// already has a workspace for this context, the page offers it instead of starting a second one.

import { changeRequestTerms } from '../../../shared/host-registry.ts';
import type { LaunchOptions } from '../../../shared/launch-url.ts';
import type { Resolution } from '../launch.ts';
import { Layout } from './layout.tsx';

export interface StartPageData {
  readonly url: string;
  readonly options: LaunchOptions;
  readonly idempotencyKey: string;
  readonly autostart: boolean;
}

/** The owner's workspace for this same context, when there is one: offered before a new one starts. */
export interface ExistingWorkspace {
  readonly id: string;
  readonly phase: string;
  readonly createdAt: number;
}

export const PHASES = ['pending', 'creating', 'initializing', 'running'] as const;

function Existing({ existing }: { existing: ExistingWorkspace }) {
  const id = encodeURIComponent(existing.id);
  const ended = existing.phase === 'stopped';
  return (
    <div class="notice" id="existing" data-workspace={existing.id} data-phase={existing.phase}>
      <p>
        You already have a workspace for this ({existing.phase}, started{' '}
        {new Date(existing.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC).
      </p>
      <p class="actions">
        {ended ? (
          <form method="post" action={`/workspaces/${id}/restart`}>
            <button type="submit" id="existing-restart">
              Restart it
            </button>
          </form>
        ) : (
          <a class="button" id="existing-open" href={`/workspaces/${id}/open`}>
            Open it
          </a>
        )}{' '}
        or start a new one below.
      </p>
    </div>
  );
}

export function StartPage({
  brand,
  resolution,
  data,
  ignoredOptions,
  notices = [],
  existing,
  otherBackends = [],
}: {
  readonly brand: string;
  readonly resolution: Resolution;
  readonly data: StartPageData;
  readonly ignoredOptions: readonly string[];
  /** Options read but not honoured as asked (`?region=mars`), said in a sentence. */
  readonly notices?: readonly string[];
  readonly existing?: ExistingWorkspace;
  /** Other registered backends (Codespaces, Coder…) the user may open this on instead. */
  readonly otherBackends?: readonly { readonly name: string; readonly displayName: string }[];
}) {
  const { resolved, request, config, prebuild, clusters } = resolution;
  const repoName = `${resolved.repo.owner}/${resolved.repo.name}`;
  const chosen = clusters[0];
  const changeRequest = changeRequestTerms(resolved.repo.family);
  return (
    <Layout brand={brand} title={`Opening ${repoName}`} scripts={['/assets/start.js']} data={data}>
      <h1>
        {data.autostart ? 'Opening' : 'Open'} {repoName}
      </h1>
      <dl class="facts" aria-label="What is being opened">
        <dt>Repository</dt>
        <dd>
          <a href={resolved.webUrl}>{repoName}</a> on {resolved.repo.host}
        </dd>
        {resolved.pullRequest !== undefined && (
          <>
            <dt>{sentenceCase(changeRequest.name)}</dt>
            <dd>
              {changeRequest.prefix}
              {resolved.pullRequest.number} {resolved.pullRequest.title}
              {resolved.pullRequest.fromFork && (
                <>
                  {' '}
                  (from the fork {resolved.pullRequest.headRepo.owner}/{resolved.pullRequest.headRepo.name}{' '}
                  into {resolved.pullRequest.baseRepo.owner}/{resolved.pullRequest.baseRepo.name})
                </>
              )}
            </dd>
          </>
        )}
        {resolved.issue !== undefined && (
          <>
            <dt>Issue</dt>
            <dd>
              #{resolved.issue.number} {resolved.issue.title} → new branch{' '}
              <code>{resolved.issue.branch}</code> from <code>{resolved.defaultBranch}</code>
            </dd>
          </>
        )}
        <dt>{resolved.ref?.type === 'tag' ? 'Tag' : 'Branch'}</dt>
        <dd>
          {resolved.ref === undefined ? <>detached at the commit below</> : <code>{resolved.ref.name}</code>}
        </dd>
        <dt>Commit</dt>
        <dd>
          <code title={resolved.sha}>{resolved.sha.slice(0, 12)}</code>
        </dd>
        {resolved.path !== undefined && (
          <>
            <dt>{resolved.path.kind === 'file' ? 'File' : 'Folder'}</dt>
            <dd>
              <code>{resolved.path.path}</code>
              {resolved.lines !== undefined &&
                (resolved.lines.start === resolved.lines.end
                  ? `, line ${resolved.lines.start}`
                  : `, lines ${resolved.lines.start}–${resolved.lines.end}`)}
            </dd>
          </>
        )}
        <dt>Configuration</dt>
        <dd>
          {resolution.configSource === 'file'
            ? `${resolution.configFile.path}: ${config.tasks.length} task${config.tasks.length === 1 ? '' : 's'}, ${config.ports.length} port${config.ports.length === 1 ? '' : 's'}`
            : 'no .gitpod.yml or devcontainer.json: defaults'}
          <small data-config-why> (used because {resolution.configFile.why})</small>
          {resolution.configFile.notes.length > 0 && (
            <ul data-config-notes>
              {resolution.configFile.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Prebuild</dt>
        <dd data-prebuild={prebuild.kind}>
          {prebuild.kind === 'use'
            ? `Starting from prebuild ${prebuild.prebuildId} (${behind(prebuild.commitsBehind)}${prebuild.cluster === undefined ? '' : `, on cluster ${prebuild.cluster}`})`
            : prebuild.reason}
        </dd>
        <dt>Cluster</dt>
        <dd>
          {chosen === undefined
            ? `none available (${resolution.unavailable.join('; ')})`
            : `${chosen.cluster.name} (${chosen.cluster.region})`}
        </dd>
        {request.env.length > 0 && (
          <>
            <dt>Environment</dt>
            <dd>
              {request.env.map((v) => (
                <code>
                  {v.name}={v.value}{' '}
                </code>
              ))}
            </dd>
          </>
        )}
        {request.referrer !== undefined && (
          <>
            <dt>Sent by</dt>
            <dd>
              {request.referrer.name}
              {request.referrer.ide !== undefined && ` (${request.referrer.ide})`}
            </dd>
          </>
        )}
        {request.imageBuild && (
          <>
            <dt>Image</dt>
            <dd>rebuilt for this workspace (imagebuild/)</dd>
          </>
        )}
        {(data.options.editor !== undefined || data.options.workspaceClass !== undefined) && (
          <>
            <dt>Options</dt>
            <dd>
              {data.options.editor !== undefined && `editor ${data.options.editor} `}
              {data.options.workspaceClass !== undefined && `class ${data.options.workspaceClass}`}
            </dd>
          </>
        )}
      </dl>
      {request.rejectedEnv.length > 0 && (
        <div class="notice" role="status">
          <p>These environment variables from the link were not set:</p>
          <ul class="rejected-env">
            {request.rejectedEnv.map((r) => (
              <li>
                <code>{r.item}</code> — {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {[
        ...request.warnings.filter((w) => w.code !== 'env-rejected'),
        ...ignoredOptions.map((o) => ({ message: `Ignored the option ${o}.` })),
        ...notices.map((message) => ({ message })),
      ].map((w) => (
        <div class="notice" role="status">
          {w.message}
        </div>
      ))}
      {prebuild.kind === 'none' && prebuild.building !== undefined && (
        <div
          class="notice"
          id="prebuild-wait"
          data-prebuild-id={prebuild.building.prebuildId}
          data-wait-ms={String(prebuild.building.waitLimitMs)}
          data-started-at={String(prebuild.building.startedAt)}
        >
          <p id="prebuild-progress" role="status" aria-live="polite">
            The prebuild of this commit is {prebuild.building.state}
            {data.autostart ? ': waiting for it, then starting from it.' : '.'}
          </p>
          {prebuild.building.logUrl !== undefined && (
            <p>
              <a href={prebuild.building.logUrl} target="_blank" rel="noopener">
                Follow the prebuild's log
              </a>
            </p>
          )}
          <p>
            <button type="button" id="prebuild-skip">
              Start now without it
            </button>{' '}
            {prebuild.lastReady !== undefined && (
              <button type="button" id="prebuild-last">
                Use the last ready prebuild ({behind(prebuild.lastReady.commitsBehind)})
              </button>
            )}
          </p>
        </div>
      )}
      {existing !== undefined && <Existing existing={existing} />}
      <ol class="phases" aria-label="Progress" id="phases">
        {PHASES.map((phase) => (
          <li data-phase={phase}>{phase}</li>
        ))}
      </ol>
      <p id="status" role="status" aria-live="polite">
        {data.autostart ? 'Starting…' : 'Check the details, then start the workspace.'}
      </p>
      <p>
        <button type="button" id="start" hidden={data.autostart}>
          {existing === undefined ? 'Start workspace' : 'Start a new workspace'}
        </button>
      </p>
      <section id="live" hidden aria-label="What the workspace prints while it starts">
        <h2>Starting</h2>
        <div id="logs" />
      </section>
      {otherBackends.length > 0 && (
        <p id="other-backends">
          Or open it on{' '}
          {otherBackends.map((b, i) => (
            <>
              {i > 0 && ', '}
              <a
                href={`/start?backend=${encodeURIComponent(b.name)}&url=${encodeURIComponent(data.url)}`}
                data-backend={b.name}
              >
                {b.displayName}
              </a>
            </>
          ))}
          .
        </p>
      )}
      <p>
        <a href="/workspaces">Your workspaces</a>
      </p>
      <noscript>
        <div class="notice bad">Starting a workspace needs JavaScript for this page.</div>
      </noscript>
    </Layout>
  );
}

const sentenceCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function behind(commits: number): string {
  if (commits === 0) return 'this commit';
  return `${commits} commit${commits === 1 ? '' : 's'} behind`;
}
