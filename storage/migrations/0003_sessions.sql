-- Venue session tokens a user asked the bot to remember (B2Trader key management), encrypted.
CREATE TABLE venue_sessions (
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    venue        TEXT NOT NULL,
    host         TEXT NOT NULL,
    data_key_id  INTEGER NOT NULL REFERENCES data_keys(id),
    nonce        BLOB NOT NULL,
    ciphertext   BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (owner_id, venue, host)
);
