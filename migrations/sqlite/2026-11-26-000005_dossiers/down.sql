DROP TABLE idempotency_keys;
DROP TABLE dossier_sequences;
DROP TABLE outbox_events;
DROP TABLE dossier_history;
DROP TABLE dossiers;
