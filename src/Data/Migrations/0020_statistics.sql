-- The monthly production statistics (issue #19): a unit's licensed annual capacity of a product, and the published
-- snapshots of the monthly table, which never change once written.
ALTER TABLE unit_products ADD COLUMN annual_capacity {decimal} NULL;

-- A numbered snapshot of a period's table; the numbers of a period have no gaps and the first is 1.
CREATE TABLE statistics_publications (
    id {id},
    period TEXT NOT NULL REFERENCES periods (code),
    number INTEGER NOT NULL,
    published_at {instant} NOT NULL,
    published_by TEXT NOT NULL,
    provisional {bool} NOT NULL,
    UNIQUE (period, number)
);

-- One cell of a snapshot: a selected product, nationally (province '') or in a province. Append-only.
CREATE TABLE statistics_values (
    publication_id BIGINT NOT NULL REFERENCES statistics_publications (id),
    product TEXT NOT NULL,
    province TEXT NOT NULL,
    month_value {decimal} NOT NULL,
    month_imputed {decimal} NOT NULL,
    month_provisional {decimal} NOT NULL,
    ytd_value {decimal} NOT NULL,
    ytd_imputed {decimal} NOT NULL,
    ytd_provisional {decimal} NOT NULL,
    month_year_earlier {decimal} NULL,
    ytd_year_earlier {decimal} NULL,
    reporting INTEGER NOT NULL,
    expected INTEGER NOT NULL,
    capacity_use DOUBLE PRECISION NULL,
    PRIMARY KEY (publication_id, product, province)
);

-- Keys of partner systems that ask for a unit's reporting status: only a hash of the key is kept.
CREATE TABLE api_keys (
    id {id},
    name TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at {instant} NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at {instant} NULL,
    revoked_by TEXT NULL
);

-- Every call made with a key, refused ones included. Append-only.
CREATE TABLE api_key_calls (
    id {id},
    key_id BIGINT NULL REFERENCES api_keys (id),
    at {instant} NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE INDEX ix_api_key_calls_key ON api_key_calls (key_id, id);

-- A publication goes to a partner that takes the statistics once: the key makes a second delivery of it impossible.
CREATE TABLE delivery_publications (
    partner TEXT NOT NULL,
    publication_id BIGINT NOT NULL REFERENCES statistics_publications (id),
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id),
    PRIMARY KEY (partner, publication_id)
);

-- How far a return's production is above a twelfth of the unit's licensed capacity (the largest over its products), so
-- that a queue filters capacity outliers with the margin applied when reading, as it does changes.
ALTER TABLE outlier_marks ADD COLUMN over_capacity DOUBLE PRECISION NULL;
