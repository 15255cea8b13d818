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
  },
});
