-- +goose Up
-- Resthooks, their subscribers and the payloads flows posted to them (RapidPro's api_resthook,
-- api_resthooksubscriber and api_webhookevent). Removed resthooks and subscribers stay,
-- inactive, so events keep naming their resthook; a slug and a subscriber's URL are unique only
-- among live rows, so a removed slug can be created again.
CREATE TABLE resthooks (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    slug         TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_on   BIGINT NOT NULL,
    modified_on  BIGINT NOT NULL
);
CREATE UNIQUE INDEX resthooks_slug ON resthooks (workspace_id, slug) WHERE active;

CREATE TABLE resthook_subscribers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    resthook_id  BIGINT NOT NULL,
    target_url   TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_on   BIGINT NOT NULL,
    modified_on  BIGINT NOT NULL
);
CREATE UNIQUE INDEX resthook_subscribers_url ON resthook_subscribers (resthook_id, target_url) WHERE active;
CREATE INDEX resthook_subscribers_workspace ON resthook_subscribers (workspace_id, id) WHERE active;

CREATE TABLE resthook_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    resthook_id  BIGINT NOT NULL,
    data         TEXT NOT NULL,
    created_on   BIGINT NOT NULL
);
CREATE INDEX resthook_events_workspace ON resthook_events (workspace_id, id);
CREATE INDEX resthook_events_created ON resthook_events (created_on);

-- +goose Down
DROP TABLE resthook_events;
DROP TABLE resthook_subscribers;
DROP TABLE resthooks;
