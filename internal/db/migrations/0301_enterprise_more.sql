-- Enterprise registry, continued: accepted check failures, the effective
-- figure per period, change history, import jobs, and the indexes the
-- registry's lists need.

-- The reason staff gave when accepting a registered credit code that fails
-- a GB 32100 / GB 11714 check ('' when the code passes).
ALTER TABLE enterprises ADD COLUMN code_exception TEXT NOT NULL DEFAULT '';

-- The effective value per enterprise, indicator and period: the confirmed
-- value of the best-ranked source (stats > tax > staff > self), kept in step
-- with enterprise_figures by the enterprise service in the same transaction.
-- Figure-range filters and other modules read this table.
CREATE TABLE enterprise_figure_current (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    indicator     TEXT NOT NULL REFERENCES figure_indicators(code),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    value         BIGINT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month)
);

CREATE INDEX enterprise_figure_current_range ON enterprise_figure_current(indicator, year, month, value, enterprise_id);

-- Self-reported figures waiting for staff.
CREATE INDEX enterprise_figures_status ON enterprise_figures(status, enterprise_id);

-- Every change to an enterprise, its chains, tiers and figures, with before
-- and after. Single edits are also in audit_log; an import writes one
-- audit_log row holding the SHA-256 of all its history rows.
CREATE TABLE enterprise_history (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    at            BIGINT NOT NULL,
    actor_id      BIGINT,
    actor         TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    import_job_id BIGINT,
    before_json   TEXT NOT NULL DEFAULT '',
    after_json    TEXT NOT NULL DEFAULT ''
);

CREATE INDEX enterprise_history_ent ON enterprise_history(enterprise_id, id);

-- Spreadsheet imports. The uploaded file is kept until the job ends so that
-- any app server can run (or re-run) the job; the report holds every bad
-- row.
CREATE TABLE enterprise_import_jobs (
    id           {{ID}},
    status       TEXT NOT NULL,            -- queued, reading, writing, done, failed
    filename     TEXT NOT NULL,
    dry_run      BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL DEFAULT 'stats',
    total_rows   INTEGER NOT NULL DEFAULT 0,
    done_rows    INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT NOT NULL DEFAULT '',
    report_json  TEXT NOT NULL DEFAULT '',
    error_count  INTEGER NOT NULL DEFAULT 0,
    file         {{BLOB}},
    claimed_by   TEXT NOT NULL DEFAULT '',
    heartbeat_at BIGINT NOT NULL DEFAULT 0,
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX enterprise_import_jobs_user ON enterprise_import_jobs(created_by, id);
CREATE INDEX enterprise_import_jobs_status ON enterprise_import_jobs(status, id);

-- Enterprise accounts by enterprise.
CREATE INDEX users_enterprise ON users(enterprise_id);

-- The list's tier filter reads current certificates by tier.
CREATE INDEX enterprise_tiers_current ON enterprise_tiers(tier, valid_to, enterprise_id);
CREATE INDEX enterprises_synthetic ON enterprises(synthetic, id);
