-- Several workers share one database: a reminder or a deletion is claimed with a lease before it is
-- acted on, so only one worker acts; a worker that dies leaves the lease to run out.
ALTER TABLE reminders ADD COLUMN lease_until BIGINT;
ALTER TABLE pending_deletions ADD COLUMN lease_until BIGINT;
