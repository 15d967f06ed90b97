-- +goose Up
-- API tokens are kept by the SHA-256 of the key, so a copy of the database lends no access.
CREATE TABLE api_tokens (
    hash         TEXT PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    user_name    TEXT NOT NULL,
    created_on   INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (workspace_id, user_name);
-- The contacts endpoint pages by modification time, newest first, through any number of contacts.
CREATE INDEX contacts_modified ON contacts (workspace_id, modified_on, id);

-- +goose Down
DROP INDEX contacts_modified;
DROP TABLE api_tokens;
