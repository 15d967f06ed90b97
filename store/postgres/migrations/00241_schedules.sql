-- +goose Up
-- Scheduled broadcasts and scheduled triggers (flow starts): "action" is the JSON template of
-- what each firing creates.
CREATE TABLE schedules (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    uuid         TEXT NOT NULL,
    period       TEXT NOT NULL,
    start_on     BIGINT NOT NULL,
    days_of_week TEXT NOT NULL DEFAULT '',
    paused       BOOLEAN NOT NULL DEFAULT FALSE,
    next_fire    BIGINT NOT NULL DEFAULT 0,
    last_fire    BIGINT NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL,
    action       TEXT NOT NULL,
    created_on   BIGINT NOT NULL,
    modified_on  BIGINT NOT NULL,
    UNIQUE (workspace_id, uuid)
);
CREATE INDEX schedules_due ON schedules (next_fire);

-- +goose Down
DROP TABLE schedules;
