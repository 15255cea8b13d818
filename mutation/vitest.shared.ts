import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The suite `npm run mutation:shared` (mutation/stryker.shared.mjs) runs against each mutant: the pure shared/
// tests, in Node, with property tests capped (mutation/setup.ts). Instrumented code runs several times slower, hence
// the longer timeout; one module graph for all files (isolate: false), as nothing is re-read per file.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['./mutation/setup.ts'],
          testTimeout: 60_000,
          isolate: false,
        },
      },
    ],
  },
});
