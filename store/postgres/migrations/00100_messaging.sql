-- +goose Up
-- Times are milliseconds since the epoch (0 for none); lists and JSON are TEXT. Rows are keyed
-- by integers, except sessions and runs, which the engine names by UUID; each table carries
-- only the indexes a query needs, so a million waiting contacts stay small on disk.
CREATE TABLE workspaces (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL UNIQUE,
    timezone       TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    languages      TEXT NOT NULL DEFAULT '',
    date_format    TEXT NOT NULL DEFAULT '',
    config         TEXT NOT NULL DEFAULT '',
    assets_version BIGINT NOT NULL DEFAULT 1,
    created_on     BIGINT NOT NULL
);

CREATE TABLE flows (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id      BIGINT NOT NULL,
    uuid              TEXT NOT NULL,
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    type              TEXT NOT NULL,
    spec_version      TEXT NOT NULL,
    revision          BIGINT NOT NULL,
    definition        TEXT NOT NULL,
    expire_after_mins BIGINT NOT NULL DEFAULT 0,
    ignore_triggers   BOOLEAN NOT NULL DEFAULT FALSE,
    archived          BOOLEAN NOT NULL DEFAULT FALSE,
    has_issues        BOOLEAN NOT NULL DEFAULT FALSE,
    created_on        BIGINT NOT NULL,
    modified_on       BIGINT NOT NULL,
    UNIQUE (workspace_id, uuid),
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE flow_revisions (
    flow_id      BIGINT NOT NULL,
    revision     BIGINT NOT NULL,
    definition   TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_on   BIGINT NOT NULL,
    PRIMARY KEY (flow_id, revision)
);

CREATE TABLE fields (
    workspace_id BIGINT NOT NULL,
    key          TEXT NOT NULL,
    uuid         TEXT NOT NULL,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    created_on   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE TABLE contact_groups (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    uuid         TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    query        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'ready',
    created_on   BIGINT NOT NULL,
    UNIQUE (workspace_id, uuid),
    UNIQUE (workspace_id, name_key)
);

CREATE TABLE group_members (
    contact_id BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,
    PRIMARY KEY (contact_id, group_id)
);
CREATE INDEX group_members_group ON group_members (group_id);

CREATE TABLE globals (
    workspace_id BIGINT NOT NULL,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    value        TEXT NOT NULL,
    modified_on  BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE TABLE triggers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id   BIGINT NOT NULL,
    uuid           TEXT NOT NULL,
    type           TEXT NOT NULL,
    flow_uuid      TEXT NOT NULL DEFAULT '',
    keywords       TEXT NOT NULL DEFAULT '',
    match_type     TEXT NOT NULL DEFAULT '',
    channel_uuid   TEXT NOT NULL DEFAULT '',
    referrer_id    TEXT NOT NULL DEFAULT '',
    group_uuids    TEXT NOT NULL DEFAULT '',
    exclude_groups TEXT NOT NULL DEFAULT '',
    schedule       TEXT NOT NULL DEFAULT '',
    archived       BOOLEAN NOT NULL DEFAULT FALSE,
    created_on     BIGINT NOT NULL,
    UNIQUE (workspace_id, uuid)
);

CREATE TABLE channels (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    uuid         TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    schemes      TEXT NOT NULL DEFAULT '',
    roles        TEXT NOT NULL DEFAULT '',
    config       TEXT NOT NULL DEFAULT '',
    tps          BIGINT NOT NULL DEFAULT 0,
    deleted      BOOLEAN NOT NULL DEFAULT FALSE,
    created_on   BIGINT NOT NULL
);
CREATE INDEX channels_workspace ON channels (workspace_id);

CREATE TABLE contacts (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id         BIGINT NOT NULL,
    uuid                 TEXT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    language             TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'active',
    timezone             TEXT NOT NULL DEFAULT '',
    created_on           BIGINT NOT NULL,
    modified_on          BIGINT NOT NULL,
    last_seen_on         BIGINT NOT NULL DEFAULT 0,
    fields               TEXT NOT NULL DEFAULT '',
    current_session_uuid TEXT NOT NULL DEFAULT '',
    current_flow_uuid    TEXT NOT NULL DEFAULT '',
    lease_owner          TEXT NOT NULL DEFAULT '',
    lease_until          BIGINT NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, uuid)
);

-- The primary key is the identity, so it is the one index that enforces one URN, one contact.
CREATE TABLE contact_urns (
    workspace_id BIGINT NOT NULL,
    identity     TEXT NOT NULL,
    contact_id   BIGINT NOT NULL,
    priority     BIGINT NOT NULL DEFAULT 0,
    display      TEXT NOT NULL DEFAULT '',
    channel_uuid TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, identity)
);
CREATE INDEX contact_urns_contact ON contact_urns (contact_id, priority);

