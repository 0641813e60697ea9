-- Targets (目标指标): indicators, yearly targets, year-to-date actuals with
-- city and province figures, and per-year settings. Every figure column is an
-- integer in ten-thousandths of the indicator's unit (see kpi.Scale); NULL
-- means the figure does not exist.

CREATE TABLE kpi_indicators (
    id            {{ID}},
    code          TEXT NOT NULL UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    measure       TEXT NOT NULL,                 -- 亿元, %, 家 …
    kind          TEXT NOT NULL,                 -- growth, absolute
    direction     TEXT NOT NULL DEFAULT 'higher',-- higher, lower
    frequency     TEXT NOT NULL DEFAULT 'monthly', -- monthly, quarterly
    owner_unit_id BIGINT NOT NULL REFERENCES units(id),
    source_dept   TEXT NOT NULL DEFAULT '',
    seasonal      BOOLEAN NOT NULL DEFAULT FALSE,
    due_day       INTEGER NOT NULL DEFAULT 15,   -- figure for a period is due on this day of the next month
    sort          INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE INDEX kpi_indicators_sort ON kpi_indicators(sort, id);
CREATE INDEX kpi_indicators_owner ON kpi_indicators(owner_unit_id, sort, id);

CREATE TABLE kpi_targets (
    indicator_id BIGINT NOT NULL REFERENCES kpi_indicators(id),
    year         INTEGER NOT NULL,
    value        BIGINT NOT NULL,                -- growth: percent; absolute: amount
    note         TEXT NOT NULL DEFAULT '',
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, year)
);

CREATE INDEX kpi_targets_year ON kpi_targets(year, indicator_id);

CREATE TABLE kpi_actuals (
    indicator_id  BIGINT NOT NULL REFERENCES kpi_indicators(id),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,              -- last month of the period (quarter-end for quarterly)
    ytd           BIGINT,                        -- this year, year to date
    ytd_last      BIGINT,                        -- same period last year, year to date
    rate          BIGINT,                        -- published YTD growth, percent, when only a rate exists
    city_rate     BIGINT,                        -- city YTD growth, percent
    province_rate BIGINT,                        -- province YTD growth, percent
    note          TEXT NOT NULL DEFAULT '',
    updated_by    TEXT NOT NULL DEFAULT '',
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, year, month)
);

CREATE INDEX kpi_actuals_year ON kpi_actuals(year, indicator_id, month);

CREATE TABLE kpi_settings (
    year       INTEGER PRIMARY KEY,
    as_of      TEXT NOT NULL DEFAULT '',         -- YYYY-MM-DD the year is read at; '' for today
    ahead      BIGINT NOT NULL,                  -- pace thresholds, ratio
    on_pace    BIGINT NOT NULL,
    behind     BIGINT NOT NULL,
    close_pp   BIGINT NOT NULL,                  -- growth gap threshold, percentage points
    updated_at BIGINT NOT NULL
);

-- The module's cache version (internal/memo).
INSERT INTO module_versions (module, version) VALUES ('kpi', 0);
