-- +goose Up
-- Scheduled broadcasts and scheduled triggers (flow starts): "action" is the JSON template of
-- what each firing creates.
CREATE TABLE schedules (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    uuid         TEXT NOT NULL,
    period       TEXT NOT NULL,
    start_on     INTEGER NOT NULL,
    days_of_week TEXT NOT NULL DEFAULT '',
    paused       BOOLEAN NOT NULL DEFAULT FALSE,
    next_fire    INTEGER NOT NULL DEFAULT 0,
    last_fire    INTEGER NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL,
    action       TEXT NOT NULL,
    created_on   INTEGER NOT NULL,
    modified_on  INTEGER NOT NULL,
    UNIQUE (workspace_id, uuid)
);
CREATE INDEX schedules_due ON schedules (next_fire);

-- +goose Down
DROP TABLE schedules;
