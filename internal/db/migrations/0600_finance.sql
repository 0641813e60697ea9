-- Tech finance (科技金融): investment institutions and banks with their
-- profiles, the accounts acting for them, government funds with their
-- sub-funds and investments; enterprises' financing needs with who may see
-- them; matches between a need and an institution moving through the
-- funnel (匹配 → 对接 → 尽调 → 投资意向/授信 → 到位, or closed), their dated
-- steps and private notes; roadshows. Users, enterprises and chain nodes
-- belong to the foundation and the registry: this module reads them
-- through their Go APIs and keeps the names it shows beside its own rows.

CREATE TABLE finance_institutions (
    id             {{ID}},
    kind           TEXT NOT NULL,            -- vc_pe, angel, bank, guarantee, insurer, leasing, gov_fund
    name           TEXT NOT NULL,
    credit_code    TEXT NOT NULL UNIQUE,     -- 统一社会信用代码, checked as the registry does
    aum_fen        BIGINT NOT NULL DEFAULT 0, -- capital under management (管理资本规模)
    ticket_min_fen BIGINT NOT NULL DEFAULT 0,
    ticket_max_fen BIGINT NOT NULL DEFAULT 0, -- 0: no upper bound
    settled_on     TEXT NOT NULL DEFAULT '', -- 入驻科技金融广场, YYYY-MM-DD; '' not settled
    intro          TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'pending', -- pending, approved, rejected
    reason         TEXT NOT NULL DEFAULT '', -- why rejected
    parent_id      BIGINT REFERENCES finance_institutions(id), -- a government fund's sub-fund
    committed_fen  BIGINT NOT NULL DEFAULT 0, -- a fund's committed capital (认缴)
    paid_in_fen    BIGINT NOT NULL DEFAULT 0, -- its paid-in capital (实缴)
    synthetic      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by     BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Matching reads approved institutions by ticket; lists by state; the
-- targets count settled ones by date.
CREATE INDEX finance_institutions_ticket ON finance_institutions(state, ticket_min_fen, ticket_max_fen, id);
CREATE INDEX finance_institutions_settled ON finance_institutions(state, settled_on, kind);
CREATE INDEX finance_institutions_parent ON finance_institutions(parent_id, id);

CREATE TABLE finance_institution_stages (
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    stage          TEXT NOT NULL,
    PRIMARY KEY (institution_id, stage)
);
CREATE INDEX finance_institution_stages_stage ON finance_institution_stages(stage, institution_id);

CREATE TABLE finance_institution_instruments (
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    instrument     TEXT NOT NULL,
    PRIMARY KEY (institution_id, instrument)
);
CREATE INDEX finance_institution_instruments_inst ON finance_institution_instruments(instrument, institution_id);

CREATE TABLE finance_institution_chains (
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    node_id        BIGINT NOT NULL REFERENCES chain_nodes(id),
    PRIMARY KEY (institution_id, node_id)
);
CREATE INDEX finance_institution_chains_node ON finance_institution_chains(node_id, institution_id);

CREATE TABLE finance_contacts (
    id             {{ID}},
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    name           TEXT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finance_contacts_inst ON finance_contacts(institution_id, id);

-- The accounts (role investor) acting for an institution: one institution
-- per account. Kept here rather than on users, so the foundation's table
-- stays the foundation's.
CREATE TABLE finance_members (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id),
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX finance_members_inst ON finance_members(institution_id, user_id);

-- A fund's investments in zone enterprises (a government fund or a sub-fund).
CREATE TABLE finance_fund_investments (
    id              {{ID}},
    fund_id         BIGINT NOT NULL REFERENCES finance_institutions(id),
    enterprise_id   BIGINT NOT NULL REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL,
    on_date         TEXT NOT NULL,
    synthetic       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT NOT NULL
);
CREATE INDEX finance_fund_investments_fund ON finance_fund_investments(fund_id, on_date, id);

CREATE TABLE finance_needs (
    id              {{ID}},
    enterprise_id   BIGINT NOT NULL REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL,
    title           TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL,
    instrument      TEXT NOT NULL,           -- equity, loan, convertible, guarantee, ip_pledge, leasing
    stage           TEXT NOT NULL,           -- seed, angel, a, b, c_plus, pre_ipo, ma
    use_of_funds    TEXT NOT NULL,
    shared_figures  TEXT NOT NULL DEFAULT '', -- registry indicator codes, comma separated
    audience        TEXT NOT NULL DEFAULT 'fit', -- fit (all fitting but the listed), chosen (only the listed), hidden
    state           TEXT NOT NULL DEFAULT 'open', -- open, closed
    synthetic       BOOLEAN NOT NULL DEFAULT FALSE,
    created_by      BIGINT REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- Matching an institution reads open needs by instrument, stage and amount.
CREATE INDEX finance_needs_fit ON finance_needs(state, instrument, stage, amount_fen, id);
CREATE INDEX finance_needs_ent ON finance_needs(enterprise_id, id);

CREATE TABLE finance_need_chains (
    need_id BIGINT NOT NULL REFERENCES finance_needs(id),
    node_id BIGINT NOT NULL REFERENCES chain_nodes(id),
    PRIMARY KEY (need_id, node_id)
);
CREATE INDEX finance_need_chains_node ON finance_need_chains(node_id, need_id);

-- The institutions a need lists: excluded ones (audience fit) or the
-- only ones that see it (audience chosen).
CREATE TABLE finance_need_audience (
    need_id        BIGINT NOT NULL REFERENCES finance_needs(id),
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    PRIMARY KEY (need_id, institution_id)
);
CREATE INDEX finance_need_audience_inst ON finance_need_audience(institution_id, need_id);

CREATE TABLE finance_need_files (
    id           {{ID}},
    need_id      BIGINT NOT NULL REFERENCES finance_needs(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         {{BLOB}} NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX finance_need_files_need ON finance_need_files(need_id, id);

-- A match: an institution's interest in a need and where it stands in the
-- funnel. step is the last step reached; state open or closed.
CREATE TABLE finance_matches (
    id               {{ID}},
    need_id          BIGINT NOT NULL REFERENCES finance_needs(id),
    institution_id   BIGINT NOT NULL REFERENCES finance_institutions(id),
    step             TEXT NOT NULL,          -- interest, matched, meeting, diligence, term, funded
    state            TEXT NOT NULL DEFAULT 'open', -- open, closed
    reason           TEXT NOT NULL DEFAULT '', -- why closed
    step_on          TEXT NOT NULL,          -- the date of the last step, YYYY-MM-DD
    term_fen         BIGINT NOT NULL DEFAULT 0, -- the term sheet's or credit approval's amount
    funded_fen       BIGINT NOT NULL DEFAULT 0, -- money received
    funded_on        TEXT NOT NULL DEFAULT '',
    synthetic        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (need_id, institution_id)
);
CREATE INDEX finance_matches_inst ON finance_matches(institution_id, state, id);
CREATE INDEX finance_matches_funded ON finance_matches(step, funded_on, need_id);

-- Every step a match reached, dated: the funnel's events.
CREATE TABLE finance_match_steps (
    id         {{ID}},
    match_id   BIGINT NOT NULL REFERENCES finance_matches(id),
    step       TEXT NOT NULL,               -- a step, or closed
    on_date    TEXT NOT NULL,
    amount_fen BIGINT NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    actor_id   BIGINT REFERENCES users(id),
    actor      TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
-- A match reaches each step once.
CREATE UNIQUE INDEX finance_match_steps_match ON finance_match_steps(match_id, step);
-- The funnel's conversion counts steps by their date (covering).
CREATE INDEX finance_match_steps_date ON finance_match_steps(on_date, step, match_id);

-- Notes on a match, private to its institution and staff.
CREATE TABLE finance_match_notes (
    id         {{ID}},
    match_id   BIGINT NOT NULL REFERENCES finance_matches(id),
    body       TEXT NOT NULL,
    author_id  BIGINT REFERENCES users(id),
    author     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX finance_match_notes_match ON finance_match_notes(match_id, id);

-- The funnel by month, kept on write: how many matches reached each step
-- in each month (by the step's date) and, for 到位, the money received,
-- for every chain node a match's need sits on or under (each node once per
-- need), and node 0 for every chain. The targets' measures read it.
CREATE TABLE finance_step_months (
    node_id BIGINT NOT NULL,                 -- a chain node, or 0: every chain
    step    TEXT NOT NULL,
    ym      TEXT NOT NULL,                   -- YYYY-MM, China time
    n       INTEGER NOT NULL DEFAULT 0,
    fen     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, step, ym)
);

-- Deals received per institution and chain node: matching's "past deals in
-- the chain" and the awards' figures read this rollup, kept on write.
CREATE TABLE finance_institution_deals (
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    node_id        BIGINT NOT NULL REFERENCES chain_nodes(id),
    deals          INTEGER NOT NULL DEFAULT 0,
    funded_fen     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, institution_id)
);
CREATE INDEX finance_institution_deals_inst ON finance_institution_deals(institution_id, node_id);

CREATE TABLE finance_roadshows (
    id         {{ID}},
    title      TEXT NOT NULL,
    on_date    TEXT NOT NULL,
    place      TEXT NOT NULL,
    synthetic  BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX finance_roadshows_date ON finance_roadshows(on_date, id);

CREATE TABLE finance_roadshow_needs (
    roadshow_id BIGINT NOT NULL REFERENCES finance_roadshows(id),
    need_id     BIGINT NOT NULL REFERENCES finance_needs(id),
    PRIMARY KEY (roadshow_id, need_id)
);
CREATE INDEX finance_roadshow_needs_need ON finance_roadshow_needs(need_id, roadshow_id);

CREATE TABLE finance_roadshow_institutions (
    roadshow_id    BIGINT NOT NULL REFERENCES finance_roadshows(id),
    institution_id BIGINT NOT NULL REFERENCES finance_institutions(id),
    PRIMARY KEY (roadshow_id, institution_id)
);
CREATE INDEX finance_roadshow_institutions_inst ON finance_roadshow_institutions(institution_id, roadshow_id);

-- The module's cache version (internal/memo).
INSERT INTO module_versions (module, version) VALUES ('finance', 0);
