// `npm run cluster:image`: builds the cluster's default workspace image from Debian packages (mmdebstrap; no image
// registry is needed), once per machine: a root filesystem folder for bubblewrap and, where podman is installed,
// the same tree imported as a local podman image. A rebuild happens only when the recipe below changes.
// Prints the manifest's path; exits non-zero with what to install when it cannot build.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram } from '../src/sandbox/host-tools.ts';
import {
  DEFAULT_IMAGE_NAME,
  type DefaultImage,
  imageCacheDir,
  manifestPath,
  readDefaultImage,
} from '../src/sandbox/images.ts';
import { WORKSPACE_HOME, WORKSPACE_UID } from '../src/sandbox/sandbox.ts';

/** What a workspace needs to clone, build and run the usual project: git, a shell, build tools, Node, Python. */
export const PACKAGES = [
  'bash',
  'ca-certificates',
  'curl',
  'g++',
  'git',
  'iproute2',
  'less',
  'make',
  'nodejs',
  'npm',
  'openssh-client',
  'procps',
  'python3',
];
const SUITE = 'bookworm';
// The workspace user (Gitpod's uid, so images and scripts made for Gitpod work) with its home.
const CUSTOMIZE = `chroot "$1" useradd --create-home --home-dir ${WORKSPACE_HOME} --uid ${WORKSPACE_UID} --user-group --shell /bin/bash launchpod`;
const RECIPE_VERSION = 1;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Runs a build step with its output on stderr: stdout carries only the final JSON line. */
function run(program: string, args: readonly string[]): void {
  const result = spawnSync(program, args, { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) fail(`${program} ${args.slice(0, 2).join(' ')} failed (exit ${result.status}).`);
}

const recipe = JSON.stringify({ RECIPE_VERSION, SUITE, PACKAGES, CUSTOMIZE });
const digest = createHash('sha256').update(recipe).digest('hex').slice(0, 12);
const cacheDir = imageCacheDir();
const podmanRef = `localhost/${DEFAULT_IMAGE_NAME}:${digest}`;
const rootfsDir = join(cacheDir, `${DEFAULT_IMAGE_NAME}-${digest}`);
const hasPodman = findProgram('podman') !== undefined;

const podmanHas = () => hasPodman && spawnSync('podman', ['image', 'exists', podmanRef]).status === 0;

const current = readDefaultImage(cacheDir);
if (current.ok && current.value.rootfsDir === rootfsDir && (!hasPodman || podmanHas())) {
  process.stdout.write(`${JSON.stringify({ image: manifestPath(cacheDir), cached: true })}\n`);
  process.exit(0);
}

if (process.getuid?.() !== 0)
  fail('Building the workspace image needs root (mmdebstrap and podman import). Run it with sudo.');
if (!existsSync(join(rootfsDir, 'usr'))) {
  if (findProgram('mmdebstrap') === undefined)
    fail('Building the workspace image needs mmdebstrap: apt-get install mmdebstrap');
  mkdirSync(cacheDir, { recursive: true });
  const building = `${rootfsDir}.building`;
  rmSync(building, { recursive: true, force: true });
  const mirror = process.env.LAUNCHPOD_DEBIAN_MIRROR;
  process.stderr.write(`Building the workspace image from Debian ${SUITE} packages (about a minute)…\n`);
  run('mmdebstrap', [
    '--quiet',
    '--variant=minbase',
    `--include=${PACKAGES.join(',')}`,
    `--customize-hook=${CUSTOMIZE}`,
    SUITE,
    building,
    ...(mirror !== undefined ? [mirror] : []),
  ]);
  renameSync(building, rootfsDir);
}
if (hasPodman && !podmanHas()) {
  // The same tree as a podman image, streamed: no second copy on disk.
  const tar = spawnSync(
    'sh',
    ['-c', 'tar -C "$1" -c . | podman import --quiet - "$2"', 'sh', rootfsDir, podmanRef],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (tar.status !== 0) fail(`podman import of ${rootfsDir} failed.`);
}
const manifest: DefaultImage = { podmanRef, rootfsDir, packages: PACKAGES };
writeFileSync(manifestPath(cacheDir), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ image: manifestPath(cacheDir), cached: false })}\n`);
