-- Matching an institution's needs reads, per candidate, the need's
-- state, instrument, stage, amount and audience: with the audience in the
-- fit index the candidates come from the index alone, without a lookup of
-- each need's row (on 50,000 needs, the lookups were most of the time and
-- overflowed a reader's page cache). It serves every query the old index
-- served, being the same columns with one more before the id.
DROP INDEX finance_needs_fit;
CREATE INDEX finance_needs_fit ON finance_needs(state, instrument, stage, amount_fen, audience, id);
