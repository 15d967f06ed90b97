-- +goose Up
-- Contact search (contactql translated to SQL, store/sqlstore/contactql.go): `name = "…"` reads
-- one entry of contacts_name. Names that aren't printable ASCII can't be compared in SQL as Go
-- compares them (Unicode case), so the search reads them all from contacts_name_odd and
-- evaluates them in Go; likewise `tel = "…"` reads one primary key entry of contact_urns plus
-- the identities with spaces, capitals or other characters listed by contact_urns_odd. The
-- expressions and the partial indexes' conditions are repeated word for word by the search's
-- SQL (the "C" collation makes lower() and the ranges ASCII-only).
CREATE INDEX contacts_name ON contacts (workspace_id, lower(trim(name) COLLATE "C"));
CREATE INDEX contacts_name_odd ON contacts (workspace_id) WHERE name COLLATE "C" ~ '[^ -~]';
CREATE INDEX contact_urns_odd ON contact_urns (workspace_id, contact_id) WHERE identity COLLATE "C" ~ '[^!-~]|[A-Z]';

-- +goose Down
DROP INDEX contact_urns_odd;
DROP INDEX contacts_name_odd;
DROP INDEX contacts_name;
