-- Sign-in lockout: failed attempts in a row, and until when the account is locked.
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until {instant} NULL;
