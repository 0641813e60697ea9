-- Delivery of a call (实施 → 验收 → 结项): the contract signed with the
-- winner, paid through the awards ledger (a contract grant there); the
-- winning bid's milestones as the call's deliverables, each a task in the
-- plan and a stage payment; the acceptance verdicts, with their files.

CREATE TABLE scenario_contracts (
    need_id       BIGINT PRIMARY KEY REFERENCES scenario_needs(id),
    bid_id        BIGINT NOT NULL REFERENCES scenario_bids(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    contract_no   TEXT NOT NULL,
    signed_on     TEXT NOT NULL,              -- YYYY-MM-DD
    amount_fen    BIGINT NOT NULL,
    grant_id      BIGINT NOT NULL REFERENCES award_grants(id),
    lead_unit_id  BIGINT NOT NULL REFERENCES units(id),
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL
);

CREATE TABLE scenario_deliverables (
    need_id    BIGINT NOT NULL REFERENCES scenario_contracts(need_id),
    seq        INTEGER NOT NULL,
    title      TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    share_pct  INTEGER NOT NULL,
    amount_fen BIGINT NOT NULL,
    task_id    BIGINT NOT NULL REFERENCES plan_nodes(id),
    payment_id BIGINT REFERENCES award_payments(id),
    PRIMARY KEY (need_id, seq)
);

CREATE TABLE scenario_acceptances (
    id         {{ID}},
    need_id    BIGINT NOT NULL REFERENCES scenario_contracts(need_id),
    passed     BOOLEAN NOT NULL,
    on_date    TEXT NOT NULL,
    opinion    TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE INDEX scenario_acceptances_need ON scenario_acceptances(need_id, id);

ALTER TABLE scenario_files ADD COLUMN acceptance_id BIGINT REFERENCES scenario_acceptances(id);
