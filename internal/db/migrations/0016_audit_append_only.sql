-- The audit trail is append-only for every account the product connects
-- with: no role, administrator included, can change or delete a record
-- through the product or its database login. (Someone who can drop this
-- guard can still rewrite rows; `gaoxin audit verify` finds that, against
-- the key and checkpoints kept outside the database.)
{{POSTGRES}}
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: records cannot be changed or deleted' USING ERRCODE = '42501'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
{{END}}
{{SQLITE}}
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: records cannot be changed or deleted'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: records cannot be changed or deleted'); END;
{{END}}