CREATE TABLE sessions (
    uuid             TEXT PRIMARY KEY,
    workspace_id     BIGINT NOT NULL,
    contact_id       BIGINT NOT NULL,
    type             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    state            BYTEA,
    current_flow     TEXT NOT NULL DEFAULT '',
    last_sprint_uuid TEXT NOT NULL DEFAULT '',
    created_on       BIGINT NOT NULL,
    modified_on      BIGINT NOT NULL,
    ended_on         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_contact ON sessions (contact_id);

CREATE TABLE runs (
    uuid         TEXT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    session_uuid TEXT NOT NULL,
    contact_id   BIGINT NOT NULL,
    flow_uuid    TEXT NOT NULL,
    status       TEXT NOT NULL,
    responded    BOOLEAN NOT NULL DEFAULT FALSE,
    results      TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL DEFAULT '',
    start_id     BIGINT NOT NULL DEFAULT 0,
    created_on   BIGINT NOT NULL,
    modified_on  BIGINT NOT NULL,
    exited_on    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runs_contact ON runs (contact_id, flow_uuid, created_on);

CREATE TABLE msgs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid          TEXT NOT NULL,
    workspace_id  BIGINT NOT NULL,
    contact_id    BIGINT NOT NULL,
    urn           TEXT NOT NULL DEFAULT '',
    channel_uuid  TEXT NOT NULL DEFAULT '',
    incoming      BOOLEAN NOT NULL,
    text          TEXT NOT NULL DEFAULT '',
    attachments   TEXT NOT NULL DEFAULT '',
    quick_replies TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    visibility    TEXT NOT NULL DEFAULT 'visible',
    flow_uuid     TEXT NOT NULL DEFAULT '',
    broadcast_id  BIGINT NOT NULL DEFAULT 0,
    external_id   TEXT NOT NULL DEFAULT '',
    high_priority BOOLEAN NOT NULL DEFAULT FALSE,
    labels        TEXT NOT NULL DEFAULT '',
    created_on    BIGINT NOT NULL,
    modified_on   BIGINT NOT NULL,
    sent_on       BIGINT NOT NULL DEFAULT 0,
    error_count   BIGINT NOT NULL DEFAULT 0,
    next_attempt  BIGINT NOT NULL DEFAULT 0,
    failed_reason TEXT NOT NULL DEFAULT '',
    lease_owner   TEXT NOT NULL DEFAULT '',
    lease_until   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX msgs_contact ON msgs (contact_id, id);
-- The outbox: only messages waiting to be sent are in it.
CREATE INDEX msgs_outbox ON msgs (channel_uuid, high_priority DESC, id) WHERE status IN ('queued', 'errored');

CREATE TABLE contact_tasks (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    contact_id   BIGINT NOT NULL,
    type         TEXT NOT NULL,
    ref_id       BIGINT NOT NULL DEFAULT 0,
    payload      TEXT NOT NULL DEFAULT '',
    created_on   BIGINT NOT NULL
);
CREATE INDEX contact_tasks_contact ON contact_tasks (contact_id, id);

CREATE TABLE contact_fires (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    contact_id   BIGINT NOT NULL,
    type         TEXT NOT NULL,
    scope        TEXT NOT NULL DEFAULT '',
    session_uuid TEXT NOT NULL DEFAULT '',
    sprint_uuid  TEXT NOT NULL DEFAULT '',
    fire_on      BIGINT NOT NULL,
    UNIQUE (contact_id, type, scope)
);
CREATE INDEX contact_fires_due ON contact_fires (fire_on);

CREATE TABLE flow_starts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid           TEXT NOT NULL,
    workspace_id   BIGINT NOT NULL,
    flow_uuid      TEXT NOT NULL,
    type           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    contact_uuids  TEXT NOT NULL DEFAULT '',
    group_uuids    TEXT NOT NULL DEFAULT '',
    urns           TEXT NOT NULL DEFAULT '',
    query          TEXT NOT NULL DEFAULT '',
    exclusions     TEXT NOT NULL DEFAULT '',
    exclude_groups TEXT NOT NULL DEFAULT '',
    params         TEXT NOT NULL DEFAULT '',
    parent_summary TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL DEFAULT '',
    contact_count  BIGINT NOT NULL DEFAULT 0,
    remaining      BIGINT NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    created_on     BIGINT NOT NULL,
    modified_on    BIGINT NOT NULL,
    lease_owner    TEXT NOT NULL DEFAULT '',
    lease_until    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX flow_starts_workspace ON flow_starts (workspace_id, id);
CREATE INDEX flow_starts_pending ON flow_starts (id) WHERE status IN ('pending', 'starting');

CREATE TABLE broadcasts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid           TEXT NOT NULL,
    workspace_id   BIGINT NOT NULL,
    translations   TEXT NOT NULL DEFAULT '',
    base_language  TEXT NOT NULL DEFAULT '',
    contact_uuids  TEXT NOT NULL DEFAULT '',
    group_uuids    TEXT NOT NULL DEFAULT '',
    urns           TEXT NOT NULL DEFAULT '',
    query          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    contact_count  BIGINT NOT NULL DEFAULT 0,
    remaining      BIGINT NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    parent_session TEXT NOT NULL DEFAULT '',
    created_on     BIGINT NOT NULL,
    modified_on    BIGINT NOT NULL,
    lease_owner    TEXT NOT NULL DEFAULT '',
    lease_until    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX broadcasts_workspace ON broadcasts (workspace_id, id);
CREATE INDEX broadcasts_pending ON broadcasts (id) WHERE status IN ('pending', 'starting');

CREATE TABLE http_logs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    type         TEXT NOT NULL,
    flow_uuid    TEXT NOT NULL DEFAULT '',
    channel_uuid TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL DEFAULT '',
    status_code  BIGINT NOT NULL DEFAULT 0,
    request      TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT '',
    is_error     BOOLEAN NOT NULL DEFAULT FALSE,
    elapsed_ms   BIGINT NOT NULL DEFAULT 0,
    created_on   BIGINT NOT NULL
);
CREATE INDEX http_logs_created ON http_logs (created_on);

-- +goose Down
DROP TABLE http_logs;
DROP TABLE broadcasts;
DROP TABLE flow_starts;
DROP TABLE contact_fires;
DROP TABLE contact_tasks;
DROP TABLE msgs;
DROP TABLE runs;
DROP TABLE sessions;
DROP TABLE contact_urns;
DROP TABLE contacts;
DROP TABLE channels;
DROP TABLE triggers;
DROP TABLE globals;
DROP TABLE group_members;
DROP TABLE contact_groups;
DROP TABLE fields;
DROP TABLE flow_revisions;
DROP TABLE flows;
DROP TABLE workspaces;
