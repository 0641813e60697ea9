-- Matching an institution that lists chains reads only the open needs on
-- the chain nodes it covers, but the fit index (finance_needs_fit) holds
-- no chain: a broad institution walked every need of its stages,
-- instruments and tickets (some 9,200 at 50,000 needs) and probed each in
-- a set of the needs on its chains built per request, six times the
-- fitting ones. This rollup is that index with the chain node in front:
-- one row per open need and chain node it lists, with the columns the
-- fit filters on, so the candidates are a few index ranges (node ×
-- instrument × stage × amount) read without a lookup of any need. Kept by
-- the need service in the transaction that posts a need, sets its
-- audience or closes it (a closed need has no rows); a need's amount,
-- instrument, stage and chains do not change after it is posted.
CREATE TABLE finance_need_nodes (
    node_id    BIGINT NOT NULL REFERENCES chain_nodes(id),
    instrument TEXT NOT NULL,
    stage      TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    audience   TEXT NOT NULL,
    need_id    BIGINT NOT NULL REFERENCES finance_needs(id),
    PRIMARY KEY (node_id, instrument, stage, amount_fen, audience, need_id)
) {{WITHOUT_ROWID}};
-- Rewriting one need's rows.
CREATE INDEX finance_need_nodes_need ON finance_need_nodes(need_id);

INSERT INTO finance_need_nodes (node_id, instrument, stage, amount_fen, audience, need_id)
SELECT c.node_id, n.instrument, n.stage, n.amount_fen, n.audience, n.id
FROM finance_need_chains c JOIN finance_needs n ON n.id = c.need_id
WHERE n.state = 'open';
