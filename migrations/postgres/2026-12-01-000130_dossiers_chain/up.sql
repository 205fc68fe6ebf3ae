-- The agencies a dossier was sent on to (joint processing), denormalised for the plain list
-- (GET /dossiers): ' id1 id2 ' (each id between spaces), null for a dossier its reception
-- agency worked alone. A scope of many agencies then finds the dossiers that went through one of
-- them with a test on the row itself (chain_agencies LIKE '% id %'), evaluated only for the rows
-- outside the scope's own agencies: the newest-first walk of dossiers_submitted_idx stays a walk,
-- with no subquery on dossier_hops per row (src/dossiers/list.rs says which query takes which).
ALTER TABLE dossiers ADD COLUMN chain_agencies TEXT;
UPDATE dossiers SET chain_agencies = ' ' || (
    SELECT string_agg(h.to_agency_id, ' ' ORDER BY h.seq) FROM dossier_hops h WHERE h.dossier_id = dossiers.id
) || ' '
WHERE EXISTS (SELECT 1 FROM dossier_hops h WHERE h.dossier_id = dossiers.id);
