-- The public list's keyword filter within one category (words in the
-- titles of 城市管理和民生服务, say) read the category's calls through
-- scenario_needs_category, whose order (category, state, id) puts the
-- public states in several ranges, so SQLite walked the whole table
-- newest first instead, reading each call's row for its category, state
-- and words: at 10,000 calls the list's slowest filter. This index holds
-- what that filter reads, a category's calls in id order with their state
-- and words, so the walk reads the category's index entries and no rows
-- (the whole list, 积水 in 城市管理和民生服务: 3.7 ms → 1.6 ms); the category
-- alone and with a chain read it too. SQLite's only, as 0540's: PostgreSQL reads the rows for
-- their visibility whatever an index holds.
--
-- The new index is analysed at once (ANALYZE writes nothing for an empty
-- table): without statistics of its own SQLite guessed it the narrowest
-- and read a category in id order for one state too, where
-- scenario_needs_category holds that state's calls together.
{{SQLITE}}
CREATE INDEX scenario_needs_category_words ON scenario_needs(category, id, state, title, owner_name);
ANALYZE scenario_needs_category_words;
{{END}}
