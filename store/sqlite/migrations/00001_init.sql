-- +goose Up
CREATE TABLE docs (
    id            TEXT PRIMARY KEY,
    rev           TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0,
    fields        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    type          TEXT NOT NULL DEFAULT '',
    contact_type  TEXT NOT NULL DEFAULT '',
    form          TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    parent_id     TEXT NOT NULL DEFAULT '',
    reported_date INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX docs_type ON docs (type, contact_type) WHERE deleted = 0;
CREATE INDEX docs_form ON docs (form, reported_date) WHERE deleted = 0 AND form <> '';
CREATE INDEX docs_phone ON docs (phone) WHERE deleted = 0 AND phone <> '';
CREATE INDEX docs_parent ON docs (parent_id) WHERE deleted = 0 AND parent_id <> '';
CREATE INDEX docs_reported_date ON docs (reported_date);

CREATE TABLE doc_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id     TEXT NOT NULL,
    rev        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    roles         TEXT NOT NULL,
    settings      TEXT NOT NULL,
    rev           TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE settings (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    rev        TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE credentials (
    key        TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE credentials;
DROP TABLE settings;
DROP TABLE users;
DROP TABLE doc_changes;
DROP TABLE docs;
