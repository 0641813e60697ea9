-- The review panel (评审专家组, internal/panel): experts' declared
-- affiliations, subjects given to experts, and their scores per criterion.
-- A subject is any module's object assessed by a panel, named by its kind
-- and id ('award_application' and the application's id; later a scenario
-- bid), with the contest it is ranked in (the award programme, the call).
-- The subject is not a foreign key: the calling module owns it and checks
-- it before every write.
--
-- The awards module kept these in award_reviewer_profiles,
-- award_assignments and award_scores (0400_award.sql). Their rows move here
-- with their ids, so the assignment ids in pages, API answers and the audit
-- trail (object type award_assignment) keep naming the same assignment, and
-- the old tables go. This is the one migration outside 0400–0499 that
-- names award tables: the move must happen after both ranges exist.

CREATE TABLE panel_reviewers (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id),
    affiliations TEXT NOT NULL DEFAULT '', -- one enterprise name or credit code per line
    updated_at   BIGINT NOT NULL
);

CREATE TABLE panel_assignments (
    id           {{ID}},
    subject_kind TEXT NOT NULL,            -- award_application, …
    subject_id   BIGINT NOT NULL,
    contest_id   BIGINT NOT NULL,          -- programme or call: subjects ranked together
    reviewer_id  BIGINT NOT NULL REFERENCES users(id),
    state        TEXT NOT NULL DEFAULT 'assigned', -- assigned, scored, conflict, recused
    reason       TEXT NOT NULL DEFAULT '', -- why in conflict, or why recused
    total_milli  BIGINT NOT NULL DEFAULT 0, -- sum of the scores, thousandths
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (subject_kind, subject_id, reviewer_id)
);

CREATE INDEX panel_assignments_rev ON panel_assignments(reviewer_id, subject_kind, id);
CREATE INDEX panel_assignments_contest ON panel_assignments(subject_kind, contest_id, state, subject_id);

CREATE TABLE panel_scores (
    assignment_id BIGINT NOT NULL REFERENCES panel_assignments(id),
    criterion     TEXT NOT NULL,
    score_milli   BIGINT NOT NULL,         -- thousandths
    comment       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, criterion)
);

INSERT INTO panel_reviewers (user_id, affiliations, updated_at)
    SELECT user_id, affiliations, updated_at FROM award_reviewer_profiles;

INSERT INTO panel_assignments (id, subject_kind, subject_id, contest_id, reviewer_id, state, reason, total_milli, created_at, updated_at)
    SELECT g.id, 'award_application', g.application_id, a.programme_id, g.reviewer_id, g.state, g.reason, g.total_milli, g.created_at, g.updated_at
    FROM award_assignments g JOIN award_applications a ON a.id = g.application_id;

INSERT INTO panel_scores (assignment_id, criterion, score_milli, comment)
    SELECT assignment_id, criterion, score_milli, comment FROM award_scores;

-- Rows inserted with their ids: PostgreSQL's identity does not move past
-- them by itself (SQLite's AUTOINCREMENT does).
{{POSTGRES}}
SELECT setval(pg_get_serial_sequence('panel_assignments', 'id'), COALESCE((SELECT MAX(id) FROM panel_assignments), 0) + 1, false);
{{END}}

DROP TABLE award_scores;
DROP TABLE award_assignments;
DROP TABLE award_reviewer_profiles;
