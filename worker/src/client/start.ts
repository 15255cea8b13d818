// Runs on the start page: starts the workspace (once, whatever the number of clicks or reloads: the idempotency key
// is fixed when the page is rendered), follows its phases, then goes to the workspace URL the launcher checked.

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
  readonly failure?: string;
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

async function follow(id: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(`/api/v1/workspaces/${encodeURIComponent(id)}`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return say(await problem(response), true);
    const workspace = (await response.json()) as WorkspaceJson;
    showPhase(workspace.phase);
    if (workspace.phase === 'failed') return say(workspace.failure ?? 'The workspace failed to start.', true);
    if (workspace.phase === 'running' && workspace.url !== undefined) {
      say('Ready. Taking you to your workspace…');
      location.assign(workspace.url);
      return;
    }
    say(`Workspace ${workspace.phase}…`);
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 500 : 1500));
  }
  say('The workspace is taking unusually long. Reload this page to keep following it.', true);
}

async function start(): Promise<void> {
  if (button !== null) button.disabled = true;
  say('Starting…');
  const response = await fetch('/api/v1/workspaces', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': data.idempotencyKey,
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

if (data.autostart) void start();
else button?.addEventListener('click', () => void start());

export {};
