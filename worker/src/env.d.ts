// Secrets and test-only bindings that `wrangler types` cannot see (secrets are set with `wrangler secret put`).
declare namespace Cloudflare {
  interface Env {
    /** JSON `{ "github.com": "<token>", … }`: server tokens for public repositories and rate limits. */
    HOST_TOKENS?: string;
    /** JSON `{ "<cluster name>": "<shared secret>" }`. */
    CLUSTER_SECRETS?: string;
    /** Only in worker tests: the D1 migrations to apply. */
    TEST_MIGRATIONS?: import('cloudflare:test').D1Migration[];
  }
}
