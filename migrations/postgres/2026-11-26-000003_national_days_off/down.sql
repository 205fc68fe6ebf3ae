DELETE FROM calendar_days WHERE id LIKE 'vn-%' AND agency_id IS NULL;
