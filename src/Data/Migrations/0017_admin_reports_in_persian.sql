-- What a run of the step did and why a delivery attempt failed, as the admin's pages say it in Persian (outcome and
-- error keep the English for logs and the command line).
ALTER TABLE engine_runs ADD COLUMN outcome_persian TEXT NULL;
ALTER TABLE delivery_attempts ADD COLUMN error_persian TEXT NULL;
