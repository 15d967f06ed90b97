-- +goose Up
-- Outgoing SMS inside CHT documents (tasks[].messages[], scheduled_tasks[].messages[]), one
-- row per message, as CHT's messages_by_state and messages_by_uuid views: the gateway poll
-- takes the due ones and status updates find their document. store.DocMessages derives the
-- rows on every write; docs.msgs counts a document's rows so an update knows whether it has
-- any to replace. Migration 00223 (Go) indexes the documents written before this one.
ALTER TABLE docs ADD COLUMN msgs INTEGER NOT NULL DEFAULT 0;

CREATE TABLE doc_messages (
    doc_id   TEXT NOT NULL,
    uuid     TEXT NOT NULL,
    pos      INTEGER NOT NULL,
    state    TEXT NOT NULL,
    due      BIGINT NOT NULL,
    outgoing INTEGER NOT NULL,
    PRIMARY KEY (doc_id, uuid)
);
CREATE INDEX doc_messages_uuid ON doc_messages (uuid);
CREATE INDEX doc_messages_outgoing ON doc_messages (due, doc_id, pos) WHERE outgoing = 1;

-- +goose Down
DROP TABLE doc_messages;
ALTER TABLE docs DROP COLUMN msgs;
