-- Leaks of stored keys seen by the guard, and how long each took to be revoked. A key with an open
-- leak is compromised until it is rotated, deleted or the user says it was revoked on the venue.
ALTER TABLE keys ADD COLUMN compromised_at INTEGER;

CREATE TABLE leaks (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    place       TEXT NOT NULL,              -- private | group | business
    leaked_at   INTEGER NOT NULL,
    revoked_at  INTEGER,
    revoked_by  TEXT                        -- rotated | deleted | user
);
CREATE INDEX leaks_open ON leaks(key_id) WHERE revoked_at IS NULL;
CREATE INDEX leaks_owner ON leaks(owner_id, leaked_at);
