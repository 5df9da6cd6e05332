-- Storage mode 3, "locked with my passphrase": a second data key per user whose wrapped value is first
-- sealed with a key derived from the user's passphrase (Argon2id over `salt`), then with the master
-- key. The master key alone opens only the outer layer.
ALTER TABLE data_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'server';  -- server | locked
ALTER TABLE data_keys ADD COLUMN salt BLOB;
