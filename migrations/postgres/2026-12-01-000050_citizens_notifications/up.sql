-- A citizen's contacts on the account: sign-in by phone or email, and where notifications go.
-- Each is unique among accounts that have one (a phone or an address signs in one account).
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
-- `vi` or `en`: the language of the notifications the account receives.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'vi';
-- The citizen's choice: false stops every notification about their dossiers and feedback.
ALTER TABLE users ADD COLUMN notify BOOLEAN NOT NULL DEFAULT TRUE;
CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL;

-- The applicant's choice at the desk: false means no message about this dossier.
ALTER TABLE dossiers ADD COLUMN applicant_notify BOOLEAN NOT NULL DEFAULT TRUE;

-- One-time codes sent to a phone or an address: registration and password reset. The code is
-- kept only as a keyed hash; a registration's name and password hash wait here until verified.
CREATE TABLE verification_codes (
    id           TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('register', 'reset')),
    destination  TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    tries_left   INTEGER NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    payload      TEXT,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX verification_codes_destination_idx ON verification_codes (destination, purpose);

-- Messages to citizens, written in the transaction of the change that causes them and sent
-- afterwards by the notification worker: `pending` until `sent`, `dead` after the last failed
-- attempt, `skipped` when no channel of that kind is configured. Bodies are personal data:
-- finished rows are pruned after MOTCUA_NOTIFY_KEEP_DAYS.
CREATE TABLE notifications (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    destination      TEXT NOT NULL,
    language         TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    user_id          TEXT REFERENCES users (id) ON DELETE SET NULL,
    dossier_id       TEXT REFERENCES dossiers (id),
    feedback_id      TEXT REFERENCES feedback (id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    last_error       TEXT,
    created_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP
);
CREATE INDEX notifications_due_idx ON notifications (state, next_attempt_at);
CREATE INDEX notifications_dossier_idx ON notifications (dossier_id);
CREATE INDEX notifications_user_idx ON notifications (user_id);
