// The workspace agent: runs INSIDE a workspace's sandbox (on the editor's Node), started by the cluster once the
// workspace is running. It runs each `.gitpod.yml` task's `command` in its own terminal (a pty with an interactive
// shell, the command typed into it, as Gitpod does), keeps each terminal's scrollback, and lets the editor's
// Launchpod extension attach to them over /launchpod/run/agent.sock. It relays terminal output to the cluster on
// stdout as `T<index> <base64>` lines, which the cluster appends to the task's log. It is the workspace's own code:
// it holds nothing the workspace may not see, and the cluster trusts nothing it says.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const CONFIG = '/launchpod/agent/config.json';
const SOCKET = '/launchpod/run/agent.sock';
const SCROLLBACK = 256 * 1024;

const config = JSON.parse(fs.readFileSync(CONFIG, 'utf8'));
const pty = require(path.join(config.editorModules, 'node-pty'));

function shell() {
  for (const candidate of ['/bin/bash', '/usr/bin/bash', '/bin/sh'])
    if (fs.existsSync(candidate)) return candidate;
  return '/bin/sh';
}

/** One task terminal: its pty, what it printed (for a late attach) and who is attached now. */
function startTerminal(task, index) {
  const program = shell();
  const term = pty.spawn(program, ['-i'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 30,
    cwd: config.folder,
    env: { ...process.env, ...task.env, TERM: 'xterm-256color', LAUNCHPOD_TASK: String(index + 1) },
  });
  const terminal = { task, index, term, buffer: '', clients: new Set(), exited: undefined };
  const show = (text) => {
    terminal.buffer = (terminal.buffer + text).slice(-SCROLLBACK);
    for (const client of terminal.clients) send(client, { data: text });
  };
  const emit = (text) => {
    show(text);
    process.stdout.write(`T${index} ${Buffer.from(text).toString('base64')}\n`);
  };
  // What init printed (already in the task's log), so the terminal tells the whole story of the task; then the
  // command, typed as a person would.
  const initLog = path.join('/launchpod/agent/logs', `${index + 1}.log`);
  if (fs.existsSync(initLog)) {
    const text = fs.readFileSync(initLog, 'utf8').replace(/\r?\n/g, '\r\n');
    if (text.trim() !== '') show(`\x1b[2m${text}\x1b[0m\r\n`);
  }
  term.onData(emit);
  term.onExit(({ exitCode }) => {
    terminal.exited = exitCode;
    emit(`\r\n[the shell of task ${index + 1} exited with ${exitCode}]\r\n`);
  });
  if (task.command !== undefined && task.command.trim() !== '')
    typeWhenReady(term, `${task.command.trim()}\r`);
  return terminal;
}

/**
 * Types the command once the shell is reading: after its first output (the prompt) and a quiet moment (50 ms), as a
 * person would. Typed at once, into a shell still starting, the terminal showed it twice: echoed before the prompt,
 * then again after it. A shell that shows nothing gets it after five seconds.
 */
function typeWhenReady(term, text) {
  let typed = false;
  let quiet;
  const type = () => {
    if (typed) return;
    typed = true;
    clearTimeout(quiet);
    clearTimeout(fallback);
    heard.dispose();
    term.write(text);
  };
  const fallback = setTimeout(type, 5000);
  const heard = term.onData(() => {
    clearTimeout(quiet);
    quiet = setTimeout(type, 50);
  });
}

function send(socket, message) {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

const terminals = (config.tasks || []).map((task, index) => startTerminal(task, index));

/** `{"attach": 0}` → the scrollback, then live output; `{"input": "ls\r"}`, `{"resize": {"cols": 80, "rows": 24}}`. */
function serve(socket) {
  let terminal;
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof message.attach === 'number' && terminal === undefined) {
        terminal = terminals[message.attach];
        if (terminal === undefined) return send(socket, { error: `no task ${message.attach + 1}` });
        terminal.clients.add(socket);
        send(socket, { name: terminal.task.name || `Task ${terminal.index + 1}`, data: terminal.buffer });
      } else if (
        typeof message.input === 'string' &&
        terminal !== undefined &&
        terminal.exited === undefined
      ) {
        terminal.term.write(message.input);
        touchActivity();
      } else if (message.resize && terminal !== undefined && terminal.exited === undefined) {
        const { cols, rows } = message.resize;
        if (Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0)
          terminal.term.resize(cols, rows);
      } else if (message.list === true) {
        send(socket, {
          tasks: terminals.map((t) => ({ index: t.index, name: t.task.name || `Task ${t.index + 1}` })),
        });
      }
    }
  });
  socket.on('close', () => terminal?.clients.delete(socket));
  socket.on('error', () => socket.destroy());
}

let lastTouch = 0;
/** Typing in a task terminal is activity: the cluster reads this file's time for its idle timeout. */
function touchActivity() {
  const now = Date.now();
  if (now - lastTouch < 10_000) return;
  lastTouch = now;
  try {
    fs.writeFileSync('/launchpod/run/activity', String(now));
  } catch {
    // the cluster then sees no activity from here; nothing else depends on it
  }
}

fs.rmSync(SOCKET, { force: true });
const server = net.createServer(serve);
server.listen(SOCKET, () => fs.chmodSync(SOCKET, 0o600));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const t of terminals) if (t.exited === undefined) t.term.kill();
    server.close();
    process.exit(0);
  });
}
