-- When each account's password was last set, for the strict (等保) mode's
-- password expiry. Accounts made before this migration count from their
-- last change of any kind.
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET password_changed_at = updated_at;
