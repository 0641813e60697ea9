-- 运行监测 (operating monitor): rules staff set, the warnings they raise on
-- enterprises as the rollups apply the registry's changes, and how each
-- warning was followed up. A warning belongs to the enterprise's office
-- area, whose unit sees it in its inbox.
CREATE TABLE insight_rules (
    id         {{ID}},
    kind       TEXT NOT NULL,            -- drop, drop_quarters, cert_lapse, moved_out, no_report
    name       TEXT NOT NULL,
    indicator  TEXT NOT NULL DEFAULT '', -- drop, drop_quarters: the registry indicator
    percent    INTEGER NOT NULL DEFAULT 0, -- drop: more than this share down on last year (1–100)
    periods    INTEGER NOT NULL DEFAULT 0, -- drop_quarters: quarters running; no_report: years without figures
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE insight_warnings (
    id            {{ID}},
    rule_id       BIGINT NOT NULL REFERENCES insight_rules(id),
    enterprise_id BIGINT NOT NULL,
    area_unit_id  BIGINT NOT NULL DEFAULT 0,
    period        TEXT NOT NULL,           -- what the warning is about: 2023, 2023Q3, a date
    detail_zh     TEXT NOT NULL,
    detail_en     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open', -- open, following, closed
    raised_at     BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (rule_id, enterprise_id, period)
);

CREATE INDEX insight_warnings_inbox ON insight_warnings(status, id);
CREATE INDEX insight_warnings_area ON insight_warnings(area_unit_id, status, id);
CREATE INDEX insight_warnings_enterprise ON insight_warnings(enterprise_id, id);

CREATE TABLE insight_warning_notes (
    id         {{ID}},
    warning_id BIGINT NOT NULL REFERENCES insight_warnings(id),
    at         BIGINT NOT NULL,
    actor_id   BIGINT,
    actor      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,              -- raised, note, following, closed, reopened
    note       TEXT NOT NULL DEFAULT ''
);

CREATE INDEX insight_warning_notes_warning ON insight_warning_notes(warning_id, id);

-- The rules the zone starts with; staff change or add to them.
INSERT INTO insight_rules (kind, name, indicator, percent, periods, created_at, updated_at) VALUES
('drop', '营业收入同比下降超过 30%', 'revenue', 30, 0, 0, 0),
('drop_quarters', '税收连续两个季度下降', 'taxes', 0, 2, 0, 0),
('drop', '综合能耗同比骤降超过 50%', 'energy', 50, 0, 0, 0),
('cert_lapse', '资质证书到期未续', '', 0, 0, 0, 0),
('moved_out', '企业迁出', '', 0, 0, 0, 0),
('no_report', '连续两年未报送数据', '', 0, 2, 0, 0);
