// `npm start`: the launcher (wrangler dev, local D1 migrated) and the reference cluster on this machine, against
// the real git hosts. `npm start -- --demo` (or `npm run demo`): the same, fully offline, against fake GitHub,
// GitLab, Bitbucket Cloud and Bitbucket Server with real git repositories, prebuilds on (scripts/demo-tour.ts) and
// sign-in through fake OAuth. Ctrl-C stops everything.

import { resolve } from 'node:path';
import { chooseRuntime, type RuntimePreference } from '../cluster/src/sandbox/host-tools.ts';
import { startStack } from '../dev/stack.ts';
import { buildExtension } from '../extension/build.ts';
import { demoAdminToken, formatWhatToTry, startDemoPrebuild, whatToTry } from './demo-tour.ts';

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
// Against the real hosts, asked while the stack starts: an offline machine is told about the demo up front.
const githubAnswers = demo
  ? Promise.resolve(true)
  : fetch('https://api.github.com/', { signal: AbortSignal.timeout(5000) }).then(
      () => true,
      () => false,
    );
// The demo's prebuild admin API is on, with a token made for this run.
const adminToken = demo ? demoAdminToken() : undefined;

console.log(`Starting Launchpod${demo ? ' in offline demo mode' : ''} (state in ${dataDir})…`);
const stack = await startStack({
  demo,
  // The offline demo has a fake Coder and Ona, and links for every backend kind (docs/backends.md).
  backends: demo,
  dataDir,
  launcherPort: Number(process.env.LAUNCHER_PORT ?? 8787),
  clusterPort: Number(process.env.CLUSTER_PORT ?? 8788),
  publicHost: 'localhost',
  echo: process.env.LAUNCHPOD_VERBOSE === '1',
  // VS Code in the browser in every workspace (`npm start` installed it: npm run cluster:editor).
  editor: true,
  clusterArgs: ['--runtime', runtime.value],
  ...(adminToken !== undefined && { launcherVars: { ADMIN_TOKEN: adminToken } }),
});

const l = stack.launcherUrl;
// The extension, built for this launcher unless LAUNCHER_URL names another one (npm start's build step left it out).
// LAUNCHPOD_EXTENSION_OUT: somewhere else than dist/ (the demo's own test, which must not touch dist/).
const extension = await buildExtension({
  launcherUrl: process.env.LAUNCHER_URL || l,
  ...(process.env.LAUNCHPOD_EXTENSION_OUT && { outDir: process.env.LAUNCHPOD_EXTENSION_OUT }),
});
const prebuild =
  adminToken === undefined
    ? undefined
    : await startDemoPrebuild(l, adminToken).catch((error: Error) => error);

console.log(`
Launchpod is running.
  Launcher:          ${l}
  Reference cluster: ${stack.clusterUrl} (workspaces under ${dataDir}/cluster, each in a ${runtime.value} sandbox)
${demo ? `  Fake git hosts:    ${Object.values(stack.fakes?.apis ?? {}).join('  ')}\n  Demo Gitea pages:  ${stack.fakes?.webSite}/ (a self-hosted instance: the extension's button appears there once enabled)\n  Git server:        ${stack.fakes?.gitBase}\n  Sign-in:           fake OAuth for GitHub, GitLab and Bitbucket (you are alice)\n` : '  Git hosts:         the real ones (set HOST_TOKENS in worker/.dev.vars for rate limits)\n'}${adminToken === undefined ? '' : `  Prebuilds:         on; admin token ${adminToken}\n                     ${prebuild instanceof Error ? `the sample push failed: ${prebuild.message}` : `a push of launchpod-samples/node-app main (${prebuild?.sha.slice(0, 12)}) was delivered: its prebuild is building`}\n`}
  Extension:         built for ${extension.launcherUrl}: its buttons open it
                     ${extension.dirs.chrome} (Chrome: chrome://extensions → Developer mode → Load unpacked)
                     ${extension.dirs.firefox} (Firefox: about:debugging → This Firefox → Load Temporary Add-on)

What to try${demo ? ' (all offline, against the fake hosts)' : ''}:
${formatWhatToTry(whatToTry(l, demo, stack.fakes?.webSite), adminToken)}

Ctrl-C stops everything. LAUNCHPOD_VERBOSE=1 shows every process's output.`);

if (!(await githubAnswers))
  console.log(`
GitHub is not answering from this machine (offline?): launches of real repositories will fail.
  npm run demo (or npm start -- --demo) runs everything offline, against fake GitHub, GitLab and Bitbucket hosts.`);

if (prebuild !== undefined && !(prebuild instanceof Error)) {
  void prebuild.done.then((status) =>
    console.log(
      status.state === 'ready'
        ? `\nThe prebuild of launchpod-samples/node-app main is ready (${status.id}): open ${l}/#https://github.com/launchpod-samples/node-app\n  and its start page says "Starting from prebuild".`
        : `\nThe demo prebuild did not become ready (${status.state}${status.error === undefined ? '' : `: ${status.error}`}); LAUNCHPOD_VERBOSE=1 shows the cluster's output.`,
    ),
  );
}

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
