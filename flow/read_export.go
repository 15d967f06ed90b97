package flow

import (
	"bytes"
	"encoding/json"
	"fmt"

	"careflow/flow/legacy/pre11"
	"careflow/flow/migrate"
)

// MigrateExport brings a RapidPro export older than legacy version 11.12 (its top-level
// "version", 3 and later) to 11.12 with RapidPro's own import migrations, so its flows can be
// read (flows.md §13). Documents without a version, or at 11.12 and later, come back
// unchanged; an export older than version 3 or with a version that isn't one is refused with
// the version seen, rather than read as flows it doesn't hold.
func MigrateExport(data []byte) ([]byte, error) {
	// most documents (assets, current exports' flows) have no "version" key at all: skip the parse
	if !bytes.Contains(data, []byte(`"version"`)) {
		return data, nil
	}
	var head struct {
		Version any             `json:"version"`
		Flows   json.RawMessage `json:"flows"`
	}
	// a single definition (no "flows") carries its own version: Read migrates it
	if err := json.Unmarshal(data, &head); err != nil || head.Version == nil || head.Flows == nil {
		return data, nil
	}
	v, err := pre11.ParseVersion(head.Version)
	if err != nil {
		return nil, fmt.Errorf("unsupported export version: %w", err)
	}
	if !pre11.Needed(v) {
		return data, nil
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if err := pre11.MigrateExport(doc, migrate.NewSeededUUIDs(data)); err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// pre11Definition is a single definition in a pre-11.12 shape (nested under "definition", or
// with a legacy "version" before 11.12) brought to 11.12 as a one-flow export of its version.
// ok is false when it is not one.
func pre11Definition(f migrate.Flow) (out migrate.Flow, ok bool, err error) {
	raw, has := f["version"]
	_, nested := f["definition"]
	if !has && !nested {
		return nil, false, nil
	}
	version := raw
	if !has {
		version = "3" // the oldest nested shape; its steps skip what is already there
	}
	v, err := pre11.ParseVersion(version)
	if err != nil {
		if _, spec := f["spec_version"]; spec {
			return nil, false, nil
		}
		return nil, true, fmt.Errorf("unsupported flow version: %w", err)
	}
	if !pre11.Needed(v) {
		return nil, false, nil
	}
	export := map[string]any{"version": version, "flows": []any{map[string]any(f)}}
	seed, _ := json.Marshal(f)
	if err := pre11.MigrateExport(export, migrate.NewSeededUUIDs(seed)); err != nil {
		return nil, true, err
	}
	flows, _ := export["flows"].([]any)
	m, _ := flows[0].(map[string]any)
	return migrate.Flow(m), true, nil
}
