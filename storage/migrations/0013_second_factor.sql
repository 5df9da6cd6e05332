-- An authenticator app (TOTP) as a second factor of the unlock: its shared secret sealed by the vault
-- (field "totp" of key 0), the last time step accepted (no code is accepted twice), SHA-256 hashes of
-- the one-time recovery codes, and until when a right code lets the passphrase be asked.
CREATE TABLE second_factor (
    user_id      INTEGER PRIMARY KEY,
    data_key_id  INTEGER NOT NULL REFERENCES data_keys(id),
    nonce        BLOB NOT NULL,
    ciphertext   BLOB NOT NULL,
    active       INTEGER NOT NULL DEFAULT 0,   -- 0 while the first code is awaited
    last_step    INTEGER NOT NULL DEFAULT 0,
    recovery     TEXT NOT NULL DEFAULT '[]',   -- JSON list of hex SHA-256 of unused recovery codes
    passed_until INTEGER,
    updated_at   INTEGER NOT NULL
);
