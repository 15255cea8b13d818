// Secrets and test-only bindings that `wrangler types` cannot see (secrets are set with `wrangler secret put`).
declare namespace Cloudflare {
  interface Env {
    /** JSON `{ "github.com": "<token>", … }`: server tokens for public repositories and rate limits. */
    HOST_TOKENS?: string;
    /** JSON `{ "<cluster name>": "<shared secret>" }`. */
    CLUSTER_SECRETS?: string;
    /** JSON `{ "<hostname>": { clientId, clientSecret, authorizeUrl?, tokenUrl?, revokeUrl?, userUrl? } }` (sign-in). */
    OAUTH_CLIENTS?: string;
    /** JSON `{ "<key id>": "<base64 of 32 random bytes>" }`: AES-GCM keys for stored provider tokens. */
    TOKEN_KEYS?: string;
    /** The key id in TOKEN_KEYS that encrypts new tokens (the others still decrypt, for rotation). */
    TOKEN_KEY_CURRENT?: string;
    /** Signs session cookies (32+ random characters). */
    SESSION_SECRET?: string;
    /** Bearer secret for the prebuild admin API `/api/v1/admin/projects` (16+ characters); unset turns it off. */
    ADMIN_TOKEN?: string;
    /** Only in worker tests: the D1 migrations to apply. */
    TEST_MIGRATIONS?: import('cloudflare:test').D1Migration[];
  }
}
