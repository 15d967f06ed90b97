-- +goose Up
-- Idempotency keys a receiver has honoured: written in the same transaction as the write a
-- key guards, so a retried request (an outbound push re-sent after a crash) is answered
-- with the original response instead of writing twice. Rows older than the retention window
-- are purged.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
