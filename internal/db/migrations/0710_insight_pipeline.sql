-- 产业大脑 tier pipeline (梯度培育): who is close to the next tier.
--
-- insight_candidates is kept with the contributions (insight_facts): when
-- an enterprise's contributions change, its rows here are recomputed from
-- them in the same transaction (insight/pipeline.go), and a rebuild
-- recomputes them all. A row is one enterprise and a tier it does not
-- hold whose thresholds (pipeline.go's Rules) it meets all but at most two
-- of, each within the criterion's margin, as the registry stands now (an
-- operating enterprise's latest year of figures, named by figures_year,
-- and the certificates current today).
CREATE TABLE insight_candidates (
    enterprise_id BIGINT NOT NULL,
    tier          TEXT {{COLLATE_C}} NOT NULL,
    area          TEXT {{COLLATE_C}} NOT NULL,   -- office area unit id, or "-"
    figures_year  INTEGER NOT NULL,
    unmet         INTEGER NOT NULL,              -- criteria not met (0: meets all, not certified)
    closeness     BIGINT NOT NULL,               -- sum of the shortfalls in thousandths of their margins: smaller is closer
    gaps          TEXT NOT NULL,                 -- JSON: the unmet criteria with value and threshold
    PRIMARY KEY (enterprise_id, tier)
) {{WITHOUT_ROWID}};

CREATE INDEX insight_candidates_all ON insight_candidates(unmet, closeness, enterprise_id);
CREATE INDEX insight_candidates_tier ON insight_candidates(tier, unmet, closeness, enterprise_id);
CREATE INDEX insight_candidates_area ON insight_candidates(area, unmet, closeness, enterprise_id);

-- Outreach tasks made from the list: one per enterprise, tier and plan
-- year, naming the plan task (plan.Service.AddTasks) that carries it.
CREATE TABLE insight_outreach (
    enterprise_id BIGINT NOT NULL,
    tier          TEXT NOT NULL,
    plan_year     INTEGER NOT NULL,
    task_id       BIGINT NOT NULL,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, tier, plan_year)
);
