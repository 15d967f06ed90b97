package flow_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"careflow/flow"
	"careflow/flow/flowtest"
	"careflow/internal/sharedpath"
)

// TestInspectActions places each action and router fixture in its holder flow (as the engine
// tests do) and compares Inspect's output with the reference inspection.
func TestInspectActions(t *testing.T) {
	for _, kind := range []string{"actions", "routers"} {
		dir, err := sharedpath.Path("conformance/goflow", kind)
		if err != nil {
			t.Fatal(err)
		}
		assetsJSON := mustRead(t, filepath.Join(dir, "_assets.json"))
		index, err := flow.ReadAssetIndex(assetsJSON)
		if err != nil {
			t.Fatal(err)
		}
		var assets struct {
			Flows []map[string]any `json:"flows"`
		}
		if err := json.Unmarshal(assetsJSON, &assets); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "[a-z]*.json"))
		for _, file := range files {
			var cases []struct {
				Description  string          `json:"description"`
				Action       json.RawMessage `json:"action"`
				Router       json.RawMessage `json:"router"`
				InFlowType   string          `json:"in_flow_type"`
				Localization json.RawMessage `json:"localization"`
				ReadError    string          `json:"read_error"`
				Inspection   json.RawMessage `json:"inspection"`
			}
			mustReadJSON(t, file, &cases)
			for i, tc := range cases {
				if tc.Inspection == nil || tc.ReadError != "" {
					continue
				}
				name := strings.TrimSuffix(filepath.Base(file), ".json") + "/" + tc.Description
				t.Run(kind+"/"+name, func(t *testing.T) {
					holder := 0
					if tc.InFlowType == "voice" {
						holder = 1
					}
					def := cloneJSON(t, assets.Flows[holder])
					node := def["nodes"].([]any)[0].(map[string]any)
					if tc.Action != nil {
						node["actions"] = []any{decode(t, tc.Action)}
					} else {
						node["router"] = decode(t, tc.Router)
					}
					if tc.Localization != nil {
						def["localization"] = decode(t, tc.Localization)
					}
					raw, _ := json.Marshal(def)
					f, err := flow.Read(raw)
					if err != nil {
						t.Skipf("case %d doesn't read: %v", i, err)
					}
					got, _ := json.Marshal(f.Inspect(index))
					want, _ := flowtest.Decode(tc.Inspection)
					act, _ := flowtest.Decode(got)
					if diffs := flowtest.NewComparer(raw).Diff(want, act); len(diffs) > 0 {
						t.Errorf("differences:\n  %s", strings.Join(diffs, "\n  "))
					}
				})
			}
		}
	}
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
