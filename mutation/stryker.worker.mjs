// @ts-check
// `npm run mutation:worker`: StrykerJS mutates the worker's host resolvers (worker/src/hosts/) and runs their tests
// (worker/test/hosts/) in Node, not workerd: they need fetch and nothing else, and Stryker's runner cannot reach
// into workerd's pool. The launch logic (worker/src/launch.ts) is tested only through the app inside workerd, with
// D1 and KV bindings, and is not mutated here. See docs/mutation-testing.md.
import shared from './stryker.shared.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...shared,
  vitest: { configFile: 'mutation/vitest.worker.ts', related: false },
  mutate: ['worker/src/hosts/**/*.ts'],
  ignorePatterns: [
    '/*',
    '!/shared',
    '!/worker',
    '/worker/dist',
    '!/dev',
    '!/mutation',
    '!/package.json',
    '!/tsconfig.json',
  ],
  disableTypeChecks: 'worker/src/hosts/**/*.ts',
  htmlReporter: { fileName: 'reports/mutation/worker/index.html' },
  jsonReporter: { fileName: 'reports/mutation/worker/mutation.json' },
  incrementalFile: 'reports/mutation/worker/stryker-incremental.json',
};
