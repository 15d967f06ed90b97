-- +goose Up
-- CHT's contacts_by_reference view: contacts are found by short code (patient_id or place_id)
-- and by their upper-cased rc_code. store.Index derives these columns on every write; the
-- update below gives rows written before this migration the same values.
ALTER TABLE docs ADD COLUMN patient_id TEXT NOT NULL DEFAULT '';
ALTER TABLE docs ADD COLUMN place_id TEXT NOT NULL DEFAULT '';
ALTER TABLE docs ADD COLUMN rc_code TEXT NOT NULL DEFAULT '';

UPDATE docs SET
    patient_id = CASE json_typeof(fields::json -> 'patient_id')
        WHEN 'string' THEN fields::json ->> 'patient_id'
        WHEN 'number' THEN CASE WHEN (fields::json ->> 'patient_id')::numeric <> 0 THEN fields::json ->> 'patient_id' ELSE '' END
        ELSE '' END,
    place_id = CASE json_typeof(fields::json -> 'place_id')
        WHEN 'string' THEN fields::json ->> 'place_id'
        WHEN 'number' THEN CASE WHEN (fields::json ->> 'place_id')::numeric <> 0 THEN fields::json ->> 'place_id' ELSE '' END
        ELSE '' END,
    rc_code = CASE json_typeof(fields::json -> 'rc_code')
        WHEN 'string' THEN upper(fields::json ->> 'rc_code')
        WHEN 'number' THEN CASE WHEN (fields::json ->> 'rc_code')::numeric <> 0 THEN fields::json ->> 'rc_code' ELSE '' END
        ELSE '' END
WHERE type IN ('contact', 'person', 'clinic', 'health_center', 'district_hospital');

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
