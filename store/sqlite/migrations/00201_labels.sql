-- +goose Up
-- Message labels; a message's labels column holds the UUIDs of its labels as a JSON list.
CREATE TABLE labels (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    uuid         TEXT NOT NULL,
    name         TEXT NOT NULL,
    created_on   INTEGER NOT NULL,
    UNIQUE (workspace_id, uuid)
);
CREATE UNIQUE INDEX labels_name ON labels (workspace_id, lower(name));
-- The API's message_actions names messages by UUID as well as by ID.
CREATE INDEX msgs_uuid ON msgs (uuid);

-- +goose Down
DROP INDEX msgs_uuid;
DROP TABLE labels;
