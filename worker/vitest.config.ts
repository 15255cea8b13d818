import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';

// Worker tests run inside workerd with the real bindings (local D1, KV, Queue). Nothing leaves the machine: any
// outbound request a test did not mock is answered 599 and fails the test that made it.
export default defineProject({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: fileURLToPath(new URL('./wrangler.jsonc', import.meta.url)) },
      // The source, not the build wrangler deploys (wrangler.jsonc's main, made by scripts/build-worker.ts).
      main: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      miniflare: {
        outboundService: (request: Request) =>
          new Response(`Launchpod tests refuse outbound requests: ${request.method} ${request.url}`, {
            status: 599,
          }),
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
        },
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['./test/apply-migrations.ts'],
  },
});
