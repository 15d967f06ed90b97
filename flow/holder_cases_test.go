package flow_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"careflow/flow/flowtest"
	"careflow/internal/sharedpath"
)

// holderCase is one case of the actions or routers reference fixtures, with what it needs to be
// placed in its holder flow.
type holderCase struct {
	Description  string          `json:"description"`
	Action       json.RawMessage `json:"action"`
	Router       json.RawMessage `json:"router"`
	InFlowType   string          `json:"in_flow_type"`
	Localization json.RawMessage `json:"localization"`
	ReadError    string          `json:"read_error"`
	Inspection   json.RawMessage `json:"inspection"`

	kind   string           // "actions" or "routers"
	index  int              // position in its fixture file
	assets []byte           // the kind's _assets.json
	flows  []map[string]any // the holder flows of assets
}

// eachHolderCase runs check as a subtest named kind/file/description for every case of the
// actions and routers fixtures that keep accepts, in fixture order.
func eachHolderCase(t *testing.T, keep func(holderCase) bool, check func(t *testing.T, tc holderCase)) {
	t.Helper()
	for _, kind := range []string{"actions", "routers"} {
		dir := sharedpath.ForTest(t, "conformance/goflow", kind)
		assetsJSON := mustRead(t, filepath.Join(dir, "_assets.json"))
		var assets struct {
			Flows []map[string]any `json:"flows"`
		}
		if err := json.Unmarshal(assetsJSON, &assets); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "[a-z]*.json"))
		for _, file := range files {
			var cases []holderCase
			mustReadJSON(t, file, &cases)
			for i, tc := range cases {
				tc.kind, tc.index, tc.assets, tc.flows = kind, i, assetsJSON, assets.Flows
				if !keep(tc) {
					continue
				}
				name := strings.TrimSuffix(filepath.Base(file), ".json") + "/" + tc.Description
				t.Run(kind+"/"+name, func(t *testing.T) { check(t, tc) })
			}
		}
	}
}

// definition returns the holder flow (the voice one for voice cases) with the case's action or
// router on its first node, and with the case's localization when withLocalization is set.
func (tc holderCase) definition(t *testing.T, withLocalization bool) []byte {
	t.Helper()
	holder := 0
	if tc.InFlowType == "voice" {
		holder = 1
	}
	def := cloneJSON(t, tc.flows[holder])
	node := def["nodes"].([]any)[0].(map[string]any)
	if tc.Action != nil {
		node["actions"] = []any{decode(t, tc.Action)}
	} else {
		node["router"] = decode(t, tc.Router)
	}
	if withLocalization && tc.Localization != nil {
		def["localization"] = decode(t, tc.Localization)
	}
	raw, _ := json.Marshal(def)
	return raw
}

func cloneJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(v)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func decode(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	v, err := flowtest.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
