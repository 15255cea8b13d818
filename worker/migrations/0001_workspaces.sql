-- Workspaces the launcher started: which context, on which cluster, in which phase. The idempotency key makes a
-- double click start one workspace, not two.
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  context_url TEXT NOT NULL,
  context_key TEXT NOT NULL,
  context_json TEXT NOT NULL,
  cluster TEXT NOT NULL,
  cluster_workspace_id TEXT,
  url TEXT,
  phase TEXT NOT NULL,
  failure TEXT,
  prebuild_id TEXT,
  idempotency_key TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX workspaces_idempotency ON workspaces (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX workspaces_owner_context ON workspaces (owner, context_key, phase);
