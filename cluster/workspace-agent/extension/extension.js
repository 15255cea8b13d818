// The Launchpod extension, loaded by the workspace's VS Code (code-server) inside the sandbox: it opens the file and
// lines the user came from, shows each `.gitpod.yml` task as a terminal attached to the workspace agent, acts on
// declared ports as their `onOpen` says (and opens any listening port on request), and records the user's activity
// for the cluster's idle timeout. It runs as the workspace's code and holds nothing the workspace may not see.

const vscode = require('vscode');
const fs = require('node:fs');
const net = require('node:net');

const CONFIG = '/launchpod/agent/config.json';
const AGENT = '/launchpod/run/agent.sock';
const ACTIVITY = '/launchpod/run/activity';

function readConfig() {
  try {
    return JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A terminal whose process is a task's pty in the agent: scrollback first, then live, keys back. */
function taskTerminal(index, name) {
  const write = new vscode.EventEmitter();
  const close = new vscode.EventEmitter();
  let socket;
  let pending = '';
  let size;
  const pty = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open(dimensions) {
      size = dimensions;
      socket = net.connect(AGENT);
      socket.setEncoding('utf8');
      socket.on('connect', () => {
        socket.write(`${JSON.stringify({ attach: index })}\n`);
        if (size) socket.write(`${JSON.stringify({ resize: { cols: size.columns, rows: size.rows } })}\n`);
      });
      socket.on('data', (chunk) => {
        pending += chunk;
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          try {
            const message = JSON.parse(line);
            if (typeof message.data === 'string') write.fire(message.data);
            if (typeof message.error === 'string') write.fire(`\r\n${message.error}\r\n`);
          } catch {
            // not a message of ours
          }
        }
      });
      socket.on('error', () =>
        write.fire('\r\n[the workspace agent is not answering; reload the window]\r\n'),
      );
    },
    close() {
      socket?.destroy();
    },
    handleInput(data) {
      socket?.write(`${JSON.stringify({ input: data })}\n`);
      activity();
    },
    setDimensions(dimensions) {
      size = dimensions;
      socket?.write(`${JSON.stringify({ resize: { cols: dimensions.columns, rows: dimensions.rows } })}\n`);
    },
  };
  return vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('tools') });
}

let lastActivity = 0;
function activity() {
  const now = Date.now();
  if (now - lastActivity < 10_000) return;
  lastActivity = now;
  try {
    fs.writeFileSync(ACTIVITY, String(now));
  } catch {
    // the cluster then counts the editor's own requests only
  }
}

/** Ports listening on any address in this network namespace, from /proc/net/tcp{,6} (state 0A = LISTEN). */
function listeningPorts() {
  const ports = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') ports.add(Number.parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

function portUrl(config, port) {
  return config.portUrlTemplate.replace('{{port}}', String(port));
}

function declared(config, port) {
  return (config.ports || []).find((p) =>
    p.port !== undefined
      ? p.port === port
      : p.range !== undefined && port >= p.range[0] && port <= p.range[1],
  );
}

async function onPortOpened(config, port) {
  const spec = declared(config, port);
  if (spec === undefined || spec.onOpen === 'ignore' || spec.onOpen === 'ignore-completely') return;
  const url = portUrl(config, port);
  const label = spec.name ? `${spec.name} (port ${port})` : `Port ${port}`;
  // The preview opens beside what the user has open and leaves them typing where they were.
  const preview = () =>
    vscode.commands.executeCommand('simpleBrowser.show', url, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  if (spec.onOpen === 'open-preview') {
    await preview();
  } else if (spec.onOpen === 'open-browser') {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  } else {
    const choice = await vscode.window.showInformationMessage(
      `${label} is open${spec.visibility === 'public' ? ' (public)' : ''}.`,
      'Open Preview',
      'Open in Browser',
    );
    if (choice === 'Open Preview') await preview();
    if (choice === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}

async function openContext(config) {
  const open = config.open;
  if (open === undefined) return;
  // Once per workspace: a reload keeps whatever the user has open since.
  const marker = `/workspace/.launchpod/opened-${config.instance}`;
  if (fs.existsSync(marker)) return;
  try {
    fs.mkdirSync('/workspace/.launchpod', { recursive: true });
    fs.writeFileSync(marker, '');
  } catch {
    // opening still works; a reload opens it again
  }
  const uri = vscode.Uri.file(open.path);
  if (open.kind === 'folder') {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const last = Math.max(0, document.lineCount - 1);
  const start = Math.min(Math.max(0, (open.startLine ?? 1) - 1), last);
  const end = Math.min(Math.max(start, (open.endLine ?? open.startLine ?? 1) - 1), last);
  const selection =
    open.startLine === undefined
      ? undefined
      : new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  const editor = await vscode.window.showTextDocument(document, {
    preview: false,
    ...(selection && { selection }),
  });
  if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenter);
}

exports.activate = async (context) => {
  const config = readConfig();
  if (config === undefined) return;

  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument(activity),
    vscode.window.onDidChangeTextEditorSelection(activity),
    vscode.window.onDidChangeActiveTextEditor(activity),
    vscode.window.onDidChangeWindowState((state) => state.focused && activity()),
    vscode.window.onDidOpenTerminal(activity),
  );

  const terminals = (config.tasks || [])
    .map((task, index) => ({ task, index }))
    .filter(({ task }) => task.command);
  const showTerminals = () => {
    let first;
    for (const { task, index } of terminals) {
      const terminal = taskTerminal(index, task.name || `Task ${index + 1}`);
      first ??= terminal;
    }
    first?.show(true);
  };
  showTerminals();

  context.subscriptions.push(
    vscode.commands.registerCommand('launchpod.openWorkspacePage', () =>
      vscode.env.openExternal(vscode.Uri.parse(config.workspacePageUrl)),
    ),
    vscode.commands.registerCommand('launchpod.openTaskTerminals', showTerminals),
    vscode.commands.registerCommand('launchpod.openPort', async () => {
      const ports = [...listeningPorts()].filter((p) => p > 0).sort((a, b) => a - b);
      const pick = await vscode.window.showQuickPick(
        ports.map((p) => ({ label: String(p), description: declared(config, p)?.name ?? '' })),
        { placeHolder: ports.length === 0 ? 'No port is listening yet' : 'Open which port in the browser?' },
      );
      if (pick) await vscode.env.openExternal(vscode.Uri.parse(portUrl(config, Number(pick.label))));
    }),
  );
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.text = '$(rocket) Launchpod';
  status.tooltip = 'This workspace on Launchpod: stop, restart or delete it';
  status.command = 'launchpod.openWorkspacePage';
  status.show();
  context.subscriptions.push(status);

  // Declared ports act as their onOpen says the first time they listen.
  const seen = new Set(listeningPorts());
  const timer = setInterval(() => {
    for (const port of listeningPorts()) {
      if (seen.has(port)) continue;
      seen.add(port);
      onPortOpened(config, port).catch(() => {});
    }
  }, 1000);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
  for (const port of seen) onPortOpened(config, port).catch(() => {});

  await openContext(config).catch((error) =>
    vscode.window.showWarningMessage(`Launchpod could not open ${config.open?.path}: ${error.message}`),
  );
};

exports.deactivate = () => {};
