-- The registry's change feed: which enterprises changed, and in which year
-- of their figures (0: their registry facts, chains or certificates, which
-- bear on every year). Other modules (the industry brain's rollups) read it
-- through enterprise.Service.Changes and apply it after the sequence they
-- last applied.
--
-- A write takes its sequence number from enterprise_change_state as the
-- last thing before it commits; the row lock orders commits by sequence,
-- so once a reader sees number n, every number below it has committed or
-- never will. The reader keeps its own place and may never miss a change.
CREATE TABLE enterprise_change_state (
    id  INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);

INSERT INTO enterprise_change_state (id, seq) VALUES (1, 0);

CREATE TABLE enterprise_changes (
    seq           BIGINT NOT NULL,
    enterprise_id BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    PRIMARY KEY (seq, enterprise_id, year)
) {{WITHOUT_ROWID}};

-- 增加值 (value added), which the per-mu evaluation (亩均效益评价) divides
-- by land and energy.
INSERT INTO figure_indicators (code, name_zh, name_en, unit, scale, sort, nonnegative)
VALUES ('value_added', '工业增加值', 'Value added', '元', 2, 15, TRUE);
