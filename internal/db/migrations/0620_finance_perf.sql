-- Matching an institution's needs reads, per candidate, the need's
-- state, instrument, stage, amount and audience: with the audience in the
-- fit index the candidates come from the index alone, without a lookup of
-- each need's row (on 50,000 needs, the lookups were most of the time and
-- overflowed a reader's page cache). It serves every query the old index
-- served, being the same columns with one more before the id.
DROP INDEX finance_needs_fit;
CREATE INDEX finance_needs_fit ON finance_needs(state, instrument, stage, amount_fen, audience, id);

-- The staff overview's map, kept on write: how many approved institutions
-- invest at each stage in each industry (the chain node one level below
-- the three groups; 0: they invest in every chain), each institution once
-- per cell. Changed where an institution's profile or state changes, in
-- the same transaction. Chain nodes are only ever added, so a node's
-- industry does not move under the counts.
CREATE TABLE finance_stage_map (
    stage   TEXT NOT NULL,
    node_id BIGINT NOT NULL,
    n       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stage, node_id)
);

-- The counts of the institutions already registered: each chain node's
-- industry is the ancestor whose parent is a root (the node itself for a
-- root or an industry).
INSERT INTO finance_stage_map (stage, node_id, n)
WITH RECURSIVE up(node_id, cur) AS (
    SELECT id, id FROM chain_nodes
    UNION ALL
    SELECT up.node_id, p.id FROM up JOIN chain_nodes c ON c.id = up.cur JOIN chain_nodes p ON p.id = c.parent_id
    WHERE p.parent_id IS NOT NULL
), industry(node_id, ind) AS (
    SELECT up.node_id, up.cur FROM up JOIN chain_nodes c ON c.id = up.cur
    WHERE c.parent_id IS NULL OR (SELECT pp.parent_id FROM chain_nodes pp WHERE pp.id = c.parent_id) IS NULL
)
SELECT st.stage, COALESCE(ind.ind, 0), COUNT(DISTINCT st.institution_id)
FROM finance_institution_stages st JOIN finance_institutions i ON i.id = st.institution_id
LEFT JOIN finance_institution_chains ch ON ch.institution_id = st.institution_id
LEFT JOIN industry ind ON ind.node_id = ch.node_id
WHERE i.state = 'approved'
GROUP BY st.stage, COALESCE(ind.ind, 0);
