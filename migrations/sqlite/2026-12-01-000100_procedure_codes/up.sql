-- The national portal's codes of a procedure (docs/integration.md): `national_code`, the national
-- catalogue's code of a procedure whose own `code` is local (an admin's mapping; null when `code`
-- is already the national one), and `field_code`, the national catalogue's code of its field
-- (lĩnh vực), sent as MaLinhVuc beside the field's name.
ALTER TABLE procedures ADD COLUMN national_code TEXT;
ALTER TABLE procedures ADD COLUMN field_code TEXT;
