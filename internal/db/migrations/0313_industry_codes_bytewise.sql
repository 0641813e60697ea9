-- Every registry list and detail names an enterprise's industry by
-- joining industry_codes on its code, three times (the class, else its
-- group, else its division). enterprises.industry_code compares byte-wise
-- (COLLATE "C", for the code filter's ranges), so on PostgreSQL the join
-- compares in "C" too, and the primary key of industry_codes, built in
-- the database's default collation, cannot serve it: each listed
-- enterprise was matched against every code by a filter (about 26 ms for
-- a page of 50 at 100,000 enterprises, most of the list's time). An index
-- of the code in "C" serves the join (1.8 ms). SQLite compares byte-wise
-- everywhere and needs nothing.
{{POSTGRES}}
CREATE INDEX industry_codes_code_c ON industry_codes (code COLLATE "C");
{{END}}
