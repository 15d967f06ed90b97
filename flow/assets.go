package flow

import (
	"encoding/json"
	"strings"
)

// AssetIndex records which assets exist, read from an assets document (the static source JSON
// of spec §2: flows, fields, groups ...). It implements Assets for inspection.
type AssetIndex struct {
	ids map[string]map[string]bool // asset type → identity → present
}

// assetKeys maps each assets document key to its asset type and identity field.
var assetKeys = map[string][2]string{
	"flows": {"flow", "uuid"}, "fields": {"field", "key"}, "globals": {"global", "key"},
	"groups": {"group", "uuid"}, "labels": {"label", "uuid"}, "channels": {"channel", "uuid"},
	"llms": {"llm", "uuid"}, "templates": {"template", "uuid"}, "topics": {"topic", "uuid"},
	"users": {"user", "uuid"}, "campaigns": {"campaign", "uuid"},
}

// ReadAssetIndex indexes an assets document. Unknown keys are ignored.
func ReadAssetIndex(data []byte) (*AssetIndex, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	idx := &AssetIndex{ids: map[string]map[string]bool{}}
	for key, raw := range doc {
		spec, ok := assetKeys[key]
		if !ok {
			continue
		}
		var items []map[string]any
		if err := json.Unmarshal(raw, &items); err != nil {
			continue // tolerate odd shapes, as asset sources do
		}
		for _, it := range items {
			id, _ := it[spec[1]].(string)
			if id == "" {
				continue
			}
			idx.Add(spec[0], id)
		}
	}
	return idx, nil
}

// Add records an asset.
func (x *AssetIndex) Add(assetType, identity string) {
	if x.ids == nil {
		x.ids = map[string]map[string]bool{}
	}
	if x.ids[assetType] == nil {
		x.ids[assetType] = map[string]bool{}
	}
	x.ids[assetType][strings.ToLower(identity)] = true
}

// Has reports whether an asset of that type and identity exists.
func (x *AssetIndex) Has(assetType, identity string) bool {
	if x == nil {
		return false
	}
	return x.ids[assetType][strings.ToLower(identity)]
}
