// Runs on the start page: starts the workspace (once, whatever the number of clicks: the idempotency key is fixed
// when the page is rendered; a reload is offered the workspace it started), follows its phases and the step it is
// in, shows its init log live, then opens it through the launcher (which hands the owner over to its origin).

interface PageData {
  readonly url: string;
  readonly options: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly autostart: boolean;
}

interface WorkspaceJson {
  readonly id: string;
  readonly phase: string;
  readonly url?: string;
  readonly openUrl?: string;
  readonly failure?: string;
  readonly step?: string;
}

const data = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as PageData;
const status = document.getElementById('status');
const button = document.getElementById('start') as HTMLButtonElement | null;
const order = ['pending', 'creating', 'initializing', 'running'];

function say(text: string, bad = false): void {
  if (status === null) return;
  status.textContent = text;
  status.className = bad ? 'notice bad' : '';
}

function showPhase(phase: string): void {
  const at = order.indexOf(phase);
  for (const item of Array.from(document.querySelectorAll<HTMLElement>('#phases li'))) {
    const index = order.indexOf(item.dataset.phase ?? '');
    item.className =
      phase === 'failed'
        ? index === 0
          ? 'failed'
          : ''
        : index < at
          ? 'done'
          : index === at
            ? 'current'
            : '';
  }
}

async function problem(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    return body.detail ?? body.title ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// ---- The init log, live -------------------------------------------------------------------------------------------
const live = document.getElementById('live');
const logs = document.getElementById('logs');
const panes = new Map<string, HTMLPreElement>();
let logStream: EventSource | undefined;

function pane(task: string): HTMLPreElement {
  let pre = panes.get(task);
  if (pre !== undefined) return pre;
  const title = document.createElement('h3');
  title.textContent = task.replace(/^\d+-/, '');
  pre = document.createElement('pre');
  pre.className = 'log';
  logs?.append(title, pre);
  panes.set(task, pre);
  return pre;
}

/** Streams the workspace's task logs (through the launcher, owner only) into the page as text. */
function showLogs(id: string): void {
  if (logStream !== undefined || logs === null) return;
  logStream = new EventSource(`/api/v1/workspaces/${encodeURIComponent(id)}/logs`);
  // A reconnect replays the logs from the start: clear what is shown rather than print it twice.
  logStream.addEventListener('open', () => {
    for (const pre of panes.values()) pre.textContent = '';
  });
  logStream.addEventListener('log', (event) => {
    const { task, text } = JSON.parse((event as MessageEvent<string>).data) as { task: string; text: string };
    if (live !== null) live.hidden = false;
    const pre = pane(task);
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(text);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  });
  logStream.addEventListener('end', () => logStream?.close());
  logStream.addEventListener('error', () => logStream?.close());
}

async function follow(id: string): Promise<void> {
  showLogs(id);
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(id)}`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return say(await problem(response), true);
    const workspace = (await response.json()) as WorkspaceJson;
    showPhase(workspace.phase);
    if (workspace.phase === 'failed') return say(workspace.failure ?? 'The workspace failed to start.', true);
    if (workspace.phase === 'running' && workspace.openUrl !== undefined) {
      say('Ready. Taking you to your workspace…');
      logStream?.close();
      location.assign(workspace.openUrl);
      return;
    }
    say(workspace.step !== undefined ? `${workspace.step}…` : `Workspace ${workspace.phase}…`);
    // A workspace from a prebuild runs within a few hundred ms: ask often at first (bench/e2e), then back off.
    await new Promise((resolve) => setTimeout(resolve, attempt < 15 ? 200 : attempt < 30 ? 500 : 1500));
  }
  say('The workspace is taking unusually long. Reload this page to keep following it.', true);
}

/** Which prebuild to start from when the exact commit's is still building: the server's choice, or the last ready. */
type PrebuildPreference = 'default' | 'last-ready';

async function start(preference: PrebuildPreference = 'default'): Promise<void> {
  waiting = false;
  if (button !== null) button.disabled = true;
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('#prebuild-wait button')))
    b.disabled = true;
  say('Starting…');
  const response = await fetch('/api/v1/workspaces', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': data.idempotencyKey,
      ...(preference === 'last-ready' && { 'x-launchpod-prebuild': 'last-ready' }),
    },
    body: JSON.stringify({ url: data.url, options: data.options }),
  });
  if (!response.ok) {
    if (button !== null) button.disabled = false;
    return say(await problem(response), true);
  }
  const workspace = (await response.json()) as WorkspaceJson;
  showPhase(workspace.phase);
  await follow(workspace.id);
}

// ---- Waiting for the exact commit's prebuild ----------------------------------------------------------------------
const wait = document.getElementById('prebuild-wait');
const progress = document.getElementById('prebuild-progress');
let waiting = false;

interface PrebuildJson {
  readonly state: string;
  readonly error?: string;
}

/** Polls the prebuild until it ends or the wait limit (from the project's recent durations) passes, then starts. */
async function waitForPrebuild(id: string, limitMs: number, startedAt: number): Promise<void> {
  waiting = true;
  const deadline = Math.max(Date.now(), startedAt) + limitMs;
  const hasLastReady = document.getElementById('prebuild-last') !== null;
  while (waiting) {
    const response = await fetch(`/api/v1/prebuilds/${encodeURIComponent(id)}`, {
      headers: { accept: 'application/json' },
    });
    if (!waiting) return;
    const prebuild = response.ok ? ((await response.json()) as PrebuildJson) : undefined;
    if (prebuild?.state === 'ready') {
      if (progress !== null) progress.textContent = 'The prebuild is ready: starting from it.';
      return start();
    }
    if (prebuild === undefined || !['queued', 'building'].includes(prebuild.state)) {
      if (progress !== null)
        progress.textContent = `The prebuild ended ${prebuild?.state ?? 'badly'}${prebuild?.error ? `: ${prebuild.error}` : ''}. Starting without it.`;
      return start();
    }
    const elapsed = Math.round((Date.now() - startedAt) / 1000);
    if (progress !== null)
      progress.textContent = `The prebuild of this commit is ${prebuild.state} (${elapsed} s so far, waiting up to ${Math.round(limitMs / 60_000)} min).`;
    if (Date.now() > deadline) {
      if (progress !== null)
        progress.textContent = 'The prebuild is taking longer than usual: starting without waiting.';
      return start(hasLastReady ? 'last-ready' : 'default');
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

document.getElementById('prebuild-skip')?.addEventListener('click', () => void start());
document.getElementById('prebuild-last')?.addEventListener('click', () => void start('last-ready'));

if (data.autostart && wait !== null)
  void waitForPrebuild(
    wait.dataset.prebuildId ?? '',
    Number(wait.dataset.waitMs ?? 600_000),
    Number(wait.dataset.startedAt ?? Date.now()),
  );
else if (data.autostart) void start();
else button?.addEventListener('click', () => void start());

export {};
