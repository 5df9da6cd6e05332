-- Step-up: the unlock passphrase as Argon2id hashes (never the passphrase), the wrong-attempt streak and
-- the unlocked period.
CREATE TABLE unlock (
    user_id INTEGER PRIMARY KEY,
    hash TEXT,
    pending TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    blocked_until INTEGER,
    unlocked_until INTEGER,
    updated_at INTEGER NOT NULL
);
