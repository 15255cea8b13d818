-- Prebuilds: the repositories whose prebuilds the launcher manages (projects), the webhook deliveries already
-- seen (dedupe by delivery id), every prebuild with its state, and the pushes that were skipped and why.
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  repo_key TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  family TEXT NOT NULL,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  webhook_secret TEXT NOT NULL,
  branch_strategy TEXT NOT NULL,
  branch_globs TEXT NOT NULL,
  pull_requests INTEGER NOT NULL,
  pull_requests_from_forks INTEGER NOT NULL,
  commit_interval INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  project_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, delivery_id)
);

CREATE TABLE prebuilds (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  repo_key TEXT NOT NULL,
  sha TEXT NOT NULL,
  ref TEXT,
  fingerprint TEXT NOT NULL,
  cluster TEXT,
  state TEXT NOT NULL,
  sequence INTEGER NOT NULL DEFAULT -1,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  duration_ms INTEGER,
  log_url TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL
);
-- At most one unfailed prebuild per commit and config: the claim that keeps two deliveries of one push from
-- starting two prebuilds.
CREATE UNIQUE INDEX prebuilds_unfailed ON prebuilds (repo_key, sha, fingerprint)
  WHERE state IN ('queued', 'building', 'ready');
CREATE INDEX prebuilds_by_commit ON prebuilds (repo_key, sha);
CREATE INDEX prebuilds_by_project ON prebuilds (project_id, state, finished_at);

CREATE TABLE prebuild_skips (
  project_id TEXT NOT NULL,
  sha TEXT NOT NULL,
  ref TEXT,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX prebuild_skips_by_project ON prebuild_skips (project_id, created_at);
