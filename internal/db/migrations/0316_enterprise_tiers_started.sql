-- Certificates by their first day, newest first: the industry brain's tier
-- pipeline lists who gained a certificate within a year
-- (enterprise.Service.TiersStarted) and walks this index backwards instead
-- of every certificate of the pipeline's tiers.
CREATE INDEX enterprise_tiers_started ON enterprise_tiers(valid_from, id);
