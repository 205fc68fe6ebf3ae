-- Agencies form a tree (province -> communes; districts only in records before July 2025).
-- `path` is the materialized ancestry "/root-id/.../own-id/", so "everything at or below X" is
-- the paths that contain "/X/", and a move rewrites the paths of one subtree.
CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    parent_id   TEXT REFERENCES agencies (id),
    path        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CONSTRAINT agencies_code_key UNIQUE (code)
);
CREATE INDEX agencies_parent_idx ON agencies (parent_id);
CREATE INDEX agencies_path_idx ON agencies (path);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'officer', 'integration', 'citizen')),
    agency_id      TEXT REFERENCES agencies (id),
    active         BOOLEAN NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_agency_idx ON users (agency_id);

-- Service accounts of portal adapters: client_credentials grant, bound to one or more agencies.
CREATE TABLE service_accounts (
    id           TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    active       BOOLEAN NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    CONSTRAINT service_accounts_client_id_key UNIQUE (client_id)
);

CREATE TABLE service_account_agencies (
    service_account_id  TEXT NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    agency_id           TEXT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (service_account_id, agency_id)
);

-- Opaque refresh tokens, stored as SHA-256 hashes. Each login starts a family; a refresh spends
-- one token and issues the next in the same family; a spent token presented again revokes the family.
CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
