// The hostile sample repository: a `.gitpod.yml` whose init runs `probe.js`, which tries everything a stranger's
// repository could try against the machine it runs on — other processes' environments and command lines (the
// cluster's secret, a concurrent clone's credential), other workspaces' files, the snapshot store, the cluster's and
// the launcher's state, loopback and host services, cloud metadata, writing outside its folder or onto a disk
// outside its own folders, a fork bomb and allocating past its memory — and writes what it managed to `.probe-report.json` beside itself. Targets it
// cannot guess (paths, ports, secrets to look for) come from `probe-targets.json` when the test commits one.
// Pure data (strings), so the fakes can serve it from workerd too. The probe never changes anything it reaches:
// it reads, connects and closes, and writes only marker files.

/** Plain Node (the default image has Node 18): no template literals, so it sits in this file as a string. */
export const HOSTILE_PROBE = String.raw`'use strict';
const fs = require('fs');
const net = require('net');
const cp = require('child_process');
const path = require('path');

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { return undefined; }
}
const targets = readJson(path.join(__dirname, 'probe-targets.json')) || {};
const attempts = [];
const controls = [];
function record(name, succeeded, detail) {
  attempts.push({ name: name, succeeded: succeeded, detail: String(detail === undefined ? '' : detail).slice(0, 400) });
}
function control(name, ok, detail) {
  controls.push({ name: name, ok: ok, detail: String(detail === undefined ? '' : detail).slice(0, 200) });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const watch = {};
const secrets = (targets.secrets || []).filter(Boolean);

function pids() {
  try { return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)); } catch (e) { return []; }
}
function scanProcs(needles) {
  const found = [];
  for (const pid of pids()) {
    if (pid === String(process.pid)) continue;
    for (const file of ['environ', 'cmdline']) {
      let text = '';
      try { text = fs.readFileSync('/proc/' + pid + '/' + file, 'latin1'); } catch (e) { continue; }
      for (const needle of needles) if (text.includes(needle)) found.push(pid + '/' + file);
    }
  }
  return found;
}

function tryRead(label, file) {
  try {
    const text = fs.readFileSync(file, 'latin1');
    record('read ' + label, true, file + ': ' + text.length + ' bytes');
  } catch (e) { record('read ' + label, false, file + ': ' + e.code); }
}
function tryList(label, dir) {
  try { record('list ' + label, true, dir + ': ' + fs.readdirSync(dir).slice(0, 10).join(' ')); }
  catch (e) { record('list ' + label, false, dir + ': ' + e.code); }
}
function tryWrite(label, file) {
  try { fs.writeFileSync(file, 'written by the hostile probe\n'); record('write ' + label, true, file); }
  catch (e) { record('write ' + label, false, file + ': ' + e.code); }
}
function tryConnect(label, host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host, port: port });
    const done = (ok, detail) => { socket.destroy(); record('connect ' + label, ok, host + ':' + port + ' ' + detail); resolve(); };
    socket.setTimeout(2500, () => done(false, 'timed out'));
    socket.once('connect', () => done(true, 'connected'));
    socket.once('error', (e) => done(false, e.code));
  });
}

/** Walks what this process can see for file names the cluster or launcher keep, stopping after many entries. */
function findNames(names, root) {
  const found = [];
  const queue = [root];
  let seen = 0;
  while (queue.length > 0 && seen < 200000) {
    const dir = queue.shift();
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch (e) { continue; }
    for (const entry of entries) {
      seen++;
      const full = path.join(dir, entry.name);
      if (names.includes(entry.name)) found.push(full);
      if (entry.isDirectory() && !['/proc', '/sys', '/dev'].includes(full)) queue.push(full);
    }
  }
  return found;
}

function ancestors() {
  const chain = [];
  let pid = String(process.pid);
  while (pid !== '0' && !chain.includes(pid)) {
    chain.push(pid);
    try { pid = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').replace(/^.*\) /, '').split(' ')[1]; } catch (e) { break; }
  }
  return chain;
}

// Outside its own folders (/workspace, /launchpod/run: the cluster watches their size), whatever a workspace can
// write must be memory within its limit (tmpfs), not the host's disk, or a repository can fill that disk.
function writeToDiskOutsideItsFolders() {
  let mounts = [];
  try {
    mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')).filter((f) => f.length > 3);
  } catch (e) {}
  const mountOf = (dir) => mounts
    .filter((m) => dir === m[1] || dir.startsWith(m[1] === '/' ? '/' : m[1] + '/'))
    .sort((a, b) => b[1].length - a[1].length)[0];
  const onDisk = [];
  const dirs = ['/', '/tmp', '/var/tmp', '/dev/shm', '/run', process.env.HOME || '/home', '/etc', '/usr/local', '/opt', '/var', '/srv'];
  for (const dir of dirs) {
    const file = path.join(dir, '.launchpod-probe-' + process.pid);
    try { fs.writeFileSync(file, 'x'); } catch (e) { continue; }
    try { fs.unlinkSync(file); } catch (e) {}
    let real = dir;
    try { real = fs.realpathSync(dir); } catch (e) {}
    const mount = mountOf(real);
    if (!mount || mount[2] !== 'tmpfs') onDisk.push(dir + ' (' + (mount ? mount[2] : 'no mount found') + ')');
  }
  record('write to a disk outside its own folders', onDisk.length > 0, onDisk.join(' ') || 'only tmpfs is writable there');
}

async function forkBomb() {
  const limit = targets.pidsLimit || 0;
  const bomb = cp.spawn('sh', ['-c', 'b() { b | b & }; b'], { detached: true, stdio: 'ignore' });
  let most = 0;
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    // Listing /proc is not one instant: under churn one listing can name more processes than ever lived at once.
    // Those named by two listings in a row were all alive together between the two, so that count never overstates.
    const first = new Set(pids());
    most = Math.max(most, pids().filter((pid) => first.has(pid)).length);
    await sleep(50);
  }
  try { process.kill(-bomb.pid, 'SIGKILL'); } catch (e) {}
  // Whatever the group kill missed: every process but this one and the shells that started it.
  const keep = ancestors();
  for (const pid of pids()) {
    if (!keep.includes(pid)) { try { process.kill(Number(pid), 'SIGKILL'); } catch (e) {} }
  }
  await sleep(500);
  record('fork past the process limit', limit > 0 && most > limit, 'most processes seen at once: ' + most + ' (limit ' + limit + ')');
}

async function allocate() {
  const limit = targets.memoryLimitBytes || 0;
  const child = cp.spawn(process.execPath, ['-e',
    'const a=[];let mb=0;setInterval(()=>{for(let i=0;i<64;i++){a.push(Buffer.alloc(1<<20,1));mb++;}process.stdout.write(mb+"\\n");},5)'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  let mb = 0;
  child.stdout.on('data', (d) => { const n = String(d).trim().split('\n').pop(); mb = Number(n) || mb; });
  const ended = await new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('still running after 20 s'); }, 20000);
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve('ended with ' + (signal || code)); });
  });
  record('allocate past the memory limit', limit > 0 && mb * 1024 * 1024 > limit,
    'allocated ' + mb + ' MiB (limit ' + Math.round(limit / 1048576) + ' MiB), ' + ended);
}

async function main() {
  // Controls: what a workspace may do, so a report of nothing reached is not an empty probe.
  try { fs.writeFileSync(path.join(__dirname, '.probe-own-file'), 'ok'); control('write own checkout', true); }
  catch (e) { control('write own checkout', false, e.code); }
  control('see own environment', (process.env.PROBE_MARKER || '') !== '', process.env.PROBE_MARKER);

  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const uid = Number((/^Uid:\s+(\d+)/m.exec(status) || [])[1]);
  const caps = (/^CapEff:\s+(\w+)/m.exec(status) || [])[1];
  record('run as root or with capabilities', uid === 0 || !/^0+$/.test(caps || '0'), 'uid ' + uid + ', CapEff ' + caps);

  const found = scanProcs(secrets);
  record('read secrets from other processes', found.length > 0, found.join(' ') || pids().length + ' processes visible');
  const outside = (targets.outsidePids || []).filter((p) => pids().includes(String(p)));
  record('see processes outside the workspace', outside.length > 0, outside.join(' ') || pids().length + ' processes visible');

  for (const item of targets.readFiles || []) tryRead(item.label, item.path);
  for (const item of targets.listDirs || []) tryList(item.label, item.path);
  try { control('list its own /workspace', fs.readdirSync('/workspace').length > 0); }
  catch (e) { control('list its own /workspace', false, e.code); }
  tryRead('the shadow file', '/etc/shadow');
  const names = findNames(targets.findNames || ['state.json', 'launcher.env', '.dev.vars'], targets.findRoot || '/');
  record('find the cluster or launcher state', names.length > 0, names.join(' '));

  // A control run on the host (targets.hostControl) only reads and connects: it must change nothing there.
  if (!targets.hostControl) {
    for (const item of targets.writePaths || []) tryWrite(item.label, item.path);
    tryWrite('the image (/usr)', '/usr/launchpod-probe');
    tryWrite('the image (/etc)', '/etc/launchpod-probe');
    tryWrite('the root', '/launchpod-probe');
    writeToDiskOutsideItsFolders();
  }

  for (const item of targets.connect || []) await tryConnect(item.label, item.host, item.port);
  await tryConnect('host loopback through slirp', '10.0.2.2', targets.loopbackPort || 22);
  await tryConnect('cloud metadata', '169.254.169.254', 80);

  // A concurrent private clone runs on the host while this watches: its credential must never show.
  const credential = targets.credential;
  if (credential) {
    watch.from = Date.now();
    const until = watch.from + (targets.watchMs || 4000);
    let seen = [];
    while (Date.now() < until && seen.length === 0) { seen = scanProcs([credential]); await sleep(20); }
    watch.to = Date.now();
    record("read another user's clone credential", seen.length > 0, seen.join(' ') || 'never seen');
  }

  if (!targets.hostControl) {
    await forkBomb();
    await allocate();
  }

  fs.writeFileSync(path.join(__dirname, '.probe-report.json'), JSON.stringify({ attempts: attempts, controls: controls, watch: watch }, null, 2));
  console.log('probe done: ' + attempts.filter((a) => a.succeeded).length + ' of ' + attempts.length + ' attempts got through');
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

export const HOSTILE_GITPOD_YML = `image: node:20
tasks:
  - name: probe
    env:
      PROBE_MARKER: present
    init: node probe.js
    command: echo "probe finished"; sleep 3600
