-- The registry's three largest tables hold tens of millions of rows at the
-- scale of a province and are always read by their primary key's leading
-- columns (an enterprise's figures, a gram's enterprises). On SQLite they
-- become WITHOUT ROWID tables, stored in primary-key order: an
-- enterprise's hundred figures sit on two or three pages instead of a
-- hundred scattered rows, and every insert updates one tree less.
-- PostgreSQL keeps its heap tables; only the index change below applies.
{{SQLITE}}
CREATE TABLE enterprise_figures_new (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    indicator     TEXT NOT NULL REFERENCES figure_indicators(code),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL,
    value         BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'confirmed',
    entered_by    BIGINT REFERENCES users(id),
    entered_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month, source)
) {{WITHOUT_ROWID}};
INSERT INTO enterprise_figures_new SELECT enterprise_id, indicator, year, month, source, value, status, entered_by, entered_at FROM enterprise_figures;
DROP TABLE enterprise_figures;
ALTER TABLE enterprise_figures_new RENAME TO enterprise_figures;
CREATE INDEX enterprise_figures_ind ON enterprise_figures(indicator, year, month, value);

CREATE TABLE enterprise_figure_current_new (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    indicator     TEXT NOT NULL REFERENCES figure_indicators(code),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    value         BIGINT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month)
) {{WITHOUT_ROWID}};
INSERT INTO enterprise_figure_current_new SELECT enterprise_id, indicator, year, month, value, source FROM enterprise_figure_current;
DROP TABLE enterprise_figure_current;
ALTER TABLE enterprise_figure_current_new RENAME TO enterprise_figure_current;
CREATE INDEX enterprise_figure_current_range ON enterprise_figure_current(indicator, year, month, value, enterprise_id);

CREATE TABLE enterprise_name_grams_new (
    gram          TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    PRIMARY KEY (gram, enterprise_id)
) {{WITHOUT_ROWID}};
INSERT INTO enterprise_name_grams_new SELECT gram, enterprise_id FROM enterprise_name_grams;
DROP TABLE enterprise_name_grams;
ALTER TABLE enterprise_name_grams_new RENAME TO enterprise_name_grams;
CREATE INDEX enterprise_name_grams_ent ON enterprise_name_grams(enterprise_id);
{{END}}

-- Staff's queue of self-reported figures reads the pending ones only; an
-- index over every figure's status (almost all 'confirmed') cost each
-- insert a tree update and served nothing else.
DROP INDEX IF EXISTS enterprise_figures_status;
CREATE INDEX enterprise_figures_pending ON enterprise_figures(entered_at, enterprise_id) WHERE status = 'pending';
