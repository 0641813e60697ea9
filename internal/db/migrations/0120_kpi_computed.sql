-- Computed indicators (系统计算): an indicator whose figures another module
-- computes from its own dated events (calls published, bids, money paid…)
-- instead of people entering them. source names the measure
-- ('scenario.calls_published'; '' for an entered indicator); the filters
-- narrow it ('' or 0: no narrowing). The figures themselves are never
-- stored: the targets module asks the source at read time.
ALTER TABLE kpi_indicators ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE kpi_indicators ADD COLUMN source_category TEXT NOT NULL DEFAULT '';
ALTER TABLE kpi_indicators ADD COLUMN source_chain TEXT NOT NULL DEFAULT '';
ALTER TABLE kpi_indicators ADD COLUMN source_batch INTEGER NOT NULL DEFAULT 0;
