-- Every change of a period's deadline after it opened (a holiday added, the deadline settings changed, a province's
-- offices closed): for the whole country (province_code '') or one province, what it was, what it became, why, and
-- whether it was applied. A change that would move a deadline already passed is recorded as refused, once, and the
-- deadline stays.
CREATE TABLE period_deadline_changes (
    id {id},
    period TEXT NOT NULL REFERENCES periods (code),
    province_code TEXT NOT NULL,
    at {instant} NOT NULL,
    late_from_before {instant} NOT NULL,
    late_from_after {instant} NOT NULL,
    applied {bool} NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (period, province_code, late_from_before, late_from_after)
);
