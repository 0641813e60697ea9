-- Each enterprise's contributions, one row per enterprise instead of one
-- per enterprise and year: a rebuild wrote a million rows at 100,000
-- enterprises, and what PostgreSQL spent on them went by the row. body
-- holds each year's contribution as a line "year<TAB>dims<TAB>vals", in
-- year order (dims and vals as insight/model.go encodes them); now is 1
-- while the enterprise counts in year 0 (operating); latest is its latest
-- year with a contribution (0: none), which the monitor's no-report sweep
-- reads. Rows kept so far move over. On SQLite the key is the rowid itself.
CREATE TABLE insight_contributions (
    enterprise_id {{SQLITE}}INTEGER{{END}}{{POSTGRES}}BIGINT{{END}} PRIMARY KEY,
    now           INTEGER NOT NULL,
    latest        INTEGER NOT NULL,
    body          TEXT NOT NULL
);

{{POSTGRES}}
INSERT INTO insight_contributions (enterprise_id, now, latest, body)
SELECT enterprise_id, MAX(CASE WHEN year = 0 THEN 1 ELSE 0 END), MAX(year),
       string_agg(year::text || chr(9) || dims || chr(9) || vals, chr(10) ORDER BY year)
FROM insight_facts GROUP BY enterprise_id;
{{END}}
{{SQLITE}}
INSERT INTO insight_contributions (enterprise_id, now, latest, body)
SELECT enterprise_id, MAX(CASE WHEN year = 0 THEN 1 ELSE 0 END), MAX(year),
       group_concat(year || char(9) || dims || char(9) || vals, char(10) ORDER BY year)
FROM insight_facts GROUP BY enterprise_id;
{{END}}

DROP TABLE insight_facts;
