-- Certificates ending soon across all tiers (the registry's expiry list).
CREATE INDEX enterprise_tiers_valid_to ON enterprise_tiers(valid_to, id);
