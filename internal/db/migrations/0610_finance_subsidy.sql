-- Financing subsidies (政策工具: 贴息, 担保费补贴) as money rules. A rule
-- names the instruments it covers and how much it pays of a funded deal:
-- the deal's amount × the yearly rate (the loan's rate for 贴息, the
-- guarantee fee for 担保费补贴) × the zone's share × the months covered,
-- capped per deal. Its year's budget is a policy fund in the awards ledger
-- (award_programmes, kind 'policy'), opened in the same transaction; each
-- subsidy is a grant there, paid by the ledger's rules. A deal is
-- subsidised at most once under a rule (the primary key), and an
-- enterprise at most once a year under it (the ledger's one grant per
-- enterprise and fund).

CREATE TABLE finance_subsidy_rules (
    id           {{ID}},
    year         INTEGER NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,             -- interest (贴息), guarantee_fee (担保费补贴)
    instruments  TEXT NOT NULL,             -- instrument codes it covers, comma separated
    rate_bp      INTEGER NOT NULL,          -- the yearly rate it is worked from, in basis points (0.01 %)
    share_pct    INTEGER NOT NULL,          -- the zone's share of it, percent
    months       INTEGER NOT NULL,          -- months of the deal it covers
    cap_fen      BIGINT NOT NULL DEFAULT 0, -- the most one deal receives; 0 for no cap
    basis        TEXT NOT NULL DEFAULT '',  -- the policy document
    programme_id BIGINT NOT NULL UNIQUE REFERENCES award_programmes(id),
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX finance_subsidy_rules_year ON finance_subsidy_rules(year, id);

CREATE TABLE finance_subsidies (
    match_id   BIGINT NOT NULL REFERENCES finance_matches(id),
    rule_id    BIGINT NOT NULL REFERENCES finance_subsidy_rules(id),
    grant_id   BIGINT NOT NULL UNIQUE REFERENCES award_grants(id),
    amount_fen BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (match_id, rule_id)
);
CREATE INDEX finance_subsidies_rule ON finance_subsidies(rule_id, match_id);
