-- +goose Up
-- Campaigns and their events (runtime.md §4). Fires live in contact_fires (type 'C', scope
-- "<event id>:<fire version>").
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL,
    uuid         TEXT NOT NULL,
    name         TEXT NOT NULL,
    group_id     INTEGER NOT NULL,
    archived     BOOLEAN NOT NULL DEFAULT FALSE,
    created_on   INTEGER NOT NULL,
    modified_on  INTEGER NOT NULL,
    UNIQUE (workspace_id, uuid)
);

CREATE TABLE campaign_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL,
    campaign_id   INTEGER NOT NULL,
    uuid          TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    relative_to   TEXT NOT NULL,
    "offset"      INTEGER NOT NULL,
    unit          TEXT NOT NULL,
    delivery_hour INTEGER NOT NULL DEFAULT -1,
    start_mode    TEXT NOT NULL DEFAULT 'I',
    flow_uuid     TEXT NOT NULL DEFAULT '',
    translations  TEXT NOT NULL DEFAULT '',
    base_language TEXT NOT NULL DEFAULT '',
    fire_version  INTEGER NOT NULL DEFAULT 1,
    status        TEXT NOT NULL DEFAULT 'R',
    created_on    INTEGER NOT NULL,
    modified_on   INTEGER NOT NULL,
    UNIQUE (workspace_id, uuid)
);
CREATE INDEX campaign_events_campaign ON campaign_events (campaign_id);

-- +goose Down
DROP TABLE campaign_events;
DROP TABLE campaigns;
