-- Awards and subsidies (评优与奖补): programmes with their rules and formula,
-- applications with evidence, the review panel, rankings kept round by round,
-- public-notice objections, grants, payments and the ledger. Rules, formula
-- and money rule are stored as JSON written by internal/award. Compliance
-- flags (enterprise_flags) belong to the registry (0300_enterprise.sql).

CREATE TABLE award_programmes (
    id           {{ID}},
    year         INTEGER NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,               -- ranking, prize
    state        TEXT NOT NULL DEFAULT 'draft', -- draft, open, review, notice, confirmed, closed
    quota        INTEGER NOT NULL DEFAULT 0,
    budget_fen   BIGINT NOT NULL DEFAULT 0,
    rules_json   TEXT NOT NULL DEFAULT '{}',  -- eligibility, formula, grading, money rule, criteria
    notice_days  INTEGER NOT NULL DEFAULT 7,
    notice_from  BIGINT NOT NULL DEFAULT 0,
    notice_until BIGINT NOT NULL DEFAULT 0,
    historical   BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    -- An objection upheld during the public notice (公示) that changes the
    -- result restarts the notice: notice_from/notice_until move to the new
    -- period, and these record how many times it restarted and the
    -- objection that last did.
    notice_restarts          INTEGER NOT NULL DEFAULT 0,
    notice_restart_objection BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX award_programmes_year ON award_programmes(year, id);
CREATE INDEX award_programmes_state ON award_programmes(state, id);

-- Winners of past programmes known only by name (2022 prizes in the seed).
CREATE TABLE award_honours (
    id            {{ID}},
    programme_id  BIGINT NOT NULL REFERENCES award_programmes(id),
    name          TEXT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprises(id),
    sort          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX award_honours_prog ON award_honours(programme_id, sort, id);

CREATE TABLE award_applications (
    id            {{ID}},
    programme_id  BIGINT NOT NULL REFERENCES award_programmes(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    state         TEXT NOT NULL DEFAULT 'submitted', -- submitted, accepted, returned
    summary       TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    submitted_by  BIGINT REFERENCES users(id),
    checked_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (programme_id, enterprise_id)
);

CREATE INDEX award_applications_ent ON award_applications(enterprise_id, id);
CREATE INDEX award_applications_prog ON award_applications(programme_id, state, id);

CREATE TABLE award_evidence (
    id             {{ID}},
    application_id BIGINT REFERENCES award_applications(id),
    objection_id   BIGINT,
    filename       TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    sha256         TEXT NOT NULL,
    data           {{BLOB}} NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE INDEX award_evidence_app ON award_evidence(application_id, id);
CREATE INDEX award_evidence_obj ON award_evidence(objection_id, id);

-- What a reviewer declares about themself: affiliations (one name or credit
-- code per line) used for the automatic conflict-of-interest check.
CREATE TABLE award_reviewer_profiles (
    user_id      BIGINT PRIMARY KEY REFERENCES users(id),
    affiliations TEXT NOT NULL DEFAULT '',
    updated_at   BIGINT NOT NULL
);

CREATE TABLE award_assignments (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES award_applications(id),
    reviewer_id    BIGINT NOT NULL REFERENCES users(id),
    state          TEXT NOT NULL DEFAULT 'assigned', -- assigned, scored, conflict, recused
    reason         TEXT NOT NULL DEFAULT '',
    total_milli    BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (application_id, reviewer_id)
);

CREATE INDEX award_assignments_rev ON award_assignments(reviewer_id, id);

CREATE TABLE award_scores (
    assignment_id BIGINT NOT NULL REFERENCES award_assignments(id),
    criterion     TEXT NOT NULL,
    score_milli   BIGINT NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, criterion)
);

-- One ranking run of a programme; results are kept per round, so the
-- history of corrections stays visible.
CREATE TABLE award_rounds (
    id           {{ID}},
    programme_id BIGINT NOT NULL REFERENCES award_programmes(id),
    round        INTEGER NOT NULL,
    cause        TEXT NOT NULL DEFAULT '',
    digest       TEXT NOT NULL,
    result_json  TEXT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    UNIQUE (programme_id, round)
);

CREATE TABLE award_objections (
    id            {{ID}},
    programme_id  BIGINT NOT NULL REFERENCES award_programmes(id),
    enterprise_id BIGINT REFERENCES enterprises(id),
    name          TEXT NOT NULL,
    contact       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'filed', -- filed, upheld, dismissed
    finding       TEXT NOT NULL DEFAULT '',
    decided_by    BIGINT REFERENCES users(id),
    decided_at    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

CREATE INDEX award_objections_prog ON award_objections(programme_id, id);

-- Corrections made when an objection is upheld: a figure value used by this
-- programme instead of the registry's, or an exclusion.
CREATE TABLE award_corrections (
    id            {{ID}},
    programme_id  BIGINT NOT NULL REFERENCES award_programmes(id),
    objection_id  BIGINT REFERENCES award_objections(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,        -- figure, exclude
    indicator     TEXT NOT NULL DEFAULT '',
    year          INTEGER NOT NULL DEFAULT 0,
    value         BIGINT NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE INDEX award_corrections_prog ON award_corrections(programme_id, enterprise_id, id);

CREATE TABLE award_grants (
    id            {{ID}},
    programme_id  BIGINT NOT NULL REFERENCES award_programmes(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    rank          INTEGER NOT NULL DEFAULT 0,
    amount_fen    BIGINT NOT NULL,
    basis         TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    UNIQUE (programme_id, enterprise_id)
);

CREATE INDEX award_grants_prog ON award_grants(programme_id, rank, id);

CREATE TABLE award_payments (
    id            {{ID}},
    grant_id      BIGINT NOT NULL REFERENCES award_grants(id),
    amount_fen    BIGINT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending', -- pending, approved, paid, reversed
    idem_key      TEXT NOT NULL UNIQUE,
    request_hash  TEXT NOT NULL,
    requested_by  BIGINT REFERENCES users(id),
    approved_by   BIGINT REFERENCES users(id),
    voucher_no    TEXT NOT NULL DEFAULT '',
    paid_on       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE INDEX award_payments_grant ON award_payments(grant_id, id);

-- The ledger: append-only entries; every balance is a sum over them. A paid
-- payment is one entry; its correction is a reversal entry pointing at it.
CREATE TABLE award_ledger (
    id           {{ID}},
    programme_id BIGINT NOT NULL REFERENCES award_programmes(id),
    grant_id     BIGINT NOT NULL REFERENCES award_grants(id),
    payment_id   BIGINT NOT NULL REFERENCES award_payments(id),
    kind         TEXT NOT NULL,          -- payment, reversal
    amount_fen   BIGINT NOT NULL,        -- positive for a payment, negative for a reversal
    paid_on      TEXT NOT NULL,
    year         INTEGER NOT NULL,
    voucher_no   TEXT NOT NULL DEFAULT '',
    reverses_id  BIGINT UNIQUE REFERENCES award_ledger(id),
    note         TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL
);

CREATE INDEX award_ledger_prog ON award_ledger(programme_id, id);
CREATE INDEX award_ledger_year ON award_ledger(year, programme_id);
CREATE INDEX award_ledger_grant ON award_ledger(grant_id, id);

-- The module's cache version (internal/memo).
INSERT INTO module_versions (module, version) VALUES ('award', 0);
