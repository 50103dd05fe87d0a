-- Returns files uploaded by provincial offices, and which returns each upload applied.

CREATE TABLE uploads (
    id {id},
    province_code TEXT NOT NULL REFERENCES provinces (code),
    file_name TEXT NOT NULL,
    -- Where the engine reads the file from (the dashboard stores uploads under the data folder).
    stored_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    dry_run {bool} NOT NULL,
    uploaded_by TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('Queued', 'Running', 'Completed', 'Refused', 'Failed')),
    created_at {instant} NOT NULL,
    finished_at {instant} NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    returns_rejected INTEGER NOT NULL DEFAULT 0,
    rows_in_error INTEGER NOT NULL DEFAULT 0,
    message TEXT NULL,
    error_report TEXT NULL
);
-- A file is imported once: a second upload of the same bytes is "already imported". A refused file changed
-- nothing and may come again; a check-only run is not an import.
CREATE UNIQUE INDEX ux_uploads_sha256 ON uploads (sha256) WHERE dry_run = FALSE AND state <> 'Refused';
CREATE INDEX ix_uploads_province ON uploads (province_code, id);

-- The returns an upload applied, written in the same transaction as the return: a rerun after a crash skips
-- them, two runners of one upload cannot both apply a return, and their count is the upload's progress.
CREATE TABLE upload_returns (
    upload_id BIGINT NOT NULL REFERENCES uploads (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL REFERENCES periods (code),
    PRIMARY KEY (upload_id, unit_id, period)
);
