-- The database's cryptographic mode (密码模式, internal/crypt): default, or
-- gm (国密: SM3 hashes, HMAC-SM3 audit links, SM4-GCM sealed fields). The
-- first server to open a new database records the mode it runs in, and
-- every later one must run in the same mode (and, in gm, with the SM4 key
-- whose id is recorded here), so a database never changes mode silently.
-- A database that already holds accounts or audit rows was written in the
-- default mode, the only one there was: it is recorded as such here.
CREATE TABLE crypto_mode (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    mode    TEXT NOT NULL,             -- default or gm
    key_id  TEXT NOT NULL DEFAULT '',  -- gm: the id of the SM4 key fields are sealed under
    set_at  BIGINT NOT NULL            -- Unix ms when the mode or the key was recorded
);

INSERT INTO crypto_mode (id, mode, key_id, set_at)
SELECT 1, 'default', '', 0
WHERE EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM audit_log);
