-- The register (provinces, units, products, liaisons, users) and the returns with their history.
-- Type tokens ({id}, {decimal}, {instant}, {bool}) are expanded per store by SqlDialect.

CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE products (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    unit_of_measure TEXT NOT NULL,
    isic TEXT NOT NULL
);

CREATE TABLE units (
    id {id},
    licence_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code),
    isic TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Active', 'PossiblyInactive', 'Closed')),
    created_at {instant} NOT NULL
);
CREATE INDEX ix_units_province ON units (province_code, status);

CREATE TABLE unit_products (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    product_code TEXT NOT NULL REFERENCES products (code),
    PRIMARY KEY (unit_id, product_code)
);

CREATE TABLE liaisons (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    email TEXT NULL,
    mobile TEXT NULL,
    CHECK (email IS NOT NULL OR mobile IS NOT NULL)
);
CREATE INDEX ix_liaisons_unit ON liaisons (unit_id);

CREATE TABLE users (
    id {id},
    user_name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('Liaison', 'ProvincialExpert', 'MinistryExpert', 'Admin')),
    province_code TEXT NULL REFERENCES provinces (code),
    unit_id BIGINT NULL REFERENCES units (id),
    password_hash TEXT NOT NULL,
    -- The scope is part of the role: a liaison has a unit, a provincial expert a province, nobody else either.
    CHECK ((role = 'Liaison' AND unit_id IS NOT NULL AND province_code IS NULL)
        OR (role = 'ProvincialExpert' AND province_code IS NOT NULL AND unit_id IS NULL)
        OR (role IN ('MinistryExpert', 'Admin') AND province_code IS NULL AND unit_id IS NULL))
);

CREATE TABLE periods (
    code TEXT PRIMARY KEY,
    opens_at {instant} NOT NULL,
    -- The first instant after the (shifted) deadline: a return first submitted from then on is late.
    late_from {instant} NOT NULL,
    opened_at {instant} NOT NULL
);

CREATE TABLE returns (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL REFERENCES periods (code),
    state TEXT NOT NULL CHECK (state IN ('Draft', 'Submitted', 'ReturnedByProvince', 'ForwardedToMinistry', 'ReturnedByMinistry', 'Registered')),
    version INTEGER NOT NULL,
    employees INTEGER NULL CHECK (employees >= 0),
    submitted_at {instant} NULL,
    late {bool} NOT NULL,
    updated_at {instant} NOT NULL,
    UNIQUE (unit_id, period)
);
CREATE INDEX ix_returns_period_state ON returns (period, state);

CREATE TABLE return_lines (
    return_id BIGINT NOT NULL REFERENCES returns (id),
    product_code TEXT NOT NULL REFERENCES products (code),
    production {decimal} NOT NULL,
    sales {decimal} NULL,
    export_qty {decimal} NULL,
    export_value_usd {decimal} NULL,
    PRIMARY KEY (return_id, product_code)
);

-- Append-only: the code never updates or deletes a row here.
CREATE TABLE return_history (
    id {id},
    return_id BIGINT NOT NULL REFERENCES returns (id),
    at {instant} NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    from_state TEXT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX ix_return_history_return ON return_history (return_id, id);

CREATE TABLE missed_deadline_flags (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL REFERENCES periods (code),
    flagged_at {instant} NOT NULL,
    PRIMARY KEY (unit_id, period)
);
CREATE INDEX ix_flags_period ON missed_deadline_flags (period);
