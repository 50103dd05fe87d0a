-- The deadline engine: experts' contact details, deadline extensions, the notification ledgers,
-- the Quartz→Hangfire hand-offs and the record of engine runs.

ALTER TABLE users ADD COLUMN email TEXT NULL;
ALTER TABLE users ADD COLUMN mobile TEXT NULL;

-- Append-only: the latest row of a (unit, period) is the extension in force; the older ones are its history.
CREATE TABLE deadline_extensions (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL REFERENCES periods (code),
    late_from {instant} NOT NULL,
    reason TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at {instant} NOT NULL
);
CREATE INDEX ix_extensions_unit_period ON deadline_extensions (unit_id, period, id);

-- The source of truth for what was sent to units' liaisons: exactly one row per (unit, period, stage, channel).
CREATE TABLE reminders (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL REFERENCES periods (code),
    stage TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('Email', 'Sms')),
    status TEXT NOT NULL CHECK (status IN ('Pending', 'Sending', 'Sent', 'Failed', 'Invalid', 'Skipped')),
    attempts INTEGER NOT NULL,
    not_before {instant} NOT NULL,
    claim_token TEXT NULL,
    claimed_at {instant} NULL,
    recipients TEXT NULL,
    sent_at {instant} NULL,
    last_error TEXT NULL,
    created_at {instant} NOT NULL,
    UNIQUE (unit_id, period, stage, channel)
);
CREATE INDEX ix_reminders_due ON reminders (channel, status, not_before);
CREATE INDEX ix_reminders_claim ON reminders (claim_token);
CREATE INDEX ix_reminders_period ON reminders (period, stage, channel, status);

-- The daily digest of a province's non-reporting units: one row per (expert, day).
CREATE TABLE digests (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users (id),
    day TEXT NOT NULL,
    period TEXT NOT NULL REFERENCES periods (code),
    status TEXT NOT NULL CHECK (status IN ('Pending', 'Sending', 'Sent', 'Failed', 'Invalid', 'Skipped')),
    attempts INTEGER NOT NULL,
    not_before {instant} NOT NULL,
    claim_token TEXT NULL,
    claimed_at {instant} NULL,
    recipients TEXT NULL,
    sent_at {instant} NULL,
    last_error TEXT NULL,
    created_at {instant} NOT NULL,
    UNIQUE (user_id, day)
);

-- A Quartz firing hands its instant to Hangfire once: a trigger fired twice finds its row here (and counts the repeat).
CREATE TABLE handoffs (
    trigger_key TEXT NOT NULL,
    scheduled_at {instant} NOT NULL,
    handed_at {instant} NOT NULL,
    repeats INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (trigger_key, scheduled_at)
);

-- What each run of the "run what is due" step did, for the admin's schedule page and `status`.
CREATE TABLE engine_runs (
    id {id},
    source TEXT NOT NULL,
    as_of {instant} NOT NULL,
    started_at {instant} NOT NULL,
    finished_at {instant} NULL,
    outcome TEXT NULL
);
CREATE INDEX ix_engine_runs_started ON engine_runs (started_at);
