package flow_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"careflow/flow"
	"careflow/internal/sharedpath"
)

// TestReadActionsAndRouters places each action and router fixture in its holder flow: those the
// reference engine refuses to read must fail with the same innermost message, the others must
// read.
func TestReadActionsAndRouters(t *testing.T) {
	for _, kind := range []string{"actions", "routers"} {
		dir, err := sharedpath.Path("conformance/goflow", kind)
		if err != nil {
			t.Fatal(err)
		}
		var assets struct {
			Flows []map[string]any `json:"flows"`
		}
		mustReadJSON(t, filepath.Join(dir, "_assets.json"), &assets)
		files, _ := filepath.Glob(filepath.Join(dir, "[a-z]*.json"))
		for _, file := range files {
			var cases []struct {
				Description string          `json:"description"`
				Action      json.RawMessage `json:"action"`
				Router      json.RawMessage `json:"router"`
				InFlowType  string          `json:"in_flow_type"`
				ReadError   string          `json:"read_error"`
			}
			mustReadJSON(t, file, &cases)
			for _, tc := range cases {
				t.Run(kind+"/"+strings.TrimSuffix(filepath.Base(file), ".json")+"/"+tc.Description, func(t *testing.T) {
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
					raw, _ := json.Marshal(def)
					f, err := flow.Read(raw)
					if tc.ReadError == "" {
						if err != nil {
							t.Fatalf("read failed: %v", err)
						}
						checkWrittenNode(t, raw, f)
						return
					}
					if err == nil {
						t.Fatalf("read succeeded, want error %q", tc.ReadError)
					}
					inner := err
					for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
						inner = u
					}
					if inner.Error() != tc.ReadError {
						t.Errorf("innermost error %q, want %q (full: %v)", inner.Error(), tc.ReadError, err)
					}
				})
			}
		}
	}
}

// checkWrittenNode compares the first node as written back with the migrated definition, so
// each action and router type keeps the reference's keys and omissions.
func checkWrittenNode(t *testing.T, raw []byte, f *flow.Flow) {
	t.Helper()
	migrated, err := flow.ReadConfig{}.Migrate(raw)
	if err != nil {
		t.Fatal(err)
	}
	var def struct {
		Nodes []map[string]any `json:"nodes"`
	}
	if err := json.Unmarshal(migrated, &def); err != nil {
		t.Fatal(err)
	}
	written, _ := json.Marshal(f.Nodes[0])
	var got map[string]any
	_ = json.Unmarshal(written, &got)
	want := def.Nodes[0]
	dropEmpty(want)
	dropEmpty(got)
	if diff := diffJSON(want, got); diff != "" {
		t.Errorf("node written differently:\n%s", diff)
	}
}
