// `npm start`: the launcher (wrangler dev, local D1 migrated) and the reference cluster on this machine, against
// the real git hosts. `npm start -- --demo` (or `npm run demo`): the same, fully offline, against fake GitHub,
// GitLab, Bitbucket Cloud and Bitbucket Server with real git repositories. Ctrl-C stops everything.

import { resolve } from 'node:path';
import { chooseRuntime, type RuntimePreference } from '../cluster/src/sandbox/host-tools.ts';
import { startStack } from '../e2e/stack.ts';
import { buildExtension } from '../extension/build.ts';

const demo = process.argv.includes('--demo');

// Before anything starts: the reference cluster runs repositories' code only in a sandbox, and says what to install
// when this machine has none (LAUNCHPOD_RUNTIME=podman|bubblewrap picks one; podman is preferred).
const wanted = (process.env.LAUNCHPOD_RUNTIME ?? 'auto') as RuntimePreference;
const runtime = chooseRuntime(wanted, { isRoot: process.getuid?.() === 0 });
if (!runtime.ok) {
  console.error(runtime.error);
  process.exit(1);
}
const dataDir = resolve(process.env.LAUNCHPOD_DATA ?? '.launchpod', demo ? 'demo' : 'local');

console.log(`Starting Launchpod${demo ? ' in offline demo mode' : ''} (state in ${dataDir})…`);
const stack = await startStack({
  demo,
  dataDir,
  launcherPort: Number(process.env.LAUNCHER_PORT ?? 8787),
  clusterPort: Number(process.env.CLUSTER_PORT ?? 8788),
  publicHost: 'localhost',
  echo: process.env.LAUNCHPOD_VERBOSE === '1',
  clusterArgs: ['--runtime', runtime.value],
});

const l = stack.launcherUrl;
// The extension, built for this launcher unless LAUNCHER_URL names another one (`npm run build` left it asking).
const extension = await buildExtension({ launcherUrl: process.env.LAUNCHER_URL || l });
const samples = demo
  ? [
      `${l}/#https://github.com/launchpod-samples/node-app`,
      `${l}/#https://github.com/launchpod-samples/node-app/tree/feature/x/y`,
      `${l}/#https://github.com/launchpod-samples/node-app/pull/2`,
      `${l}/#https://github.com/launchpod-samples/node-app/issues/4`,
      `${l}/#https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2`,
      `${l}/#https://bitbucket.org/launchpod-samples/node-app/src/main/README.md`,
      `${l}/#https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Frelease%2F1.0`,
      `${l}/#https://codeberg.org/launchpod-samples/node-app/src/branch/feature/x/y/src/feature.js`,
      `${l}/#https://gitea.launchpod.test/git/platform/node-app/pulls/3`,
      `${l}/#https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature/x/y&path=/src/feature.js`,
      `${l}/#https://github.com/launchpod-samples/invalid-config`,
    ]
  : [`${l}/#https://github.com/gitpod-io/empty`, `${l}/#https://github.com/<owner>/<repo>/pull/<n>`];

console.log(`
Launchpod is running.
  Launcher:          ${l}
  Reference cluster: ${stack.clusterUrl} (workspaces under ${dataDir}/cluster, each in a ${runtime.value} sandbox)
${demo ? `  Fake git hosts:    ${Object.values(stack.fakes?.apis ?? {}).join('  ')}\n  Git server:        ${stack.fakes?.gitBase}\n` : '  Git hosts:         the real ones (set HOST_TOKENS in worker/.dev.vars for rate limits)\n'}
  Extension:         ${extension.dirs.chrome} (Chrome: chrome://extensions → Developer mode → Load unpacked)
                     ${extension.dirs.firefox} (Firefox: about:debugging → This Firefox → Load Temporary Add-on)
                     buttons open ${extension.launcherUrl}
Try:
${samples.map((s) => `  ${s}`).join('\n')}

Ctrl-C stops everything. LAUNCHPOD_VERBOSE=1 shows every process's output.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    process.exit(0);
  });
}
