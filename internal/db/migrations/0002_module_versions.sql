-- One version number per module, for the one cache (internal/memo). Every
-- write transaction of a module bumps its row before it commits; a reader
-- compares the number with the one its cached value was built at. A new
-- module adds its row in its own migration.

CREATE TABLE module_versions (
    module  TEXT PRIMARY KEY,
    version BIGINT NOT NULL DEFAULT 0
);

INSERT INTO module_versions (module, version) VALUES ('kpi', 0), ('plan', 0), ('enterprise', 0), ('award', 0);
