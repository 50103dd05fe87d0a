-- Register upkeep: units closed and reopened (with when and why), liaisons who come and go, users who must change
-- a first password or are disabled, and the record of every change to the register.

-- A unit is not expected to report for a period that opens while it is closed.
CREATE TABLE unit_closures (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    closed_at {instant} NOT NULL,
    reopened_at {instant} NULL
);
CREATE INDEX ix_unit_closures_unit ON unit_closures (unit_id, closed_at);
INSERT INTO unit_closures (unit_id, closed_at) SELECT id, created_at FROM units WHERE status = 'Closed';

-- A liaison stays on record after leaving the unit; only current liaisons (no active_to) get reminders.
ALTER TABLE liaisons ADD COLUMN national_id TEXT NULL;
ALTER TABLE liaisons ADD COLUMN active_to {instant} NULL;

ALTER TABLE users ADD COLUMN must_change_password {bool} NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN disabled {bool} NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN national_id TEXT NULL;

-- Append-only: who changed what in the register, when and why.
CREATE TABLE register_history (
    id {id},
    entity TEXT NOT NULL CHECK (entity IN ('Unit', 'Product', 'Liaison', 'User')),
    entity_key TEXT NOT NULL,
    at {instant} NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NULL,
    reason TEXT NULL
);
CREATE INDEX ix_register_history_entity ON register_history (entity, entity_key, id);
