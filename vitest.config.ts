import { defineConfig } from 'vitest/config';

// Unit and property tests of the pure modules. Worker tests (workerd) and browser tests get their own projects
// as those parts arrive.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts'],
    environment: 'node',
  },
});
