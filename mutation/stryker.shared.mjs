// @ts-check
// `npm run mutation:shared`: StrykerJS mutates shared/ and runs the shared suite (mutation/vitest.shared.ts) against
// each mutant. How to run and read it: docs/mutation-testing.md. Never part of `npm test` (it takes many minutes).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'mutation/vitest.shared.ts', related: false },
  // TypeScript 7 is native and has no JS API: Stryker reads `tsconfigFile` only if it exists, so point it nowhere.
  tsconfigFile: 'no-such-tsconfig.json',
  mutate: ['shared/**/*.ts', '!shared/**/*.test.ts', '!shared/**/*.fixtures.ts', '!shared/property-runs.ts'],
  // Sandbox only what the suite reads; type checks are disabled (// @ts-nocheck) only in mutated files.
  ignorePatterns: ['/*', '!/shared', '!/mutation', '!/package.json', '!/tsconfig.json'],
  disableTypeChecks: 'shared/**/*.ts',
  // Two cores shared with other suites: one test process.
  concurrency: 1,
  // "Static" mutants (module-level constants such as the env blocklist, evaluated once on import) each need a fresh
  // module graph and the whole suite; they are listed as ignored, not run, to keep a run near 20 minutes.
  // MUTATION_STATIC=1 runs them too: for one file at a time (`-- --mutate shared/env-vars.ts`).
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/shared/index.html' },
  jsonReporter: { fileName: 'reports/mutation/shared/mutation.json' },
  // Re-runs only mutants whose code or covering tests changed since the last run (`-- --force` for a full run).
  incremental: true,
  incrementalFile: 'reports/mutation/shared/stryker-incremental.json',
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
