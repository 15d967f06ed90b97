-- +goose Up
-- The console shows a token by the first characters of its key (the key itself is kept only
-- as its hash), and lists a workspace's tokens newest first, a page at a time.
ALTER TABLE api_tokens ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
CREATE INDEX api_tokens_created ON api_tokens (workspace_id, created_on, hash);
-- A campaign's next fires are read soonest first per event version (scope). Partial, so the
-- runtime's wait and expiry fires (most writes to the timer table) pay nothing for it.
CREATE INDEX contact_fires_campaign ON contact_fires (scope, fire_on, id) WHERE type = 'C';

-- +goose Down
DROP INDEX contact_fires_campaign;
DROP INDEX api_tokens_created;
ALTER TABLE api_tokens DROP COLUMN prefix;
