-- Import jobs report rows written beside rows read (both of the file's
-- data rows, total_rows), and remember a takeover: when a server stopped
-- sending heartbeats mid-import (stalled_at, its last one) and another
-- server ran the job again from the start (taken_over_at, by claimed_by;
-- taken_over_from is the server that stopped), so the job's page can say so.
ALTER TABLE enterprise_import_jobs ADD COLUMN written_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enterprise_import_jobs ADD COLUMN takeovers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enterprise_import_jobs ADD COLUMN taken_over_from TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise_import_jobs ADD COLUMN taken_over_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enterprise_import_jobs ADD COLUMN stalled_at BIGINT NOT NULL DEFAULT 0;
