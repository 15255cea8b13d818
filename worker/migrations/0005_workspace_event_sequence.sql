-- Signed cluster events about a workspace are applied once each, in order: the sequence of the last one applied.
-- A replayed or stale event (sequence not above it) is refused, as prebuild events already are.
ALTER TABLE workspaces ADD COLUMN event_sequence INTEGER NOT NULL DEFAULT -1;
