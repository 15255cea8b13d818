import { defineProject } from 'vitest/config';

// The extension's unit tests: fixture pages in Chromium (playwright-core, /usr/bin/chromium), run from Node.
export default defineProject({
  test: {
    name: 'extension',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
