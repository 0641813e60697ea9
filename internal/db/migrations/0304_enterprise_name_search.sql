-- Name search: every character and every pair of adjacent characters of
-- an enterprise's name and former names (ASCII letters lower-cased), so
-- that a substring search looks its characters up through the primary key
-- instead of reading every name. Kept by the enterprise service's writes;
-- enterprises inserted elsewhere are indexed on the next name search.
CREATE TABLE enterprise_name_grams (
    gram          TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    PRIMARY KEY (gram, enterprise_id)
);

CREATE INDEX enterprise_name_grams_ent ON enterprise_name_grams(enterprise_id);

WITH RECURSIVE pos(i) AS (
    SELECT 1
    UNION ALL
    SELECT i + 1 FROM pos WHERE i < (SELECT COALESCE(MAX(length(name) + length(former_names)), 0) FROM enterprises)
), src(id, t) AS (
    SELECT id, lower(name) FROM enterprises
    UNION ALL
    SELECT id, lower(former_names) FROM enterprises WHERE former_names <> ''
), k(n) AS (
    SELECT 1 UNION ALL SELECT 2
)
INSERT INTO enterprise_name_grams (gram, enterprise_id)
SELECT DISTINCT substr(src.t, pos.i, k.n), src.id
FROM src CROSS JOIN k JOIN pos ON pos.i + k.n <= length(src.t) + 1;
