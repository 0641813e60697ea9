-- The public list's keyword filter (words in a call's title or its
-- owner's name) reads titles until it has the page and its bounded count,
-- every title when the words are rare. On SQLite each is a row read
-- through the table (about a microsecond each); this index holds only
-- what the filter reads, with the state the public list checks, in id
-- order (read backwards: newest first), so the scan reads a third of the
-- pages and no rows. PostgreSQL reads the rows for their visibility
-- whatever an index holds, and scans the table for these words as
-- before, so the index is SQLite's only.
{{SQLITE}}
CREATE INDEX scenario_needs_words ON scenario_needs(id, state, title, owner_name);
{{END}}
