// Starts the workspace's VS Code in the browser (code-server) INSIDE its sandbox, on a unix socket only the cluster
// reaches (`--auth none` is safe there: the cluster authenticates the owner before it forwards anything). Keeps
// VS Code's settings and extensions under /workspace/.launchpod (they survive a restart, like the files), installs
// the Launchpod extension into them, then runs code-server in the foreground.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const config = JSON.parse(fs.readFileSync('/launchpod/agent/config.json', 'utf8'));
const home = '/workspace/.launchpod/vscode';
const userData = path.join(home, 'data');
const extensions = path.join(home, 'extensions');
const ours = 'launchpod.launchpod-0.1.0';
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(extensions, { recursive: true });

// The Launchpod extension, fresh from the cluster on every start, listed where VS Code looks for installed ones.
fs.rmSync(path.join(extensions, ours), { recursive: true, force: true });
fs.cpSync('/launchpod/agent-code/extension', path.join(extensions, ours), { recursive: true });
const listFile = path.join(extensions, 'extensions.json');
let listed = [];
try {
  listed = JSON.parse(fs.readFileSync(listFile, 'utf8'));
} catch {
  listed = [];
}
listed = listed.filter((e) => e?.identifier?.id !== 'launchpod.launchpod');
listed.push({
  identifier: { id: 'launchpod.launchpod' },
  version: '0.1.0',
  location: { $mid: 1, path: path.join(extensions, ours), scheme: 'file' },
  relativeLocation: ours,
  metadata: { installedTimestamp: Date.now(), source: 'vsix', pinned: true },
});
fs.writeFileSync(listFile, JSON.stringify(listed));
fs.rmSync(path.join(extensions, '.obsolete'), { force: true });

// Quiet defaults a person can change: no welcome page over the file they came for, no AI chat, no update checks.
const settingsFile = path.join(userData, 'User', 'settings.json');
let settings = {};
try {
  settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
} catch {
  settings = {};
}
const defaults = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'remote.autoForwardPorts': true,
};
fs.writeFileSync(settingsFile, JSON.stringify({ ...defaults, ...settings }, null, 2));

fs.rmSync('/launchpod/run/editor.sock', { force: true });
const child = spawn(
  process.execPath,
  [
    config.editorEntry,
    '--auth',
    'none',
    '--socket',
    '/launchpod/run/editor.sock',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--proxy-domain',
    config.proxyDomain,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--app-name',
    'Launchpod',
    config.folder,
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      VSCODE_PROXY_URI: config.portUrlTemplate,
      SHELL: fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh',
    },
  },
);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
