-- The outlier rule's strongest change of each version of a return against the unit's earlier months (computed in C#,
-- the rule's one home, the first time a queue needs it), so that a queue of thousands filters by it in SQL. A ratio,
-- not a figure: approximate is enough. NULL when there was nothing to compare or nothing changed.
CREATE TABLE outlier_marks (
    return_id BIGINT NOT NULL REFERENCES returns (id),
    version INTEGER NOT NULL,
    average_of INTEGER NOT NULL,
    change DOUBLE PRECISION NULL,
    against TEXT NULL,
    PRIMARY KEY (return_id, version, average_of)
);
