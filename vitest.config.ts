import { defineConfig } from 'vitest/config';

// Two projects: the pure modules under Node, and the launcher inside workerd (worker/vitest.config.ts).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/**/*.test.ts'], environment: 'node' } },
      './worker/vitest.config.ts',
    ],
  },
});
