-- Every version of a return's figures, as saved: who saved them (name and role), when, and how (the liaison's form,
-- an office's upload). A change of figures overwrites return_lines; this table keeps what they were.
CREATE TABLE return_figure_versions (
    return_id BIGINT NOT NULL REFERENCES returns (id),
    version INTEGER NOT NULL,
    product_code TEXT NOT NULL,
    production {decimal} NOT NULL,
    sales {decimal} NULL,
    export_qty {decimal} NULL,
    export_value_usd {decimal} NULL,
    employees INTEGER NULL,
    saved_at {instant} NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (return_id, version, product_code)
);
