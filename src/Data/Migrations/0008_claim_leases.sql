-- A claim's lease is kept in the database's own clock: a claim that waited on locks or a sender whose clock runs
-- virtual time can no longer land already expired. Claims written before this migration expire at once.
ALTER TABLE reminders ADD COLUMN lease_until {instant} NULL;
ALTER TABLE digests ADD COLUMN lease_until {instant} NULL;
CREATE INDEX ix_reminders_lease ON reminders (status, lease_until);
CREATE INDEX ix_digests_lease ON digests (status, lease_until);
