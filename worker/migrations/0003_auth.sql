-- Sign-in: browser sessions, the host tokens signed-in users hold (encrypted), OAuth states in flight, one-time
-- clone credentials and rate-limit counters. Session ids, states and credential ids are stored as sha256 hashes:
-- a copy of this database opens no session and redeems no credential.

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  -- The signed-in user (`github.com:1001`), set by the first sign-in; NULL while only a sign-in is in flight.
  user_id TEXT,
  user_name TEXT,
  -- Hidden form token for state-changing forms (sign-out, personal access tokens).
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE session_tokens (
  session_hash TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
  host TEXT NOT NULL,
  login TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- `v1.<key id>.<iv>.<ciphertext>` (AES-GCM, see token-vault.ts); never plain text.
  access_token TEXT NOT NULL,
  refresh_token TEXT,
  -- Epoch ms when the access token expires, NULL when the host gave no expiry.
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_hash, host)
);

CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  session_hash TEXT NOT NULL,
  host TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE clone_credentials (
  id_hash TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  cluster TEXT NOT NULL,
  session_hash TEXT NOT NULL,
  host TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE rate_limits (
  bucket TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
