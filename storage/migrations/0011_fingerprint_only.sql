-- Storage modes: "server" keeps the sealed credentials (verification and health checks run unattended);
-- "fingerprint" keeps no secret at all, only the keyed fingerprints, so the guard still recognises it.
ALTER TABLE keys ADD COLUMN storage TEXT NOT NULL DEFAULT 'server';
CREATE TABLE key_fingerprints (
    key_id INTEGER NOT NULL REFERENCES keys(id),
    fingerprint BLOB NOT NULL,
    PRIMARY KEY (key_id, fingerprint)
);
