-- +goose Up
-- CHT's contacts_by_reference view: contacts are found by short code (patient_id or place_id)
-- and by their upper-cased rc_code. store.Index derives these columns on every write; the
-- updates below give rows written before this migration the same values.
ALTER TABLE docs ADD COLUMN patient_id TEXT NOT NULL DEFAULT '';
ALTER TABLE docs ADD COLUMN place_id TEXT NOT NULL DEFAULT '';
ALTER TABLE docs ADD COLUMN rc_code TEXT NOT NULL DEFAULT '';

UPDATE docs SET
    patient_id = CASE json_type(fields, '$.patient_id')
        WHEN 'text' THEN json_extract(fields, '$.patient_id')
        WHEN 'integer' THEN CASE WHEN json_extract(fields, '$.patient_id') <> 0 THEN CAST(json_extract(fields, '$.patient_id') AS TEXT) ELSE '' END
        WHEN 'real' THEN CASE WHEN json_extract(fields, '$.patient_id') <> 0 THEN CAST(json_extract(fields, '$.patient_id') AS TEXT) ELSE '' END
        ELSE '' END,
    place_id = CASE json_type(fields, '$.place_id')
        WHEN 'text' THEN json_extract(fields, '$.place_id')
        WHEN 'integer' THEN CASE WHEN json_extract(fields, '$.place_id') <> 0 THEN CAST(json_extract(fields, '$.place_id') AS TEXT) ELSE '' END
        WHEN 'real' THEN CASE WHEN json_extract(fields, '$.place_id') <> 0 THEN CAST(json_extract(fields, '$.place_id') AS TEXT) ELSE '' END
        ELSE '' END,
    rc_code = CASE json_type(fields, '$.rc_code')
        WHEN 'text' THEN upper(json_extract(fields, '$.rc_code'))
        WHEN 'integer' THEN CASE WHEN json_extract(fields, '$.rc_code') <> 0 THEN CAST(json_extract(fields, '$.rc_code') AS TEXT) ELSE '' END
        WHEN 'real' THEN CASE WHEN json_extract(fields, '$.rc_code') <> 0 THEN CAST(json_extract(fields, '$.rc_code') AS TEXT) ELSE '' END
        ELSE '' END
WHERE type IN ('contact', 'person', 'clinic', 'health_center', 'district_hospital') AND json_valid(fields);

CREATE INDEX docs_patient_id ON docs (patient_id) WHERE deleted = 0 AND patient_id <> '';
CREATE INDEX docs_place_id ON docs (place_id) WHERE deleted = 0 AND place_id <> '';
CREATE INDEX docs_rc_code ON docs (rc_code) WHERE deleted = 0 AND rc_code <> '';

-- +goose Down
DROP INDEX docs_rc_code;
DROP INDEX docs_place_id;
DROP INDEX docs_patient_id;
ALTER TABLE docs DROP COLUMN rc_code;
ALTER TABLE docs DROP COLUMN place_id;
ALTER TABLE docs DROP COLUMN patient_id;
