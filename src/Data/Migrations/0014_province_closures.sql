-- Days the offices of one province are closed by its governor (air pollution, heat, power shortages): a deadline of
-- that province's units falling on one moves to the next working day, as for a holiday. Who recorded it and when.
CREATE TABLE province_closures (
    id {id},
    province_code TEXT NOT NULL REFERENCES provinces (code),
    day TEXT NOT NULL,
    reason TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at {instant} NOT NULL,
    UNIQUE (province_code, day)
);

-- A province's own deadline for a period, where its closures moved it from the period's: the first late instant of
-- its units (a unit's own extension still comes first).
CREATE TABLE province_deadlines (
    period TEXT NOT NULL REFERENCES periods (code),
    province_code TEXT NOT NULL REFERENCES provinces (code),
    late_from {instant} NOT NULL,
    PRIMARY KEY (period, province_code)
);
