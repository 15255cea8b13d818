// `npm start`: runs what exists of Launchpod today. Until the launcher, the reference cluster and the extension
// land, that is the shared context grammar: give it any repo URL and it prints the launch request and link.

import { parseLaunchInput } from '../shared/context-url.ts';
import { createHostRegistry } from '../shared/host-registry.ts';
import { toLaunchUrl } from '../shared/launch-url.ts';

const launcher = process.env.LAUNCHER_URL ?? 'http://localhost:8787';
const registry = createHostRegistry(JSON.parse(process.env.LAUNCHPOD_HOSTS ?? '[]'));
if (!registry.ok) {
  console.error(`LAUNCHPOD_HOSTS: ${registry.error}`);
  process.exit(2);
}

const inputs = process.argv.slice(2).filter((a) => a !== '--');
if (inputs.length === 0) {
  console.log(`Launchpod — what runs today

  Works:   the context grammar in shared/ (any GitHub, GitLab, Bitbucket Cloud or Bitbucket Server URL,
           prefix modifiers, ssh and scp forms → a typed launch request or an error that says what to do),
           and .gitpod.yml validation with line and column.
  Not yet: the launcher (Cloudflare Worker), the reference workspace cluster, the offline demo and the
           browser extension. npm start will run them once they exist; it starts nothing today.

Try it:   npm start -- https://github.com/gitpod-io/gitpod/tree/feature/a/b
          npm start -- 'FOO=bar,PATH=x/git@gitlab.com:group/sub/project.git'
Self-hosted hosts: LAUNCHPOD_HOSTS='[{"hostname":"git.example.com","family":"gitlab"}]' npm start -- <url>`);
  process.exit(0);
}

let failed = false;
for (const input of inputs) {
  const parsed = parseLaunchInput(input, registry.value);
  if (!parsed.ok) {
    failed = true;
    console.log(`✗ ${input}\n  ${parsed.error.code}: ${parsed.error.message}\n`);
    continue;
  }
  const link = toLaunchUrl(launcher, parsed.value, registry.value);
  console.log(
    `✓ ${input}\n${JSON.stringify(parsed.value, null, 2)}\n  launch link: ${link.ok ? link.value : link.error.message}\n`,
  );
}
process.exit(failed ? 1 : 0);
