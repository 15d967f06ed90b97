-- +goose Up
-- Session tokens are signed rather than stored; a logout records the token's digest here so
-- that every node refuses it until it would have expired anyway.
CREATE TABLE revoked_sessions (
    digest TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE revoked_sessions;
