-- Batch deliveries to partner agencies: numbered per partner without gaps, what each carried, every attempt.

-- The last sequence number given to each partner, and the last scheduled delivery slot run for it.
CREATE TABLE partner_state (
    partner TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL,
    last_slot_at {instant} NULL
);

CREATE TABLE deliveries (
    id {id},
    partner TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('Pending', 'Delivered', 'Failed')),
    created_at {instant} NOT NULL,
    row_count INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data_file TEXT NOT NULL,
    manifest_file TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {instant} NULL,
    delivered_at {instant} NULL,
    last_error TEXT NULL,
    UNIQUE (partner, sequence)
);

-- A registered return (at its version) goes to a partner once: the key makes a second "new" impossible.
CREATE TABLE delivery_items (
    partner TEXT NOT NULL,
    return_id BIGINT NOT NULL REFERENCES returns (id),
    version INTEGER NOT NULL,
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    replaces {bool} NOT NULL,
    PRIMARY KEY (partner, return_id, version)
);
CREATE INDEX ix_delivery_items_delivery ON delivery_items (delivery_id);

CREATE TABLE delivery_attempts (
    id {id},
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    at {instant} NOT NULL,
    resend {bool} NOT NULL,
    succeeded {bool} NOT NULL,
    error TEXT NULL
);
CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
