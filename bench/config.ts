// bench/config: `.gitpod.yml` parses per second (parse + schema validation + normalisation) for a typical file,
// and how fast hostile input is refused. Prints figures for README; asserts nothing.

import { parseGitpodConfig, prebuildFingerprint } from '../shared/gitpod-config.ts';

const typical = `image: gitpod/workspace-full
tasks:
  - name: deps
    before: corepack enable
    init: pnpm install && pnpm build
    command: pnpm dev
ports:
  - port: 3000
    onOpen: open-preview
  - port: 9229-9230
    onOpen: ignore
github:
  prebuilds:
    branches: true
`;
const hostile = {
  'alias bomb': `a: &a ["x","x"]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d]`,
  '60k open brackets': '['.repeat(60_000),
  '200-deep indentation': `a:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i + 1)}b:`).join('\n')}`,
};

function perSecond(text: string, iterations: number): number {
  for (let i = 0; i < Math.min(50, iterations); i++) parseGitpodConfig(text);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) parseGitpodConfig(text);
  return iterations / ((performance.now() - start) / 1000);
}

const rounds = Array.from({ length: 5 }, () => perSecond(typical, 1000)).sort((a, b) => a - b);
const parsed = parseGitpodConfig(typical);
const fingerprintStart = performance.now();
for (let i = 0; i < 10_000 && parsed.ok; i++) prebuildFingerprint(parsed.value);
const fingerprintMicros = ((performance.now() - fingerprintStart) / 10_000) * 1000;

console.log(
  JSON.stringify(
    {
      bench: 'config',
      typicalParsesPerSecondMedian: Math.round(rounds[2] ?? 0),
      typicalMillisecondsPerParse: Number((1000 / (rounds[2] ?? 1)).toFixed(3)),
      fingerprintMicroseconds: Number(fingerprintMicros.toFixed(1)),
      hostileRefusedInMilliseconds: Object.fromEntries(
        Object.entries(hostile).map(([name, text]) => [
          name,
          Number((1000 / perSecond(text, 20)).toFixed(1)),
        ]),
      ),
    },
    null,
    2,
  ),
);
