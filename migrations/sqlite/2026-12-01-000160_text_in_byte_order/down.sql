-- Nothing to undo on SQLite: its text columns compare as bytes (BINARY), as they always have.
SELECT 1;
