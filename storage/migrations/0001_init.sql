-- Times are UTC unix seconds. Secrets live only in key_secrets, as AES-GCM ciphertext.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,          -- Telegram user id
    language    TEXT NOT NULL,
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    created_at  INTEGER NOT NULL
);

CREATE TABLE data_keys (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    wrapped     BLOB NOT NULL,                -- nonce || AES-GCM(master, data key)
    created_at  INTEGER NOT NULL
);
CREATE INDEX data_keys_user ON data_keys(user_id);

CREATE TABLE keys (
    id               INTEGER PRIMARY KEY,
    owner_id         INTEGER NOT NULL REFERENCES users(id),
    venue            TEXT NOT NULL,
    environment      TEXT NOT NULL,
    host             TEXT,                    -- broker host for white-label venues
    name             TEXT NOT NULL,
    permissions      TEXT NOT NULL,           -- JSON list of permission ids
    read_only        INTEGER,                 -- NULL where the venue has no such switch
    ip_allowlist     TEXT NOT NULL,           -- JSON list; empty = any IP
    expiry_kind      TEXT NOT NULL,           -- none | venue | remind
    expires_at       INTEGER,
    status           TEXT NOT NULL,           -- pending | active | disabled | deleted
    masked_id        TEXT,
    rotation_pending INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    activated_at     INTEGER,
    last_used_at     INTEGER,
    last_verified_at INTEGER,
    verify_outcome   TEXT,
    verify_code      TEXT,
    deleted_at       INTEGER
);
CREATE INDEX keys_owner ON keys(owner_id, venue);
-- Names are unique per user and venue among keys that still exist.
CREATE UNIQUE INDEX keys_unique_name ON keys(owner_id, venue, name COLLATE NOCASE) WHERE status != 'deleted';

CREATE TABLE key_secrets (
    key_id       INTEGER NOT NULL REFERENCES keys(id),
    slot         TEXT NOT NULL,               -- staged | current | previous
    field        TEXT NOT NULL,
    data_key_id  INTEGER NOT NULL REFERENCES data_keys(id),
    nonce        BLOB NOT NULL,
    ciphertext   BLOB NOT NULL,
    fingerprint  BLOB NOT NULL,               -- HMAC-SHA256 under the vault's fingerprint key
    PRIMARY KEY (key_id, slot, field)
);
CREATE INDEX key_secrets_fingerprint ON key_secrets(fingerprint);

CREATE TABLE pending_deletions (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    delete_at   INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX pending_deletions_due ON pending_deletions(delete_at);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    owner_id  INTEGER NOT NULL,
    key_id    INTEGER,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    at        INTEGER NOT NULL
);
CREATE INDEX audit_key ON audit(key_id, id);

CREATE TABLE fsm (
    storage_key TEXT PRIMARY KEY,
    state       TEXT,
    data        TEXT NOT NULL DEFAULT '{}',
    updated_at  INTEGER NOT NULL
);
