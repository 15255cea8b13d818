// The toolbar popup: the current tab's context as the extension reads it (repository, branch or pull request, its
// prebuild state) and an Open button, or why this page cannot be opened — and, on a self-hosted instance, "Enable on
// this site" for exactly that origin, at its root or at the sub-path the page itself states (Gitea's `appSubUrl`;
// other hosts' pages do not say: the options page takes a base path). Below, the user's workspaces on their
// launcher with Open, Stop, Restart and Delete. Opened as a tab (`popup.html#<page URL>`, as the browser tests do)
// it describes that page instead of the tab.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { HOST_FAMILY_IDS } from '../../../shared/hosts/family-ids.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { familyPages } from '../hosts/family-pages.ts';
import { type PageSignals, readPageSignals } from '../hosts/page-signals.ts';
import type { ActionAnswer, PopupState, PopupWorkspace, WorkspaceAction } from '../popup-state.ts';
import { originPermission } from '../self-hosted-site.ts';

function Popup() {
  const [page, setPage] = useState<string>();
  const [state, setState] = useState<PopupState>();
  const [stopNote, setStopNote] = useState<{ message: string; manageUrl: string }>();
  const [family, setFamily] = useState<HostFamilyId>();
  const [basePath, setBasePath] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const inTab = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : undefined;
      const url = inTab ?? tab?.url ?? '';
      setPage(url);
      if (url === '') {
        setState({
          launch: { ok: false, message: 'Launchpod cannot see this tab’s address.' },
          workspaces: { kind: 'no-launcher' },
        });
        return;
      }
      setState((await browser.runtime.sendMessage({ type: 'popup-state', pageUrl: url })) as PopupState);
      if (inTab !== undefined) return;
      // activeTab lets the popup read this page's application-name meta: is it a self-hosted git host?
      if (tab?.id !== undefined && /^https?:/.test(url)) {
        const [result] = await browser.scripting
          .executeScript({
            target: { tabId: tab.id },
            // The same signals the content scripts' family pieces recognise (extension/src/hosts/<family>-page.ts).
            func: readPageSignals,
          })
          .catch(() => []);
        const signals = result?.result as PageSignals | undefined;
        const detected =
          signals === undefined
            ? undefined
            : HOST_FAMILY_IDS.find((f) => familyPages[f].recognises?.(signals) === true);
        if (detected) {
          setFamily(detected);
          if (signals !== undefined) setBasePath(familyPages[detected].basePath?.(signals) ?? '');
        }
      }
    })();
  }, []);

  const enable = async () => {
    if (page === undefined || family === undefined) return;
    const origin = new URL(page).origin;
    // Both sent inside the click's own handler, before any await: Firefox grants a request only there, and may
    // close the popup while its prompt is up — the background saves the site and registers the content script
    // when the grant arrives (permissions.onAdded).
    void browser.runtime.sendMessage({ type: 'add-self-hosted', origin, family, basePath }).catch(() => {});
    const site = { origin, family, basePath };
    const asking = browser.permissions.request({ origins: [originPermission(site)] }).catch(() => false);
    const granted = await asking;
    setNote(granted ? `Enabled on ${origin}: reload the page.` : `${origin} was not granted.`);
  };

  const refresh = async () => {
    if (page !== undefined)
      setState((await browser.runtime.sendMessage({ type: 'popup-state', pageUrl: page })) as PopupState);
  };
  const act = async (workspace: PopupWorkspace, action: WorkspaceAction) => {
    const answer = (await browser.runtime.sendMessage({
      type: 'workspace-action',
      id: workspace.id,
      action,
    })) as ActionAnswer;
    setStopNote(answer.ok ? undefined : answer);
    await refresh();
  };

  if (state === undefined) return <p>Reading this page…</p>;
  const answer = state.launch;
  return (
    <main>
      {state.context !== undefined && (
        <p id="context">
          <strong>{state.context.repo}</strong>
          <br />
          {state.context.at}
          {state.prebuild !== undefined && (
            <span id="prebuild" data-state={state.prebuild}>
              {' · '}
              {PREBUILD_WORDS[state.prebuild]}
            </span>
          )}
        </p>
      )}
      {answer.ok ? (
        <>
          <p>
            Context: <code>{page}</code>
          </p>
          <a class="open" href={answer.url} target="_blank" rel="noopener">
            Open in workspace
          </a>
        </>
      ) : (
        <p role="alert">{answer.message}</p>
      )}
      {!answer.ok && family !== undefined && (
        <p>
          <button type="button" id="enable-site" onClick={enable}>
            Enable on this site
          </button>{' '}
          {note}
        </p>
      )}
      {!answer.ok && family !== undefined && (
        <p>
          Does the instance live under a path, like https://corp.example/gitlab? Add that address in the
          options instead.
        </p>
      )}
      <Workspaces state={state} act={act} note={stopNote} />
      <p>
        <a href="options.html" target="_blank" rel="noopener">
          Options
        </a>
      </p>
    </main>
  );
}

const PREBUILD_WORDS = {
  ready: 'prebuild ready',
  building: 'prebuild building',
  none: 'no prebuild',
} as const;

function Workspaces(props: {
  state: PopupState;
  act: (workspace: PopupWorkspace, action: WorkspaceAction) => Promise<void>;
  note: { message: string; manageUrl: string } | undefined;
}) {
  const { workspaces } = props.state;
  // Delete asks twice, in place: a popup closes on a dialog.
  const [deleting, setDeleting] = useState<string>();
  if (workspaces.kind === 'no-launcher') return null;
  return (
    <section id="workspaces">
      <h2>Your workspaces</h2>
      {workspaces.kind === 'unreachable' ? (
        <p role="alert">{workspaces.message}</p>
      ) : workspaces.workspaces.length === 0 ? (
        <p>None yet: Open in workspace starts one.</p>
      ) : (
        <ul>
          {workspaces.workspaces.map((w) => (
            <li key={w.id} data-workspace={w.id} data-phase={w.phase}>
              {w.repo} · {w.at} <span class="phase">{w.phase}</span>{' '}
              {w.openUrl !== undefined && (
                <a href={w.openUrl} target="_blank" rel="noopener">
                  Open
                </a>
              )}{' '}
              {w.stoppable && (
                <button type="button" onClick={() => void props.act(w, 'stop')}>
                  Stop
                </button>
              )}
              {w.restartable && (
                <button type="button" onClick={() => void props.act(w, 'restart')}>
                  Restart
                </button>
              )}{' '}
              {deleting === w.id ? (
                <button type="button" class="danger" onClick={() => void props.act(w, 'delete')}>
                  Delete its files for good
                </button>
              ) : (
                <button type="button" onClick={() => setDeleting(w.id)}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.note !== undefined && (
        <p role="alert" id="action-note">
          {props.note.message}{' '}
          <a href={props.note.manageUrl} target="_blank" rel="noopener">
            Your workspaces
          </a>
        </p>
      )}
      <p>
        <a href={workspaces.manageUrl} target="_blank" rel="noopener">
          All your workspaces
        </a>
      </p>
    </section>
  );
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
