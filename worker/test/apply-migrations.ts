import { applyD1Migrations, env } from 'cloudflare:test';

// Every test file starts from the schema the migrations describe, as `wrangler d1 migrations apply` leaves it.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS ?? []);
