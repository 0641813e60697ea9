-- The current-certificate filter reads every certificate of a tier that is
-- still valid; with valid_from in the index it never visits the table
-- (enterprise_tiers_current lacked valid_from: one row lookup per
-- certificate, about 25 ms for the 高新技术企业 of 100,000 enterprises).
CREATE INDEX enterprise_tiers_cover ON enterprise_tiers(tier, valid_to, valid_from, enterprise_id);
