-- Workspaces as their owners manage them: the browser session that started one (its host tokens answer git inside
-- the workspace, when the owner allows it), and whether the owner allowed git to push from it with their token.
ALTER TABLE workspaces ADD COLUMN session_hash TEXT;
ALTER TABLE workspaces ADD COLUMN git_access INTEGER NOT NULL DEFAULT 0;
CREATE INDEX workspaces_owner_created ON workspaces (owner, created_at);
