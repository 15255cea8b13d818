import { defineConfig } from 'vitest/config';

// The suite `npm run mutation` (StrykerJS, stryker.config.mjs) runs against each mutant: the pure shared/ tests, in
// Node, with property tests capped (vitest.mutation.setup.ts). Instrumented code runs several times slower, hence
// the longer timeout. The worker's suite runs inside workerd and is not reached: see docs/mutation-testing.md.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['./vitest.mutation.setup.ts'],
          testTimeout: 60_000,
          isolate: false,
        },
      },
    ],
  },
});
