-- A file is imported once per province: the same bytes uploaded by another province are that province's own
-- upload (its rows are checked against its own register), never "already imported" by someone else.
DROP INDEX ux_uploads_sha256;
CREATE UNIQUE INDEX ux_uploads_province_sha256 ON uploads (province_code, sha256) WHERE dry_run = FALSE AND state <> 'Refused';