`;

/** What a test commits as `probe-targets.json`: everything the probe cannot guess. */
export interface ProbeTargets {
  readonly secrets?: readonly string[];
  readonly credential?: string;
  readonly watchMs?: number;
  readonly readFiles?: readonly { label: string; path: string }[];
  readonly listDirs?: readonly { label: string; path: string }[];
  readonly writePaths?: readonly { label: string; path: string }[];
  readonly findNames?: readonly string[];
  readonly connect?: readonly { label: string; host: string; port: number }[];
  readonly loopbackPort?: number;
  readonly pidsLimit?: number;
  readonly memoryLimitBytes?: number;
  readonly outsidePids?: readonly number[];
  /** Where the name search starts (a control run on the host narrows it). Default `/`. */
  readonly findRoot?: string;
  /** A control run of the probe on the host: it reads and connects only (no writes, no fork bomb, no allocation). */
  readonly hostControl?: boolean;
}

export interface ProbeReport {
  readonly attempts: readonly { name: string; succeeded: boolean; detail: string }[];
  readonly controls: readonly { name: string; ok: boolean; detail: string }[];
  /** When the probe watched for the concurrent clone's credential (ms since the epoch). */
  readonly watch: { readonly from?: number; readonly to?: number };
}

/** The files of the hostile repository, with targets when a test has them. */
export function hostileFiles(targets?: ProbeTargets): Record<string, string> {
  return {
    'README.md': '# hostile\n\nTries to leave its workspace. See probe.js.\n',
    '.gitpod.yml': HOSTILE_GITPOD_YML,
    'probe.js': HOSTILE_PROBE,
    ...(targets !== undefined && { 'probe-targets.json': `${JSON.stringify(targets, null, 2)}\n` }),
  };
}
