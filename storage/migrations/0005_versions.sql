-- Every change to a key bumps its version; buttons carry the version they were drawn for, so a
-- press on an outdated card changes nothing.
ALTER TABLE keys ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN revealed_at INTEGER;
