-- The evaluation of a call (评审) and its public result (结果公示): the
-- criteria the review panel scores bids against, the call's rules (when
-- the trimmed mean drops the extremes, how long the notice lasts), the
-- winner chosen and the notice period, and objections filed during it
-- with a receipt number. The panel's assignments and scores are the
-- review panel's (panel_*, subject kind 'scenario_bid', contest = the call).

-- Criteria of one call, in order; a call with none scores against the
-- module's default set.
CREATE TABLE scenario_criteria (
    need_id    BIGINT NOT NULL REFERENCES scenario_needs(id),
    seq        INTEGER NOT NULL,
    code       TEXT NOT NULL,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    max_points INTEGER NOT NULL,
    PRIMARY KEY (need_id, code)
);

-- One row per call once its rules are set or a winner is chosen.
CREATE TABLE scenario_results (
    need_id       BIGINT PRIMARY KEY REFERENCES scenario_needs(id),
    trim_at       INTEGER NOT NULL DEFAULT 5,  -- from this many totals on, drop the highest and the lowest
    notice_days   INTEGER NOT NULL DEFAULT 7,
    winner_bid_id BIGINT REFERENCES scenario_bids(id),
    winner_reason TEXT NOT NULL DEFAULT '',    -- why a bid other than the top one was chosen
    chosen_on     TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD, China time
    chosen_by     BIGINT REFERENCES users(id),
    chosen_actor  TEXT NOT NULL DEFAULT '',
    notice_from   BIGINT NOT NULL DEFAULT 0,   -- Unix ms
    notice_until  BIGINT NOT NULL DEFAULT 0,
    confirmed_at  BIGINT NOT NULL DEFAULT 0,   -- 0: not confirmed
    updated_at    BIGINT NOT NULL
);

-- Objections (异议) to a call's result, filed by anyone during the notice.
CREATE TABLE scenario_objections (
    id           {{ID}},
    need_id      BIGINT NOT NULL REFERENCES scenario_needs(id),
    bid_id       BIGINT REFERENCES scenario_bids(id), -- the bid objected to; NULL: the result as a whole
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'filed', -- filed, upheld, dismissed, lapsed (the result was withdrawn)
    finding      TEXT NOT NULL DEFAULT '',
    decided_by   BIGINT REFERENCES users(id),
    decided_at   BIGINT NOT NULL DEFAULT 0,
    receipt_hash TEXT NOT NULL,
    synthetic    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL
);

CREATE INDEX scenario_objections_need ON scenario_objections(need_id, state, id);

-- Failed receipt look-ups per source address (pruned after an hour).
CREATE TABLE scenario_receipt_misses (
    id  {{ID}},
    ip  TEXT NOT NULL,
    at  BIGINT NOT NULL
);

CREATE INDEX scenario_receipt_misses_ip ON scenario_receipt_misses(ip, at);
CREATE INDEX scenario_receipt_misses_at ON scenario_receipt_misses(at);
