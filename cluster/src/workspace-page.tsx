/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The workspace page, on the workspace's own origin under `/_launchpod/` and for its owner only: what was opened
// (repository, branch, commit, the file and line the user came from), how it started (prebuild or clone, init
// time), what it is doing now, live task logs, and Open editor / Stop / Restart / Delete. Server-rendered with
// preact, so every value from the request is escaped; page data reaches the script only as escaped JSON.

import { renderToString } from 'preact-render-to-string';
import type { StartWorkspaceRequest, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { safeJson } from '../../shared/safe-json.ts';

/** Everything of the cluster's own on a workspace origin lives under this path; the rest is the editor's. */
export const HOST_BASE = '/_launchpod';
export const WORKSPACE_CSS_PATH = `${HOST_BASE}/assets/workspace.css`;
export const WORKSPACE_SCRIPT_PATH = `${HOST_BASE}/assets/workspace.js`;

export interface WorkspacePageProps {
  readonly clusterName: string;
  readonly status: WorkspaceStatus;
  readonly request: StartWorkspaceRequest;
  /** The checkout inside the sandbox (`/workspace/app`). */
  readonly checkoutPath: string;
  /** Whether the page should go to the editor once it is ready (the owner came for it). */
  readonly waitForEditor: boolean;
  /** Whether this cluster gives workspaces an editor. */
  readonly editor: boolean;
  /** The launcher's "Your workspaces" page, for the way back. */
  readonly launcherUrl?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

function CheckedOut({ context }: { context: StartWorkspaceRequest['context'] }) {
  if (context.issue !== undefined) {
    return (
      <>
        <code>{context.issue.branch}</code> (new branch for issue #{context.issue.number}:{' '}
        {context.issue.title})
      </>
    );
  }
  if (context.ref?.type === 'branch') return <code>{context.ref.name}</code>;
  if (context.ref?.type === 'tag')
    return (
      <>
        tag <code>{context.ref.name}</code> (detached)
      </>
    );
  return <>detached at the commit</>;
}

function StartedFrom({ status, request }: { status: WorkspaceStatus; request: StartWorkspaceRequest }) {
  const { timings } = status;
  const init =
    timings?.initSkipped === true
      ? 'init skipped: it already ran in the prebuild'
      : timings?.initMs !== undefined
        ? `init took ${seconds(timings.initMs)}`
        : undefined;
  const content = timings?.contentMs !== undefined ? ` in ${seconds(timings.contentMs)}` : '';
  const { initializer } = request;
  const prebuildId = initializer.kind === 'prebuild-snapshot-with-git-fallback' ? initializer.prebuildId : '';
  // A prebuild of an ancestor: its snapshot was brought forward to this commit (incremental).
  const behind =
    initializer.kind === 'prebuild-snapshot-with-git-fallback' &&
    initializer.snapshotSha !== request.context.sha
      ? `, incrementally: snapshot at ${initializer.snapshotSha.slice(0, 12)} brought up to this commit`
      : '';
  const how =
    status.startedFrom === 'prebuild'
      ? `From prebuild ${prebuildId}${behind}${content}`
      : status.startedFrom === 'prebuild-fallback-git'
        ? `Cloned${content}: prebuild ${prebuildId} could not be used`
        : status.startedFrom === 'git'
          ? `Cloned${content} (no prebuild)`
          : 'Not known yet';
  return (
    <>
      <span id="started-from">{how}</span>
      {init !== undefined && <span id="init-time">; {init}</span>}
      {status.fallbackReason !== undefined && (
        <p id="fallback-reason" class="failure">
          {status.fallbackReason}
        </p>
      )}
    </>
  );
}

function Actions({ status, editor }: { status: WorkspaceStatus; editor: boolean }) {
  const { phase } = status;
  const ended = phase === 'stopped' || phase === 'failed';
  return (
    <div class="actions">
      {phase === 'running' && editor && (
        <a id="open-editor" class="button" href="/">
          Open editor
        </a>
      )}
      {!ended && phase !== 'stopping' && phase !== 'deleted' && (
        <form method="post" action={`${HOST_BASE}/stop`}>
          <button id="stop" type="submit">
            Stop
          </button>
        </form>
      )}
      {ended && (
        <form method="post" action={`${HOST_BASE}/restart`}>
          <button id="restart" type="submit">
            Restart
          </button>
        </form>
      )}
      {phase !== 'deleted' && (
        <form
          method="post"
          action={`${HOST_BASE}/delete`}
          data-confirm="Delete this workspace and its files?"
        >
          <button id="delete" type="submit">
            Delete
          </button>
        </form>
      )}
    </div>
  );
}

export function WorkspacePage({
  clusterName,
  status,
  request,
  checkoutPath,
  waitForEditor,
  editor,
  launcherUrl,
}: WorkspacePageProps) {
  const { context } = request;
  const repoName = `${context.repo.owner}/${context.repo.name}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${repoName} · workspace on ${clusterName}`}</title>
        <link rel="stylesheet" href={WORKSPACE_CSS_PATH} />
      </head>
      <body>
        <main>
          <h1>{repoName}</h1>
          <p>
            <span id="phase" class="phase" data-phase={status.phase}>
              {status.phase}
            </span>{' '}
            {request.type === 'prebuild' ? 'prebuild' : 'workspace'} on {clusterName}
          </p>
          <p id="step" hidden={status.step === undefined}>
            {status.step ?? ''}
          </p>
          <p id="failure" class="failure" hidden={status.failure === undefined}>
            {status.failure ?? ''}
          </p>
          <p id="stop-reason" hidden={status.stopReason === undefined}>
            {status.stopReason ?? ''}
          </p>
          {request.type === 'regular' && <Actions status={status} editor={editor} />}
          <dl>
            <dt>Repository</dt>
            <dd>
              {isWebUrl(context.webUrl) ? (
                <a href={context.webUrl} rel="noreferrer">
                  {context.repo.host}/{repoName}
                </a>
              ) : (
                `${context.repo.host}/${repoName}`
              )}
            </dd>
            <dt>Branch</dt>
            <dd>
              <CheckedOut context={context} />
            </dd>
            <dt>Commit</dt>
            <dd>
              <code>{context.sha}</code>
            </dd>
            {context.pullRequest !== undefined && (
              <>
                <dt>Pull request</dt>
                <dd>
                  #{context.pullRequest.number}: {context.pullRequest.title}
                  {context.pullRequest.fromFork ? ' (from a fork)' : ''}
                </dd>
              </>
            )}
            {context.path !== undefined && (
              <>
                <dt>Opened from</dt>
                <dd>
                  <code>{context.path.path}</code>
                  {context.lines !== undefined &&
                    ` line ${context.lines.start}${context.lines.end !== context.lines.start ? `–${context.lines.end}` : ''}`}
                </dd>
              </>
            )}
            <dt>Started</dt>
            <dd>
              <StartedFrom status={status} request={request} />
            </dd>
            {status.snapshot !== undefined && (
              <>
                <dt>Snapshot</dt>
                <dd>
                  prebuild {status.snapshot.prebuildId} at <code>{status.snapshot.sha}</code>
                </dd>
              </>
            )}
            <dt>Workspace</dt>
            <dd>
              <code id="workspace-path">{checkoutPath}</code>
            </dd>
          </dl>
          {launcherUrl !== undefined && (
            <p>
              <a href={launcherUrl} rel="noreferrer">
                Your workspaces
              </a>
            </p>
          )}
          <h2>Logs</h2>
          <noscript>Live logs need JavaScript.</noscript>
          <div id="logs" />
        </main>
        <script
          type="application/json"
          id="page-data"
          dangerouslySetInnerHTML={{
            __html: safeJson({
              streamUrl: `${HOST_BASE}/logs`,
              statusUrl: `${HOST_BASE}/status`,
              waitForEditor,
            }),
          }}
        />
        <script src={WORKSPACE_SCRIPT_PATH} defer />
      </body>
    </html>
  );
}

