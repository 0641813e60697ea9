-- The effective values become one tree instead of two. Every reader gives
-- the indicator, the year and the month (the list's range filters, the
-- export, the import's comparison, the recomputation after a change), so
-- the table itself is keyed the way the range index was: (indicator, year,
-- month, enterprise_id), with the value beside the key. An import of
-- 100,000 enterprises wrote a million entries into each of the two; now
-- into one. On SQLite the table stays WITHOUT ROWID, so the value is read
-- from the key's own page; on PostgreSQL the key index carries the value
-- (INCLUDE) and a range filter never visits the heap.
{{SQLITE}}
CREATE TABLE enterprise_figure_current_new (
    indicator     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    enterprise_id BIGINT NOT NULL,
    value         BIGINT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (indicator, year, month, enterprise_id)
) {{WITHOUT_ROWID}};
{{END}}
{{POSTGRES}}
-- Codes (indicators, sources, statuses, credit and industry codes) are
-- ASCII and compared byte by byte: COLLATE "C" spares every index
-- comparison the database locale's rules, which cost an import of
-- 100,000 rows seconds under C.UTF-8 and more under zh_CN or en_US.
CREATE TABLE enterprise_figure_current_new (
    indicator     TEXT COLLATE "C" NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL DEFAULT 0,
    enterprise_id BIGINT NOT NULL,
    value         BIGINT NOT NULL,
    source        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (indicator, year, month, enterprise_id) INCLUDE (value)
);
{{END}}
INSERT INTO enterprise_figure_current_new (indicator, year, month, enterprise_id, value, source)
    SELECT indicator, year, month, enterprise_id, value, source FROM enterprise_figure_current
    ORDER BY indicator, year, month, enterprise_id;
DROP TABLE enterprise_figure_current;
ALTER TABLE enterprise_figure_current_new RENAME TO enterprise_figure_current;

{{POSTGRES}}
ALTER INDEX enterprise_figure_current_new_pkey RENAME TO enterprise_figure_current_pkey;
ALTER TABLE enterprise_figures ALTER COLUMN indicator TYPE TEXT COLLATE "C",
    ALTER COLUMN source TYPE TEXT COLLATE "C", ALTER COLUMN status TYPE TEXT COLLATE "C";
ALTER TABLE enterprises ALTER COLUMN credit_code TYPE TEXT COLLATE "C",
    ALTER COLUMN industry_code TYPE TEXT COLLATE "C", ALTER COLUMN status TYPE TEXT COLLATE "C";

-- What an import writes per enterprise keeps no foreign keys, as its
-- figures already do (migration 0306): PostgreSQL checks each inserted
-- row's key with a trigger query, measured here at 0.2-0.9 s per 100,000
-- rows per key, with four keys a quarter of an import's database time.
-- Enterprises, office areas (units) and chain nodes are never deleted, and
-- the service writes only ids it read or inserted in the same transaction
-- (TestFiguresNeverOrphaned checks every one of these references).
ALTER TABLE enterprise_chains DROP CONSTRAINT IF EXISTS enterprise_chains_enterprise_id_fkey;
ALTER TABLE enterprise_chains DROP CONSTRAINT IF EXISTS enterprise_chains_node_id_fkey;
ALTER TABLE enterprise_history DROP CONSTRAINT IF EXISTS enterprise_history_enterprise_id_fkey;
ALTER TABLE enterprises DROP CONSTRAINT IF EXISTS enterprises_area_unit_id_fkey;
{{END}}

-- Only generated demo enterprises are looked up by that flag (counting
-- them, picking demo applicants): a partial index costs imports and
-- everyday edits nothing.
DROP INDEX IF EXISTS enterprises_synthetic;
CREATE INDEX enterprises_synthetic ON enterprises(id) WHERE synthetic = TRUE;
