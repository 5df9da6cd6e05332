-- Reminders: what is due when, sent once. Users' reminder preferences. Keys' health checks.
ALTER TABLE users ADD COLUMN quiet_start INTEGER;             -- minutes after local midnight; NULL: no quiet hours
ALTER TABLE users ADD COLUMN quiet_end INTEGER;
ALTER TABLE users ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;  -- 1: one daily digest instead of single messages
ALTER TABLE users ADD COLUMN digest_minute INTEGER NOT NULL DEFAULT 540;  -- local time of the digest (09:00)
ALTER TABLE users ADD COLUMN unused_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE users ADD COLUMN rotation_days INTEGER NOT NULL DEFAULT 90;

ALTER TABLE keys ADD COLUMN health_check INTEGER NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN rotated_at INTEGER;

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL,
    key_id      INTEGER NOT NULL DEFAULT 0,     -- 0: about the user, not a key (an abandoned setup)
    kind        TEXT NOT NULL,
    due_at      INTEGER NOT NULL,               -- when the rule says; part of the identity
    send_after  INTEGER NOT NULL,               -- when it may go out: due_at, or later (snooze, quiet hours, digest)
    state       TEXT NOT NULL DEFAULT 'due',    -- due | sending | sent | cancelled
    sent_at     INTEGER,
    UNIQUE (owner_id, key_id, kind, due_at)
);
-- A tick reads only what is pending and due: this index keeps that independent of the table's size.
CREATE INDEX reminders_pending ON reminders(send_after) WHERE state IN ('due', 'sending');
CREATE INDEX reminders_key ON reminders(key_id, state);

CREATE TABLE reminder_mutes (
    key_id  INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    PRIMARY KEY (key_id, kind)
);
