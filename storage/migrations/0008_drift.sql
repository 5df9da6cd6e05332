-- What the last successful check found on the venue: the differences from the record (kept until a
-- later check clears them) and the venue's own view of the key (so the record can be matched to it).
ALTER TABLE keys ADD COLUMN drift TEXT;        -- JSON list of {"kind", "args"}; NULL = none known
ALTER TABLE keys ADD COLUMN venue_state TEXT;  -- JSON {"permissions", "ips", "read_only", "ip_restricted"}
