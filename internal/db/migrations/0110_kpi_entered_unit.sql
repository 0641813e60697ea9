-- Who entered a period's figures: the unit of the staff member who saved
-- them, or NULL when the zone's own staff (supervisors, an import of the
-- statistics bureau's figures) did. A unit may delete only what its own
-- people entered; figures saved before this column existed count as
-- another source's.
ALTER TABLE kpi_actuals ADD COLUMN entered_unit_id BIGINT REFERENCES units(id);
