-- Online submissions: when an answer is due (8 working hours after submission, the seed's task 3),
-- fixed at intake with the agency's calendar so that the report need not rebuild it.
ALTER TABLE dossiers ADD COLUMN answer_due_at TIMESTAMP;
-- The latest instant the report reads of a dossier (submitted, answered, accepted, supplement
-- requested, apologized, resolved, withdrawn): the dossiers with one at or after a report's
-- `as_of` are judged one by one, through this index.
ALTER TABLE dossiers ADD COLUMN last_event_at TIMESTAMP;
CREATE INDEX dossiers_agency_last_event_idx ON dossiers (agency_id, last_event_at);

-- Each dossier's and survey's contribution to the report, counted on the Vietnam-time day of
-- each event and again on its month and its year, maintained in the same transaction as every
-- write (src/reports/rollup.rs). `responsible` is '' for the counts; 'p:<id>' (a person) or
-- 'a:<id>' (an agency), with procedure '', for the missing-digitization columns.
CREATE TABLE report_counts (
    grain               TEXT NOT NULL CHECK (grain IN ('day', 'month', 'year')),
    agency_id           TEXT NOT NULL,
    bucket              DATE NOT NULL,
    procedure_id        TEXT NOT NULL,
    responsible         TEXT NOT NULL,
    new_online          BIGINT NOT NULL,
    new_direct          BIGINT NOT NULL,
    new_postal          BIGINT NOT NULL,
    reception_digitized BIGINT NOT NULL,
    payable             BIGINT NOT NULL,
    paid_online         BIGINT NOT NULL,
    resolved            BIGINT NOT NULL,
    early               BIGINT NOT NULL,
    on_time             BIGINT NOT NULL,
    late_apologized     BIGINT NOT NULL,
    result_digitized    BIGINT NOT NULL,
    withdrawn           BIGINT NOT NULL,
    online_submitted    BIGINT NOT NULL,
    answered_in_time    BIGINT NOT NULL,
    very_satisfied      BIGINT NOT NULL,
    satisfied           BIGINT NOT NULL,
    unsatisfied         BIGINT NOT NULL,
    reception_missing   BIGINT NOT NULL,
    result_missing      BIGINT NOT NULL,
    PRIMARY KEY (grain, agency_id, bucket, procedure_id, responsible)
);
