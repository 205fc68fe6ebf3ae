-- The appointments around the dossier's supplement (at most one: rule supplement_once), as the
-- portal's DanhSachHoSoBoSung reports them: the one in force when the supplement was requested,
-- and the one the received supplement set (the clock restarted). Null when there was none.
ALTER TABLE dossiers ADD COLUMN appointment_before_supplement TIMESTAMP;
ALTER TABLE dossiers ADD COLUMN appointment_after_supplement TIMESTAMP;
