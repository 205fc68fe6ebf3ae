-- When another agency produced the result (liên thông), it answers for the result's
-- digitization instead of the officer who recorded the resolution.
ALTER TABLE dossiers ADD COLUMN resolved_by_agency_id TEXT REFERENCES agencies (id);
-- The report reads resolutions and withdrawals by period.
CREATE INDEX dossiers_agency_resolved_idx ON dossiers (agency_id, resolved_at);

-- Report targets (chỉ tiêu) set for an agency and year; agencies below inherit them. Values are
-- percentages in hundredths, so that 99.5 is stored exactly.
CREATE TABLE report_targets (
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    year        INTEGER NOT NULL,
    indicator   TEXT NOT NULL CHECK (indicator IN ('late_rate', 'on_time_rate', 'acceptance_rate', 'payment_procedure_rate', 'payment_dossier_rate', 'digitization_reception_rate', 'digitization_result_rate', 'posting_rate')),
    hundredths  BIGINT NOT NULL CHECK (hundredths BETWEEN 0 AND 10000),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (agency_id, year, indicator)
);
