-- Audit records older than the retention (180 days at least, 等保) may be
-- moved to signed archive files (gaoxin audit archive). Each archive is
-- listed here with where the chain stood at its last row, so the rows
-- left in audit_log still link to it. The append-only guard lets a row go
-- only when an archive covers it and it is past the retention; the list
-- of archives is itself append-only.
CREATE TABLE audit_archives (
    id          {{ID}},
    first_id    BIGINT NOT NULL,
    last_id     BIGINT NOT NULL,
    row_count   BIGINT NOT NULL,
    last_hash   TEXT NOT NULL,
    last_mac    TEXT NOT NULL,
    file        TEXT NOT NULL,
    file_digest TEXT NOT NULL,
    file_mac    TEXT NOT NULL,
    archived_at BIGINT NOT NULL
);
{{POSTGRES}}
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_log' AND OLD.at < (EXTRACT(EPOCH FROM now()) * 1000 - 180::bigint * 86400000) AND EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.first_id AND a.last_id) THEN RETURN OLD; END IF; RAISE EXCEPTION '% is append-only: records cannot be changed or deleted', TG_TABLE_NAME USING ERRCODE = '42501'; END $$;
CREATE TRIGGER audit_archives_append_only BEFORE UPDATE OR DELETE ON audit_archives FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{END}}
{{SQLITE}}
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN OLD.at >= (CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 180 * 86400000) OR NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.first_id AND a.last_id) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: records cannot be changed or deleted'); END;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: records cannot be changed or deleted'); END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: records cannot be changed or deleted'); END;
{{END}}
