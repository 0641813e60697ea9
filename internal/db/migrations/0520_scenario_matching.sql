-- Matching (推荐与邀请): staff invite suggested enterprises to bid on a
-- published call; enterprises follow categories; both reach an
-- enterprise's scenario inbox. The webhook message of an invitation goes
-- through the supervision module's outbox (its Go API), which records it
-- as sent or failed.

CREATE TABLE scenario_invitations (
    id            {{ID}},
    need_id       BIGINT NOT NULL REFERENCES scenario_needs(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    score         INTEGER NOT NULL DEFAULT 0,   -- the suggestion's points when invited
    reasons       TEXT NOT NULL DEFAULT '',     -- its reasons in words, one a line: 中文 / English
    invited_by    BIGINT REFERENCES users(id),
    invited_at    BIGINT NOT NULL,
    UNIQUE (need_id, enterprise_id)             -- an enterprise is invited to a call once
);

CREATE INDEX scenario_invitations_ent ON scenario_invitations(enterprise_id, id);

-- The categories an enterprise follows: when a batch is published, each
-- new call of a followed category lands in the enterprise's inbox.
CREATE TABLE scenario_follows (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    category      TEXT NOT NULL,                -- project, digital, urban, service
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (enterprise_id, category)
);

CREATE INDEX scenario_follows_cat ON scenario_follows(category, enterprise_id);

-- An enterprise's scenario inbox: invitations and new calls in the
-- categories it follows, each delivered once.
CREATE TABLE scenario_inbox (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,                -- invitation, new_call
    need_id       BIGINT NOT NULL REFERENCES scenario_needs(id),
    note          TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    UNIQUE (enterprise_id, kind, need_id)
);

CREATE INDEX scenario_inbox_ent ON scenario_inbox(enterprise_id, id);

-- Matching counts each enterprise's standing bids (its past delivery, for
-- now) in one pass over this index rather than over the bids themselves.
CREATE INDEX scenario_bids_standing ON scenario_bids(enterprise_id, need_id) WHERE state <> 'withdrawn';
