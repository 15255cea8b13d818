-- Whether a project's repository can be read without an account, as its host's API said at registration (and
-- signed webhooks since). The status API, the badges and a prebuild's state show a private project's prebuilds to
-- nobody who cannot read the repository. Projects registered before this column existed are private until their
-- host says otherwise: unknown must never mean public.
ALTER TABLE projects ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('public', 'private'));
