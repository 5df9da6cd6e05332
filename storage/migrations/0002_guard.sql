-- The secret guard: per-group settings, exempt users, and reminders about leaks the bot could not delete.
CREATE TABLE group_guard (
    chat_id           INTEGER PRIMARY KEY,
    mode              TEXT NOT NULL DEFAULT 'on',   -- on | off | dryrun
    warned_no_rights  INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE group_exemptions (
    chat_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE leak_reminders (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    kinds       TEXT NOT NULL,
    remind_at   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX leak_reminders_due ON leak_reminders(remind_at);
