package flow

import (
	"encoding/json"
	"fmt"
)

// ReadAll reads every flow in a document: an assets document or RapidPro export (a "flows"
// list; the export's own "version" is not a spec version), or a single
// definition. Exports older than legacy 11.12 go through MigrateExport first. The first flow that can't be read stops it, with its position in the error.
func (rc ReadConfig) ReadAll(data []byte) ([]*Flow, error) {
	data, err := MigrateExport(data)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	raw, ok := doc["flows"]
	if !ok {
		f, err := rc.Read(data)
		if err != nil {
			return nil, err
		}
		return []*Flow{f}, nil
	}
	var defs []json.RawMessage
	if err := json.Unmarshal(raw, &defs); err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	flows := make([]*Flow, 0, len(defs))
	for i, def := range defs {
		f, err := rc.Read(def)
		if err != nil {
			return nil, fmt.Errorf("flows[%d]: %w", i, err)
		}
		flows = append(flows, f)
	}
	return flows, nil
}
