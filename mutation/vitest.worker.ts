import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The suite `npm run mutation:worker` (mutation/stryker.worker.mjs) runs against each mutant: the host resolvers'
// tests, in Node. In `npm test` they run inside workerd (worker/vitest.config.ts); they use only fetch (answered by
// the fake hosts through a spy), so Node runs them the same.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        test: {
          name: 'worker-hosts',
          include: ['worker/test/hosts/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['./mutation/setup.ts'],
          testTimeout: 60_000,
          isolate: false,
        },
      },
    ],
  },
});
