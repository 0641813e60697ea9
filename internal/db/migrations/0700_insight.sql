-- 产业大脑 (industry brain): rollups of the registry by chain, office
-- area, industry (门类, 大类), size band, registration cohort and tier,
-- singly and crossed in pairs, per year; year 0 is the registry as it
-- stands (operating enterprises, certificates current today).
--
-- The rollups follow the registry's change feed (enterprise_changes,
-- read through enterprise.Service.Changes): one applier at a time (the
-- state row's lock) recomputes each changed enterprise's contribution,
-- takes its last contribution (insight_facts) off the cells and adds the
-- new one, and moves its place in the feed, in one transaction. Pages read
-- the cells and never the raw figures. `gaoxin rollup rebuild` recomputes
-- every table here from the registry.

-- The applier's place in the feed: the last (seq, enterprise) applied, and
-- the day whose current certificates year 0 reflects.
CREATE TABLE insight_state (
    id            INTEGER PRIMARY KEY,
    seq           BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    day           TEXT NOT NULL,
    applied_at    BIGINT NOT NULL,
    rebuilt_at    BIGINT NOT NULL
);

INSERT INTO insight_state (id, seq, enterprise_id, day, applied_at, rebuilt_at) VALUES (1, 0, 0, '', 0, 0);

-- Each enterprise's contribution as last applied, per year: its
-- dimensions and its figures, encoded (insight/model.go). An enterprise
-- counts in a year when it has an effective whole-year figure for it, and
-- in year 0 while it is operating.
CREATE TABLE insight_facts (
    enterprise_id BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    dims          TEXT NOT NULL,
    vals          TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, year)
) {{WITHOUT_ROWID}};

-- The cells: per year, dimension (one, or two joined by "|" in a fixed
-- order) and key (the values, joined alike), the count of enterprises and
-- the sums (JSON: per indicator the sum and the count of enterprises with
-- a value, per tier the count holding it).
CREATE TABLE insight_cells (
    year  INTEGER NOT NULL,
    dims  TEXT {{COLLATE_C}} NOT NULL,
    key   TEXT {{COLLATE_C}} NOT NULL,
    n     BIGINT NOT NULL,
    body  TEXT NOT NULL,
    PRIMARY KEY (year, dims, key)
) {{WITHOUT_ROWID}};

-- The chain nodes' leading enterprises by revenue, per year: an
-- enterprise is listed under the nodes it is assigned to (a node's
-- leaders are merged from its subtree when read).
CREATE TABLE insight_leaders (
    year          INTEGER NOT NULL,
    node_id       BIGINT NOT NULL,
    revenue       BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    PRIMARY KEY (year, node_id, revenue, enterprise_id)
) {{WITHOUT_ROWID}};

INSERT INTO module_versions (module, version) VALUES ('insight', 0);
