-- Classes the registry keeps by year (亩均效益评价 A/B/C/D first): what an
-- evaluation decided of an enterprise, stored so that other modules and the
-- registry's list can filter on it. A set of one scheme and year is written
-- whole, by the module that ran the evaluation, through
-- enterprise.Service.SetClasses; source_programme_id names the awards
-- programme whose confirmed ranking it came from (no key: that table is the
-- awards module's).
CREATE TABLE enterprise_classes (
    enterprise_id       BIGINT NOT NULL REFERENCES enterprises(id),
    year                INTEGER NOT NULL,
    scheme              TEXT NOT NULL,   -- mu: 亩均效益评价
    class               TEXT NOT NULL,   -- A, B, C, D
    source_programme_id BIGINT NOT NULL DEFAULT 0,
    set_at              BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, year, scheme)
);

-- The list's filter (scheme, year, class) and the counts of a year.
CREATE INDEX enterprise_classes_filter ON enterprise_classes(scheme, year, class, enterprise_id);
