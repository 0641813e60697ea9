-- Views of the industry brain that staff publish to the public: until a
-- view is published, the public sees nothing of it. A published view
-- shows aggregates only (no enterprise's name or figures).
CREATE TABLE insight_published (
    view         TEXT PRIMARY KEY,   -- overview
    published    BOOLEAN NOT NULL,
    changed_by   BIGINT,
    changed_at   BIGINT NOT NULL
);
