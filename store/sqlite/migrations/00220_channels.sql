-- +goose Up
-- Status callbacks find outgoing messages by UUID or by the provider's id; the same index
-- finds a provider's retried webhook among incoming messages.
-- Messages are found by UUID for status callbacks through msgs_uuid (migration 00201).
CREATE INDEX msgs_external ON msgs (channel_uuid, external_id) WHERE external_id <> '';

-- Sends granted per channel and epoch second, shared by the nodes (runtime.md §8.7 tps).
CREATE TABLE channel_tps (
    channel_uuid TEXT NOT NULL,
    second       INTEGER NOT NULL,
    used         INTEGER NOT NULL DEFAULT 0,
    granted      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_uuid, second)
);

CREATE TABLE channel_logs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    channel_uuid TEXT NOT NULL,
    msg_uuid     TEXT NOT NULL DEFAULT '',
    type         TEXT NOT NULL,
    method       TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    status_code  INTEGER NOT NULL DEFAULT 0,
    request      TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    elapsed_ms   INTEGER NOT NULL DEFAULT 0,
    created_on   INTEGER NOT NULL
);
CREATE INDEX channel_logs_channel ON channel_logs (channel_uuid, id);
CREATE INDEX channel_logs_created ON channel_logs (created_on);

CREATE TABLE channel_media (
    uuid         TEXT PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    channel_uuid TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_on   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE channel_media;
DROP TABLE channel_logs;
DROP TABLE channel_tps;
DROP INDEX msgs_external;
