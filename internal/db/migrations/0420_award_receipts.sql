-- Objections name the figure they dispute, and give the objector a receipt
-- (回执号) to look the decision up without an account. The receipt's secret
-- part is kept only as a SHA-256 hash; objections filed before this have
-- none and cannot be looked up.
ALTER TABLE award_objections ADD COLUMN indicator TEXT NOT NULL DEFAULT '';
ALTER TABLE award_objections ADD COLUMN receipt_hash TEXT NOT NULL DEFAULT '';

-- Failed receipt look-ups per source address, so that guessing receipts is
-- slowed the way filing objections is; rows older than an hour are pruned
-- when a new miss is written.
CREATE TABLE award_receipt_misses (
    id  {{ID}},
    ip  TEXT NOT NULL,
    at  BIGINT NOT NULL
);

CREATE INDEX award_receipt_misses_ip ON award_receipt_misses(ip, at);
CREATE INDEX award_receipt_misses_at ON award_receipt_misses(at);
