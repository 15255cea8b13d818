import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Projects: the pure modules under Node, the guides, the launcher inside workerd (worker/vitest.config.ts), the reference
// cluster (cluster/vitest.config.ts), and the end-to-end suites that start the local stack (e2e/).
export default defineConfig({
  test: {
    // At least two files at a time, also on 2 cores (vitest's default there is one): much of the cluster's and the
    // extension's suites waits on containers and browsers.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      // Property tests run hundreds to thousands of generated cases each: beside the other suites on 2 cores, some take
      // longer than vitest's 5 s default.
      {
        test: { name: 'shared', include: ['shared/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      // The guides under docs/ checked against the code, the configuration and wrangler (docs/guides.test.ts).
      { test: { name: 'docs', include: ['docs/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      './worker/vitest.config.ts',
      './cluster/vitest.config.ts',
      './extension/vitest.config.ts',
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts', 'dev/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each file starts a whole local stack (wrangler dev, cluster, fakes, maybe a browser) of its own — ports,
          // folders and workspace uid ranges are each its own — and spends most of its time waiting on it (containers,
          // browsers, git): two files at a time, after the other projects (a group of their own).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
