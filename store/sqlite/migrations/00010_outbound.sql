-- +goose Up
CREATE TABLE outbound_pushes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id      TEXT NOT NULL,
    config      TEXT NOT NULL,
    destination TEXT NOT NULL DEFAULT '',
    doc_rev     TEXT NOT NULL DEFAULT '',
    doc_seq     INTEGER NOT NULL DEFAULT 0,
    body        TEXT NOT NULL DEFAULT '',
    hash        TEXT NOT NULL DEFAULT '',
    sent_hash   TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    next_at     INTEGER NOT NULL DEFAULT 0,
    enqueued_at INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL DEFAULT 0,
    sent_at     INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT NOT NULL DEFAULT '',
    eval        TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_id, config)
);
CREATE INDEX outbound_pushes_due ON outbound_pushes (destination, next_at, id) WHERE state = 'pending';
CREATE INDEX outbound_pushes_state ON outbound_pushes (state, id);

-- +goose Down
DROP TABLE outbound_pushes;
