-- Scenario opportunities and open calls (场景机会清单 · 揭榜挂帅): needs
-- submitted by units and enterprises, reviewed into numbered batches (第 N
-- 批) and published as calls; the dated phases of each call; bids with
-- their partners, milestones and evidence files. Enterprises, chain nodes
-- and units are the registry's and the foundation's: this module reads them
-- through their Go APIs and keeps the names it shows beside its own rows.

CREATE TABLE scenario_batches (
    id           {{ID}},
    seq          INTEGER NOT NULL UNIQUE,     -- 第 N 批
    title        TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'draft', -- draft, published
    published_on TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD, China time
    synthetic    BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE scenario_needs (
    id                  {{ID}},
    title               TEXT NOT NULL,
    category            TEXT NOT NULL,        -- project, digital, urban, service
    owner_kind          TEXT NOT NULL,        -- unit, enterprise
    owner_unit_id       BIGINT REFERENCES units(id),
    owner_enterprise_id BIGINT REFERENCES enterprises(id),
    owner_name          TEXT NOT NULL,
    problem             TEXT NOT NULL,
    capabilities        TEXT NOT NULL DEFAULT '',
    site                TEXT NOT NULL DEFAULT '',
    data_open           TEXT NOT NULL DEFAULT '',
    budget_fen          BIGINT NOT NULL,
    price_cap           BOOLEAN NOT NULL DEFAULT TRUE, -- a bid may not ask more than the budget
    deadline            TEXT NOT NULL,        -- last day of bids, YYYY-MM-DD
    ends_on             TEXT NOT NULL,        -- delivery must end by, YYYY-MM-DD
    contact_name        TEXT NOT NULL,
    contact_phone       TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'collecting',
    reason              TEXT NOT NULL DEFAULT '', -- why rejected or failed
    batch_id            BIGINT REFERENCES scenario_batches(id),
    synthetic           BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_by        BIGINT REFERENCES users(id),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

-- The public list reads published calls newest first, by state and batch.
CREATE INDEX scenario_needs_state ON scenario_needs(state, id);
CREATE INDEX scenario_needs_batch ON scenario_needs(batch_id, id);
CREATE INDEX scenario_needs_category ON scenario_needs(category, state, id);
CREATE INDEX scenario_needs_unit ON scenario_needs(owner_unit_id, id);
CREATE INDEX scenario_needs_ent ON scenario_needs(owner_enterprise_id, id);

CREATE TABLE scenario_need_chains (
    need_id BIGINT NOT NULL REFERENCES scenario_needs(id),
    node_id BIGINT NOT NULL REFERENCES chain_nodes(id),
    PRIMARY KEY (need_id, node_id)
);

CREATE INDEX scenario_need_chains_node ON scenario_need_chains(node_id, need_id);

-- The date each phase of a call was reached, and by whom: 征集 (collected),
-- 审核 (approved), 发布 (published), 揭榜 (bids closed), 评审, 实施, 验收,
-- 结项, or the end of a rejected or failed call.
CREATE TABLE scenario_phases (
    need_id  BIGINT NOT NULL REFERENCES scenario_needs(id),
    phase    TEXT NOT NULL,
    on_date  TEXT NOT NULL,                   -- YYYY-MM-DD, China time
    at       BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (need_id, phase)
);

CREATE TABLE scenario_bids (
    id             {{ID}},
    need_id        BIGINT NOT NULL REFERENCES scenario_needs(id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id), -- the lead
    state          TEXT NOT NULL DEFAULT 'submitted', -- submitted, withdrawn
    solution       TEXT NOT NULL,
    team           TEXT NOT NULL,
    price_fen      BIGINT NOT NULL,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    synthetic      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by     BIGINT REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (need_id, enterprise_id)
);

CREATE INDEX scenario_bids_ent ON scenario_bids(enterprise_id, id);

-- Partners of a joint bid; each confirms from its own account.
CREATE TABLE scenario_bid_partners (
    bid_id        BIGINT NOT NULL REFERENCES scenario_bids(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    role          TEXT NOT NULL DEFAULT '',
    confirmed_at  BIGINT NOT NULL DEFAULT 0,  -- 0: not yet
    confirmed_by  BIGINT REFERENCES users(id),
    PRIMARY KEY (bid_id, enterprise_id)
);

CREATE INDEX scenario_bid_partners_ent ON scenario_bid_partners(enterprise_id, bid_id);

-- The bid's schedule: milestones in order, each with its share of the
-- price paid when it is accepted (the shares sum to 100).
CREATE TABLE scenario_bid_milestones (
    bid_id    BIGINT NOT NULL REFERENCES scenario_bids(id),
    seq       INTEGER NOT NULL,
    title     TEXT NOT NULL,
    due_on    TEXT NOT NULL,
    share_pct INTEGER NOT NULL,
    PRIMARY KEY (bid_id, seq)
);

-- Attachments of a need and evidence files of a bid, kept in the database.
CREATE TABLE scenario_files (
    id           {{ID}},
    need_id      BIGINT NOT NULL REFERENCES scenario_needs(id),
    bid_id       BIGINT REFERENCES scenario_bids(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         {{BLOB}} NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE INDEX scenario_files_need ON scenario_files(need_id, bid_id, id);

INSERT INTO module_versions (module, version) VALUES ('scenario', 0);
