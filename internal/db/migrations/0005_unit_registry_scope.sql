-- A unit's reach in the enterprise registry (企业库): 'zone' for a
-- zone-wide department (经济发展局, 科技创新局, 统计局…), whose staff read
-- every enterprise's confirmed data; 'area' for an office area (办事处) or
-- park, whose staff read the enterprises of their own area. Existing units
-- take the reach of their kind; the admin changes it per unit.
ALTER TABLE units ADD COLUMN registry_scope TEXT NOT NULL DEFAULT 'area';
UPDATE units SET registry_scope = 'zone' WHERE kind IN ('党工委管委会', '内设机构', '派驻机构');
