-- An objection upheld during the public notice (公示) that changes the result
-- restarts the notice: notice_from/notice_until move to the new period, and
-- these record how many times it restarted and the objection that last did.

ALTER TABLE award_programmes ADD COLUMN notice_restarts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE award_programmes ADD COLUMN notice_restart_objection BIGINT NOT NULL DEFAULT 0;
