-- Starts the launcher gave up on (a cluster that did not answer in time, a workspace URL off the cluster's origin,
-- a start that never confirmed) while the cluster may still run them: each is stopped once the cluster answers, so
-- nothing runs that the launcher does not follow. A row goes when the cluster confirms the stop, or has twice said it
-- holds no such workspace, ten seconds apart (a start still queued in a frozen cluster lands before the second).
CREATE TABLE abandoned_starts (
  cluster TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_absent_at INTEGER,
  PRIMARY KEY (cluster, workspace_id)
);
CREATE INDEX abandoned_starts_due ON abandoned_starts (next_attempt_at);
