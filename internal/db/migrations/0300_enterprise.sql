-- Enterprise registry (企业库): enterprises, the zone's industry-chain tree,
-- GB/T 4754-2017 industry codes, tiers and certificates, and yearly/monthly
-- figures with their source.

CREATE TABLE industry_codes (
    code        TEXT PRIMARY KEY,          -- 门类 letter (A–T) or 2/3/4-digit code
    level       TEXT NOT NULL,             -- section, division, group, class
    name_zh     TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT ''
);

CREATE TABLE chain_nodes (
    id        {{ID}},
    code      TEXT NOT NULL UNIQUE,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT '',
    parent_id BIGINT REFERENCES chain_nodes(id),
    sort      INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX chain_nodes_parent ON chain_nodes(parent_id, sort);

CREATE TABLE enterprises (
    id                     {{ID}},
    credit_code            TEXT NOT NULL UNIQUE,  -- 统一社会信用代码, normalised
    name                   TEXT NOT NULL,
    former_names           TEXT NOT NULL DEFAULT '',  -- one per line
    legal_form             TEXT NOT NULL DEFAULT '',
    registered_on          TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    registered_capital_fen BIGINT NOT NULL DEFAULT 0,
    area_unit_id           BIGINT REFERENCES units(id), -- office area (办事处)
    address                TEXT NOT NULL DEFAULT '',
    industry_code          TEXT NOT NULL DEFAULT '',  -- GB/T 4754-2017
    status                 TEXT NOT NULL DEFAULT 'operating', -- operating, moved_out, deregistered
    synthetic              BOOLEAN NOT NULL DEFAULT FALSE,    -- generated demo data
    version                INTEGER NOT NULL DEFAULT 1,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

CREATE INDEX enterprises_name ON enterprises(name);
CREATE INDEX enterprises_area ON enterprises(area_unit_id, id);
CREATE INDEX enterprises_industry ON enterprises(industry_code, id);
CREATE INDEX enterprises_status ON enterprises(status, id);

CREATE TABLE enterprise_chains (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    node_id       BIGINT NOT NULL REFERENCES chain_nodes(id),
    PRIMARY KEY (enterprise_id, node_id)
);

CREATE INDEX enterprise_chains_node ON enterprise_chains(node_id, enterprise_id);

-- Tiers and certificates (高新技术企业, 瞪羚, 上市企业…); history is kept: a
-- renewed certificate is a new row.
CREATE TABLE enterprise_tiers (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    tier          TEXT NOT NULL,   -- hnte, tsme, gazelle, unicorn, srdi, little_giant, champion, listed, rd_platform
    level         TEXT NOT NULL DEFAULT '',  -- national, provincial, municipal
    cert_no       TEXT NOT NULL DEFAULT '',
    valid_from    TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    valid_to      TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, '' for open-ended
    board         TEXT NOT NULL DEFAULT '',  -- listed: board
    stock_code    TEXT NOT NULL DEFAULT '',  -- listed: code
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE INDEX enterprise_tiers_ent ON enterprise_tiers(enterprise_id, tier);
CREATE INDEX enterprise_tiers_tier ON enterprise_tiers(tier, valid_to);

-- The configurable list of figures kept per enterprise. A value is stored as
-- an integer in units of 10^-scale of unit: money is unit 元 with scale 2
-- (that is, fen), 亩 with scale 2, people with scale 0.
CREATE TABLE figure_indicators (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    unit    TEXT NOT NULL,
    scale   INTEGER NOT NULL DEFAULT 0,
    sort    INTEGER NOT NULL DEFAULT 0,
    nonnegative BOOLEAN NOT NULL DEFAULT TRUE
);

-- One value per enterprise, indicator, period and source. month 0 is the
-- whole year. The effective value is the confirmed one of the best-ranked
-- source (statistics, tax > staff > self-reported).
CREATE TABLE enterprise_figures (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    indicator     TEXT NOT NULL REFERENCES figure_indicators(code),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL,   -- stats, tax, staff, self
    value         BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'confirmed', -- confirmed, pending, rejected
    entered_by    BIGINT REFERENCES users(id),
    entered_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month, source)
);

CREATE INDEX enterprise_figures_ind ON enterprise_figures(indicator, year, month, value);

-- An enterprise account belongs to its enterprise.
ALTER TABLE users ADD COLUMN enterprise_id BIGINT REFERENCES enterprises(id);

-- Compliance records (不良记录: 严重失信, 安全事故, 环保处罚…); an award
-- programme that asks for no flagged record excludes an enterprise with an
-- active one. Cleared records stay.
CREATE TABLE enterprise_flags (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    cleared_at    BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX enterprise_flags_ent ON enterprise_flags(enterprise_id, active, id);
CREATE INDEX enterprise_flags_list ON enterprise_flags(active, id);
