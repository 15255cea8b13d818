/** @jsxImportSource preact */
// "Your workspaces": every workspace of this browser's owner (or signed-in user) with what it is doing and Open,
// Stop, Restart, Delete — plain forms, posted to the launcher (same-origin only), so it works without its script.

import { changeRequestText } from '../../../shared/host-registry.ts';
import type { WorkspaceRecord } from '../workspaces.ts';
import { Layout } from './layout.tsx';

interface Summary {
  readonly repo?: string;
  readonly host?: string;
  readonly family?: string;
  readonly ref?: { name: string; type: string };
  readonly sha?: string;
  readonly pullRequest?: number;
  readonly issue?: number;
}

function describe(record: WorkspaceRecord): { title: string; detail: string } {
  let summary: Summary = {};
  try {
    summary = JSON.parse(record.contextJson) as Summary;
  } catch {
    summary = {};
  }
  const where =
    summary.pullRequest !== undefined
      ? changeRequestText(summary.family, summary.pullRequest)
      : summary.issue !== undefined
        ? `issue #${summary.issue}`
        : summary.ref !== undefined
          ? `${summary.ref.type} ${summary.ref.name}`
          : `commit ${summary.sha?.slice(0, 12) ?? ''}`;
  return { title: summary.repo ?? record.contextUrl, detail: `${where} on ${summary.host ?? ''}` };
}

const ago = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
};

export function WorkspacesPage({
  brand,
  workspaces,
  now,
  notice,
}: {
  readonly brand: string;
  readonly workspaces: readonly WorkspaceRecord[];
  readonly now: number;
  readonly notice?: string;
}) {
  return (
    <Layout brand={brand} title="Your workspaces">
      <h1>Your workspaces</h1>
      {notice !== undefined && (
        <div class="notice" role="status">
          {notice}
        </div>
      )}
      {workspaces.length === 0 ? (
        <p id="no-workspaces">
          You have no workspaces yet. <a href="/">Open a repository</a> to start one.
        </p>
      ) : (
        <ul class="workspaces" id="workspaces">
          {workspaces.map((w) => {
            const { title, detail } = describe(w);
            const ended = w.phase === 'stopped' || w.phase === 'failed';
            const busy = w.phase === 'stopping';
            return (
              <li data-workspace={w.id} data-phase={w.phase}>
                <div class="workspace-head">
                  <strong>{title}</strong> <span class="phase">{w.phase}</span>
                </div>
                <div class="muted">
                  {detail} · cluster {w.cluster} · started {ago(now - w.createdAt)}
                </div>
                {w.failure !== null && <div class="bad">{w.failure}</div>}
                <div class="actions">
                  {w.url !== null && (
                    <a class="button" href={`/workspaces/${encodeURIComponent(w.id)}/open`}>
                      Open
                    </a>
                  )}
                  {!ended && !busy && (
                    <form method="post" action={`/workspaces/${encodeURIComponent(w.id)}/stop`}>
                      <button type="submit">Stop</button>
                    </form>
                  )}
                  {ended && (
                    <form method="post" action={`/workspaces/${encodeURIComponent(w.id)}/restart`}>
                      <button type="submit">Restart</button>
                    </form>
                  )}
                  <form method="post" action={`/workspaces/${encodeURIComponent(w.id)}/delete`}>
                    <button type="submit">Delete</button>
                  </form>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

/** Whether git inside one workspace may push with the signed-in owner's token for its host. */
export function GitAccessPage({
  brand,
  record,
  host,
  login,
  csrf,
}: {
  readonly brand: string;
  readonly record: WorkspaceRecord;
  readonly host: string;
  readonly login: string | undefined;
  readonly csrf: string;
}) {
  const { title } = describe(record);
  return (
    <Layout brand={brand} title="Git access">
      <h1>Let git in this workspace push as you?</h1>
      <p>
        Workspace <code>{record.id}</code> ({title}) asks for your {host} credentials
        {login !== undefined && <> (signed in as {login})</>}. Allowing it lets git in that workspace push to
        and fetch from {host} as you, until you take it back or the workspace is deleted. Its code — the
        repository's tasks included — can then use your access to {host}: allow it only for a repository you
        trust.
      </p>
      <p>
        Now: <strong id="git-access">{record.gitAccess ? 'allowed' : 'not allowed'}</strong>
      </p>
      <form method="post" action={`/workspaces/${encodeURIComponent(record.id)}/git-access`}>
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="allow" value={record.gitAccess ? '0' : '1'} />
        <button type="submit" id="git-access-toggle">
          {record.gitAccess ? 'Take it back' : `Allow git to use my ${host} access here`}
        </button>
      </form>
    </Layout>
  );
}
