import fc from 'fast-check';

// Under `npm run mutation` each property test runs once per mutant it covers, in instrumented code (~5× slower):
// cap its cases so a whole run stays under 20 minutes on 2 cores. The table tests still run in full.
const cap = 10;
(globalThis as { launchpodPropertyRunCap?: number }).launchpodPropertyRunCap = cap;
fc.configureGlobal({ numRuns: cap });
