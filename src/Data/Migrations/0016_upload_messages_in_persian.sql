-- Why an upload was refused or failed, as the office reads it (message keeps the English for logs and the command line).
ALTER TABLE uploads ADD COLUMN message_persian TEXT NULL;
