-- Work plan and supervision (督查督办): plan years, the plan tree (theme →
-- focus area → action → task, milestones under tasks), progress reports with
-- attachments and review history, formal chases (督办单), settings and a
-- webhook outbox. Progress values are tenths of a percent (0–1000) unless
-- the column says pct (whole percent 0–100).

CREATE TABLE plan_years (
    year       INTEGER PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    as_of      TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD review date; '' = today
    created_at BIGINT NOT NULL
);

CREATE TABLE plan_nodes (
    id              {{ID}},
    year            INTEGER NOT NULL REFERENCES plan_years(year),
    parent_id       BIGINT REFERENCES plan_nodes(id),
    level           TEXT NOT NULL,               -- theme, focus, action, task
    code            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    title_en        TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    sort            INTEGER NOT NULL DEFAULT 0,
    weight          INTEGER,                     -- NULL: equal shares among siblings
    lead_unit_id    BIGINT REFERENCES units(id),
    start_on        TEXT NOT NULL DEFAULT '',
    due_on          TEXT NOT NULL DEFAULT '',
    deliverable     TEXT NOT NULL DEFAULT '',
    indicator_code  TEXT NOT NULL DEFAULT '',
    cycle           TEXT NOT NULL DEFAULT 'monthly',
    reported_pct    INTEGER NOT NULL DEFAULT 0,  -- from the latest accepted report
    override_pct    INTEGER,                     -- supervisor override, NULL: none
    override_reason TEXT NOT NULL DEFAULT '',
    override_by     TEXT NOT NULL DEFAULT '',
    override_at     BIGINT NOT NULL DEFAULT 0,
    done_on         TEXT NOT NULL DEFAULT '',    -- date progress first reached 100
    flag            TEXT NOT NULL DEFAULT 'green',
    flag_reason     TEXT NOT NULL DEFAULT '',
    flag_as_of      TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE INDEX plan_nodes_year ON plan_nodes(year, parent_id, sort, id);
CREATE INDEX plan_nodes_parent ON plan_nodes(parent_id, sort, id);
CREATE INDEX plan_nodes_lead ON plan_nodes(lead_unit_id, year, id);
CREATE INDEX plan_nodes_flag ON plan_nodes(year, flag, due_on, id);

CREATE TABLE plan_co_units (
    node_id BIGINT NOT NULL REFERENCES plan_nodes(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (node_id, unit_id)
);

CREATE INDEX plan_co_units_unit ON plan_co_units(unit_id, node_id);

CREATE TABLE plan_milestones (
    id         {{ID}},
    task_id    BIGINT NOT NULL REFERENCES plan_nodes(id),
    title      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    done_on    TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE INDEX plan_milestones_task ON plan_milestones(task_id, due_on, id);

CREATE TABLE plan_reports (
    id                 {{ID}},
    task_id            BIGINT NOT NULL REFERENCES plan_nodes(id),
    period             TEXT NOT NULL,            -- 2023-05 or 2023-Q2
    due_on             TEXT NOT NULL,
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    state              TEXT NOT NULL,            -- draft, submitted, returned, accepted
    pct                INTEGER NOT NULL,
    done_text          TEXT NOT NULL DEFAULT '',
    problems           TEXT NOT NULL DEFAULT '',
    next_steps         TEXT NOT NULL DEFAULT '',
    review_comment     TEXT NOT NULL DEFAULT '',
    created_by         BIGINT NOT NULL REFERENCES users(id),
    submitted_at       BIGINT NOT NULL DEFAULT 0,
    first_submitted_on TEXT NOT NULL DEFAULT '',
    reviewed_by        BIGINT REFERENCES users(id),
    reviewed_at        BIGINT NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (task_id, period)
);

CREATE INDEX plan_reports_state ON plan_reports(state, submitted_at, id);
CREATE INDEX plan_reports_unit ON plan_reports(unit_id, state, id);

CREATE TABLE plan_report_events (
    id        {{ID}},
    report_id BIGINT NOT NULL REFERENCES plan_reports(id),
    task_id   BIGINT NOT NULL REFERENCES plan_nodes(id),
    action    TEXT NOT NULL,                     -- create, update, submit, return, accept
    comment   TEXT NOT NULL DEFAULT '',
    actor     TEXT NOT NULL DEFAULT '',
    at        BIGINT NOT NULL
);

CREATE INDEX plan_report_events_task ON plan_report_events(task_id, id);
CREATE INDEX plan_report_events_report ON plan_report_events(report_id, id);

CREATE TABLE plan_attachments (
    id           {{ID}},
    report_id    BIGINT NOT NULL REFERENCES plan_reports(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         {{BLOB}} NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL
);

CREATE INDEX plan_attachments_report ON plan_attachments(report_id, id);

CREATE TABLE plan_chases (
    id         {{ID}},
    task_id    BIGINT NOT NULL REFERENCES plan_nodes(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    issued_on  TEXT NOT NULL,
    reply_by   TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'open',     -- open, replied, closed
    reply      TEXT NOT NULL DEFAULT '',
    replied_on TEXT NOT NULL DEFAULT '',
    issued_by  BIGINT NOT NULL REFERENCES users(id),
    replied_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX plan_chases_unit ON plan_chases(unit_id, state, reply_by, id);
CREATE INDEX plan_chases_state ON plan_chases(state, reply_by, id);
CREATE INDEX plan_chases_task ON plan_chases(task_id, id);

CREATE TABLE plan_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE plan_outbox (
    id           {{ID}},
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending', -- pending, sending, sent, failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    sent_at      BIGINT NOT NULL DEFAULT 0,
    -- A delivery run stamps claimed_at when it takes a row into 'sending'.
    -- A row whose claim is older than the lease (internal/plan/webhook.go)
    -- was abandoned by a sender that died mid-send and is due again.
    claimed_at   BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX plan_outbox_state ON plan_outbox(state, id);

-- The module's cache version (internal/memo).
INSERT INTO module_versions (module, version) VALUES ('plan', 0);
