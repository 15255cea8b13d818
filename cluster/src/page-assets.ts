// The workspace page's stylesheet and its one script, served from the cluster's own origin so the page's CSP can
// allow 'self' and nothing else. The script never writes HTML: log text and statuses go in as text nodes.

export const WORKSPACE_CSS = `
:root { color-scheme: light dark; --muted: #6b7280; --border: #d1d5db; --bad: #b91c1c; --good: #15803d; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
.phase { display: inline-block; padding: 0 .5rem; border: 1px solid var(--border); border-radius: 1rem; }
.phase[data-phase="running"] { color: var(--good); border-color: var(--good); }
.phase[data-phase="failed"] { color: var(--bad); border-color: var(--bad); }
.failure { color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
.actions form { margin: 0; }
.button, .actions button { display: inline-block; padding: .35rem .9rem; border: 1px solid var(--border);
  border-radius: .35rem; background: none; font: inherit; color: inherit; cursor: pointer; text-decoration: none; }
#open-editor { border-color: var(--good); color: var(--good); }
#step { color: var(--muted); }
.log h3 { font-size: .95rem; margin: 1rem 0 .25rem; }
.log pre { max-height: 24rem; overflow: auto; padding: .5rem; border: 1px solid var(--border); white-space: pre-wrap; }
`;

export const WORKSPACE_SCRIPT = `'use strict';
(() => {
  const data = JSON.parse(document.getElementById('page-data').textContent);
  const phase = document.getElementById('phase');
  const failure = document.getElementById('failure');
  const step = document.getElementById('step');
  const logs = document.getElementById('logs');
  const panes = new Map();

  function pane(name) {
    let pre = panes.get(name);
    if (pre) return pre;
    const section = document.createElement('section');
    section.className = 'log';
    const title = document.createElement('h3');
    title.textContent = name;
    pre = document.createElement('pre');
    section.append(title, pre);
    logs.append(section);
    panes.set(name, pre);
    return pre;
  }

  let shownPhase = phase.dataset.phase;
  function showStatus(status) {
    phase.textContent = status.phase;
    phase.dataset.phase = status.phase;
    failure.textContent = status.failure || '';
    failure.hidden = !status.failure;
    step.textContent = status.step || '';
    step.hidden = !status.step;
    // A new phase brings other buttons: the page shows them as the server renders them.
    if (status.phase !== shownPhase && ['running', 'stopped', 'failed', 'deleted'].includes(status.phase)) {
      shownPhase = status.phase;
      if (!data.waitForEditor) location.reload();
    }
  }

  // The owner came for the editor: go there as soon as it answers.
  if (data.waitForEditor) {
    const poll = () => fetch(data.statusUrl, { cache: 'no-store' })
      .then((r) => r.json())
      .then((s) => {
        showStatus(s);
        if (s.phase === 'running' && s.editorReady) location.replace('/');
        else if (s.phase !== 'failed' && s.phase !== 'stopped' && s.phase !== 'deleted') setTimeout(poll, 500);
      }, () => setTimeout(poll, 1000));
    poll();
  }

  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => { if (!confirm(form.dataset.confirm)) event.preventDefault(); });
  }

  const source = new EventSource(data.streamUrl);
  // A reconnect replays every log from the start: clear what is shown rather than print it twice.
  source.addEventListener('open', () => { for (const pre of panes.values()) pre.textContent = ''; });
  source.addEventListener('log', (event) => {
    const { task, text } = JSON.parse(event.data);
    const pre = pane(task);
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(text);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  });
  source.addEventListener('status', (event) => showStatus(JSON.parse(event.data)));
  source.addEventListener('end', () => source.close());

})();
`;
