-- A stamp each session carries and every request checks: disabling a user, a new password, a role or province change
-- and signing out give the user a new one, which ends every session issued before.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
