-- The audit chain gets a keyed link (HMAC-SHA256 with a key kept outside
-- the database): rows written before it carry an empty mac and are checked
-- by their unkeyed hash only.
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';

CREATE INDEX audit_at ON audit_log(at, id);
CREATE INDEX audit_action ON audit_log(action, id);

-- Refused requests (401, 403, 429) are counted per source address, minute
-- and code instead of one chained audit row each.
CREATE TABLE audit_refusals (
    minute    BIGINT NOT NULL,
    source    TEXT NOT NULL,
    code      TEXT NOT NULL,
    count     BIGINT NOT NULL,
    last_path TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (minute, source, code)
);

CREATE INDEX audit_refusals_source ON audit_refusals(source, minute);

-- Failed logins lock an account only from the address they came from, so
-- nobody can lock an administrator out from everywhere.
CREATE TABLE login_locks (
    user_id      BIGINT NOT NULL REFERENCES users(id),
    ip           TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, ip)
);

-- The token whose bearer made a token: revoking a token revokes what it made.
ALTER TABLE api_tokens ADD COLUMN parent_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX api_tokens_parent ON api_tokens(parent_id);
