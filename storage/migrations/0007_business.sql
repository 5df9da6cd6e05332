-- Telegram Business connections: a user connected the bot to their own account so it can guard their
-- private chats with other people.
CREATE TABLE business_connections (
    id            TEXT PRIMARY KEY,
    owner_id      INTEGER NOT NULL,
    can_read      INTEGER NOT NULL,
    can_delete    INTEGER NOT NULL,
    enabled       INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX business_owner ON business_connections(owner_id);
