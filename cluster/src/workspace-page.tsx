/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The workspace page: what was opened (repository, branch, commit, the file and line the user came from), how it
// started (prebuild or clone, init time), live task logs, and how to open it locally. Server-rendered with preact,
// so every value from the request is escaped; page data reaches the script only as escaped JSON.

import { isAbsolute, relative, resolve } from 'node:path';
import { renderToString } from 'preact-render-to-string';
import type { StartWorkspaceRequest, WorkspaceStatus } from '../../shared/cluster-contract.ts';
import { safeJson } from '../../shared/safe-json.ts';
import type { WorkspacePaths } from './workspace-lifecycle.ts';

export const WORKSPACE_CSS_PATH = '/assets/workspace.css';
export const WORKSPACE_SCRIPT_PATH = '/assets/workspace.js';

export const logStreamPath = (id: string) => `/workspaces/${encodeURIComponent(id)}/logs/stream`;

export interface WorkspacePageProps {
  readonly clusterName: string;
  readonly status: WorkspaceStatus;
  readonly request: StartWorkspaceRequest;
  readonly paths: WorkspacePaths;
}

/** `/home/me/ws` stays bare; `/tmp/a b` becomes `'/tmp/a b'`, so the copied command works in any POSIX shell. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/.,:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The file the user came from inside the checkout, or the checkout itself when the path would leave it. */
export function openTarget(paths: WorkspacePaths, context: StartWorkspaceRequest['context']) {
  const wanted = context.path !== undefined ? resolve(paths.repo, context.path.path) : paths.repo;
  const inside = relative(paths.repo, wanted);
  const file = inside.startsWith('..') || isAbsolute(inside) ? paths.repo : wanted;
  const line = file !== paths.repo && context.path?.kind === 'file' ? context.lines?.start : undefined;
  // Each segment encoded: a `#` or `?` in a directory name must not end the path part of the link.
  const encoded = file.split('/').map(encodeURIComponent).join('/');
  return { file, line, vscodeUrl: `vscode://file${encoded}${line !== undefined ? `:${line}` : ''}` };
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

export function WorkspacePage({ clusterName, status, request, paths }: WorkspacePageProps) {
  const { context } = request;
  const repoName = `${context.repo.owner}/${context.repo.name}`;
  const target = openTarget(paths, context);
  const cd = `cd ${shellQuote(paths.repo)}`;
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
          <p id="failure" class="failure" hidden={status.failure === undefined}>
            {status.failure ?? ''}
          </p>
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
              <code id="workspace-path">{paths.repo}</code>
            </dd>
          </dl>
          {request.type === 'regular' && (
            <div class="open">
              <a id="open-vscode" href={target.vscodeUrl}>
                Open in VS Code
              </a>
              <code id="cd-command">{cd}</code>
              <button type="button" data-copy={cd}>
                Copy
              </button>
            </div>
          )}
          <h2>Logs</h2>
          <noscript>Live logs need JavaScript; the files are in {paths.logs}.</noscript>
          <div id="logs" />
        </main>
        <script
          type="application/json"
          id="page-data"
          dangerouslySetInnerHTML={{ __html: safeJson({ streamUrl: logStreamPath(status.id) }) }}
        />
        <script src={WORKSPACE_SCRIPT_PATH} defer />
      </body>
    </html>
  );
}

export function renderWorkspacePage(props: WorkspacePageProps): string {
  return `<!doctype html>${renderToString(<WorkspacePage {...props} />)}`;
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
