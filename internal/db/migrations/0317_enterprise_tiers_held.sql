-- The certificates an enterprise holds on a day, for a set of enterprises
-- (matching's candidates, enterprise.Service.Candidates): one index range per
-- enterprise that answers from the index alone, instead of visiting the
-- table for each certificate's dates.
CREATE INDEX enterprise_tiers_held ON enterprise_tiers(enterprise_id, valid_to, valid_from, tier);
