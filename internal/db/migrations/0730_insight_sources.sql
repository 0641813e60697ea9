-- 数据来源与新鲜度 (data sources and freshness): the catalogue's settings,
-- the per-source presence of yearly figures and the conflicts between
-- sources, all kept by the rollups' applier from the registry's change feed
-- in the same transaction as the rollups (rebuild recomputes them).

-- Settings of the module, one integer each.
CREATE TABLE insight_settings (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- Two confirmed sources whose yearly values differ by more than this share
-- (percent of the value that counts) are a conflict for staff to settle.
INSERT INTO insight_settings (name, value) VALUES ('conflict_percent', 10);

-- The catalogue's sources in order, with the days after which a source's
-- last import is stale (0: not tracked: staff's and enterprises' own
-- figures arrive one by one, not by import).
CREATE TABLE insight_source_freshness (
    source     TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    stale_days INTEGER NOT NULL
);

INSERT INTO insight_source_freshness (source, position, stale_days) VALUES
('stats', 1, 400), ('tax', 2, 400), ('power', 3, 400), ('ipr', 4, 400), ('staff', 5, 0), ('self', 6, 0), ('cert', 7, 400);

-- Which sources hold a confirmed yearly value of which indicators, per
-- enterprise and year ("revenue=stats,tax;energy=power"), and the counts
-- of enterprises per source, indicator and year they sum to.
CREATE TABLE insight_source_facts (
    enterprise_id BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    vals          TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);

CREATE TABLE insight_source_counts (
    source    TEXT NOT NULL,
    indicator TEXT NOT NULL,
    year      INTEGER NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (source, indicator, year)
);

-- Conflicts: confirmed sources disagreeing on an enterprise's yearly value
-- of an indicator. vals lists each source's value, best-ranked first
-- ("stats=100,tax=125"); spread is the largest difference from the
-- best-ranked source's value, in basis points. A settled conflict keeps who
-- chose which source and why; should the sources disagree again it opens
-- again with the new values.
CREATE TABLE insight_conflicts (
    enterprise_id BIGINT NOT NULL,
    indicator     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    vals          TEXT NOT NULL,
    spread        BIGINT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open', -- open, settled
    kept          TEXT NOT NULL DEFAULT '',     -- settled: the source whose value stands
    settled_by    BIGINT,
    settled_at    BIGINT NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (enterprise_id, indicator, year)
);

CREATE INDEX insight_conflicts_state ON insight_conflicts(state, spread);
