-- +goose Up
-- Ids of messages the cht-gateway app handed in (cht.md §5.2): a message is recorded once
-- however often the app posts it again.
CREATE TABLE sms_gateway_refs (
    gateway_ref TEXT PRIMARY KEY,
    created_on  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE sms_gateway_refs;
