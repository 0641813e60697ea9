-- The sources' presence of values, one row per enterprise instead of one
-- per enterprise and year: a rebuild wrote a million presence rows at
-- 100,000 enterprises, and most of an enterprise's years hold the same
-- sources. The years holding the same are joined: "2021,2022:revenue=
-- stats,tax;energy=power|2023:revenue=stats", groups in the order of their
-- first year (insight/sources.go, presenceRow). Rows kept so far move over.
-- On SQLite the key is the rowid itself (INTEGER PRIMARY KEY).
CREATE TABLE insight_source_presence (
    enterprise_id {{SQLITE}}INTEGER{{END}}{{POSTGRES}}BIGINT{{END}} PRIMARY KEY,
    vals          TEXT NOT NULL
);

{{POSTGRES}}
INSERT INTO insight_source_presence (enterprise_id, vals)
SELECT enterprise_id, string_agg(years || ':' || vals, '|' ORDER BY first)
FROM (SELECT enterprise_id, vals, string_agg(year::text, ',' ORDER BY year) AS years, MIN(year) AS first
      FROM insight_source_facts GROUP BY enterprise_id, vals) g
GROUP BY enterprise_id;
{{END}}
{{SQLITE}}
INSERT INTO insight_source_presence (enterprise_id, vals)
SELECT enterprise_id, group_concat(years || ':' || vals, '|' ORDER BY first)
FROM (SELECT enterprise_id, vals, group_concat(year, ',' ORDER BY year) AS years, MIN(year) AS first
      FROM insight_source_facts GROUP BY enterprise_id, vals) g
GROUP BY enterprise_id;
{{END}}

DROP TABLE insight_source_facts;
