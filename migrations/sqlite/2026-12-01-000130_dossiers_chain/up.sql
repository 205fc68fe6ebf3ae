-- The agencies a dossier was sent on to (joint processing), denormalised for the plain list: see
-- the PostgreSQL migration of the same number.
ALTER TABLE dossiers ADD COLUMN chain_agencies TEXT;
UPDATE dossiers SET chain_agencies = ' ' || (
    SELECT group_concat(h.to_agency_id, ' ') FROM dossier_hops h WHERE h.dossier_id = dossiers.id
) || ' '
WHERE EXISTS (SELECT 1 FROM dossier_hops h WHERE h.dossier_id = dossiers.id);
