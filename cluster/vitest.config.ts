import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The reference cluster's tests run under Node: they spawn git, tar and sh against temp repositories, so they get
// generous timeouts and no workerd.
export default defineConfig({
  test: {
    name: 'cluster',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // At most four files at a time, whatever the machine: each starts sandboxes, and podman's commands queue on its
    // locks, so more files at once can make each workspace slower rather than the suite faster (the project's CI saw
    // a restarted sandbox take over 5 s where it takes about 2 s on a busy 2-core machine here).
    maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
  },
});
