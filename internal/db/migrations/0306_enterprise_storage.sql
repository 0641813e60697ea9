-- The registry's two largest tables hold tens of millions of rows at the
-- scale of a province and are always read by their primary key's leading
-- columns (an enterprise's figures and effective values). On SQLite they
-- become WITHOUT ROWID tables, stored in primary-key order: an
-- enterprise's hundred figures sit on two or three pages instead of a
-- hundred scattered rows, and every insert updates one tree less.
-- PostgreSQL keeps its heap tables.
{{SQLITE}}
CREATE TABLE enterprise_figures_new (
    enterprise_id BIGINT NOT NULL,
    indicator     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    source        TEXT NOT NULL,
    value         BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'confirmed',
    entered_by    BIGINT,
    entered_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month, source)
) {{WITHOUT_ROWID}};
INSERT INTO enterprise_figures_new SELECT enterprise_id, indicator, year, month, source, value, status, entered_by, entered_at FROM enterprise_figures;
DROP TABLE enterprise_figures;
ALTER TABLE enterprise_figures_new RENAME TO enterprise_figures;

CREATE TABLE enterprise_figure_current_new (
    enterprise_id BIGINT NOT NULL,
    indicator     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    value         BIGINT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, indicator, year, month)
) {{WITHOUT_ROWID}};
INSERT INTO enterprise_figure_current_new SELECT enterprise_id, indicator, year, month, value, source FROM enterprise_figure_current;
DROP TABLE enterprise_figure_current;
ALTER TABLE enterprise_figure_current_new RENAME TO enterprise_figure_current;

{{END}}

-- The two fact tables keep no foreign keys. PostgreSQL checks each key of
-- each inserted row with a trigger query: measured here, 6–7 s per million
-- rows per key, three quarters of an import's time. Enterprises,
-- indicators and users are never deleted (they change status), and the
-- enterprise service writes only ids it read or inserted in the same
-- transaction; the service tests check that no value is orphaned.
{{POSTGRES}}
ALTER TABLE enterprise_figures DROP CONSTRAINT IF EXISTS enterprise_figures_enterprise_id_fkey;
ALTER TABLE enterprise_figures DROP CONSTRAINT IF EXISTS enterprise_figures_indicator_fkey;
ALTER TABLE enterprise_figures DROP CONSTRAINT IF EXISTS enterprise_figures_entered_by_fkey;
ALTER TABLE enterprise_figure_current DROP CONSTRAINT IF EXISTS enterprise_figure_current_enterprise_id_fkey;
ALTER TABLE enterprise_figure_current DROP CONSTRAINT IF EXISTS enterprise_figure_current_indicator_fkey;
{{END}}

-- Figure ranges are answered from the effective values
-- (enterprise_figure_current_range); the index over every stored value by
-- indicator and value served no query and cost each insert a tree update
-- at a random place.
DROP INDEX IF EXISTS enterprise_figures_ind;

-- A figure range is read in enterprise order, the list's order, so a wide
-- range stops after a page and a narrow one reads one indicator-year of
-- index entries; new values (new enterprises, higher ids) are appended
-- instead of inserted at random places by value.
DROP INDEX IF EXISTS enterprise_figure_current_range;
CREATE INDEX enterprise_figure_current_range ON enterprise_figure_current(indicator, year, month, enterprise_id, value);

-- Staff's queue of self-reported figures reads the pending ones only; an
-- index over every figure's status (almost all 'confirmed') cost each
-- insert a tree update and served nothing else.
DROP INDEX IF EXISTS enterprise_figures_status;
CREATE INDEX enterprise_figures_pending ON enterprise_figures(entered_at, enterprise_id) WHERE status = 'pending';

-- Name search moves into each server's memory (internal/enterprise/search.go):
-- the gram table cost every new enterprise some thirty index rows. Writes
-- that name an enterprise take the next names version, whose row lock
-- orders them, and stamp the enterprise with it; servers reload the names
-- stamped after the version they hold.
DROP TABLE enterprise_name_grams;
CREATE TABLE enterprise_names_state (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO enterprise_names_state (id, version) VALUES (1, 1);
ALTER TABLE enterprises ADD COLUMN names_seq BIGINT NOT NULL DEFAULT 0;
UPDATE enterprises SET names_seq = 1;
CREATE INDEX enterprises_names_seq ON enterprises(names_seq);

-- Names are searched in memory now (a substring, which no index of the
-- column could serve); the name index only cost every insert and rename.
DROP INDEX IF EXISTS enterprises_name;