export function renderWorkspacePage(props: WorkspacePageProps): string {
  return `<!doctype html>${renderToString(<WorkspacePage {...props} />)}`;
}

/** For a visitor without the owner's cookie: whose it is and how its owner gets in. */
export function renderGatePage(
  clusterName: string,
  launcherUrl: string | undefined,
  message?: string,
): string {
  return `<!doctype html>${renderToString(
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{`Workspace · ${clusterName}`}</title>
        <link rel="stylesheet" href={WORKSPACE_CSS_PATH} />
      </head>
      <body>
        <main>
          <h1>Open this workspace from Launchpod</h1>
          {message !== undefined && <p class="failure">{message}</p>}
          <p>
            Only the person who started this workspace can use it, and they come in through the launcher. If
            it is yours, open it again from{' '}
            {launcherUrl !== undefined ? <a href={launcherUrl}>your workspaces</a> : 'the launcher'}.
          </p>
        </main>
      </body>
    </html>,
  )}`;
}

/** For an id the cluster does not know: says so and where to go instead of a blank page. */
export function renderNotFoundPage(clusterName: string): string {
  return `<!doctype html>${renderToString(
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{`Workspace not found · ${clusterName}`}</title>
        <link rel="stylesheet" href={WORKSPACE_CSS_PATH} />
      </head>
      <body>
        <main>
          <h1>Workspace not found</h1>
          <p>
            Cluster {clusterName} has no workspace at this address. It may have been started on another
            cluster, or the address was mistyped: open it again from the launcher.
          </p>
        </main>
      </body>
    </html>,
  )}`;
}
