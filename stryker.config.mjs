// @ts-check
// `npm run mutation`: StrykerJS mutates shared/ and runs the shared suite (vitest.mutation.config.ts) against each
// mutant. How to read and run it: docs/mutation-testing.md. Never part of `npm test` (it takes minutes, not seconds).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // TypeScript 7 is native and has no JS API: Stryker reads `tsconfigFile` only if it exists, so point it nowhere.
  tsconfigFile: 'no-such-tsconfig.json',
  mutate: ['shared/**/*.ts', '!shared/**/*.test.ts', '!shared/**/*.fixtures.ts', '!shared/property-runs.ts'],
  // Sandbox only what the shared suite reads; type checks are disabled (// @ts-nocheck) only in mutated files.
  ignorePatterns: [
    '/*',
    '!/shared',
    '!/package.json',
    '!/tsconfig.json',
    '!/vitest.mutation.config.ts',
    '!/vitest.mutation.setup.ts',
  ],
  disableTypeChecks: 'shared/**/*.ts',
  // Two cores shared with other suites: one test process.
  concurrency: 1,
  // "Static" mutants (module-level constants, run once on import) each need a fresh process and the whole suite;
  // they are reported but not run, which keeps a run well under 20 minutes. See docs/mutation-testing.md.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
