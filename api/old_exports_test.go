package api_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"careflow/internal/sharedpath"
	. "careflow/internal/testserver"
)

// TestOldExports: a legacy flow (action and rule sets) in an export of version 10 is imported
// migrated, with its nodes; wrapped in a version 3 "definition" it is imported with its nodes
// or refused naming the version, never imported empty; versions before 3 are refused.
func TestOldExports(t *testing.T) {
	path, err := sharedpath.Path("conformance", "goflow", "legacy", "flows.json")
	if err != nil {
		t.Skip(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	var cases []struct {
		Legacy map[string]any `json:"legacy"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	var legacy map[string]any
	for _, c := range cases {
		if sets, _ := c.Legacy["action_sets"].([]any); len(sets) > 0 {
			legacy = c.Legacy
			break
		}
	}
	if legacy == nil {
		t.Fatal("no legacy flow with content")
	}
	uuid := obj(legacy["metadata"])["uuid"].(string)
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		nodes := func() int {
			def := obj(c.expect("GET", "/api/v2/definitions.json?dependencies=none&flow="+uuid, nil, 200, nil))
			if len(list(def["flows"])) != 1 {
				t.Fatalf("not exported: %v", def)
			}
			return len(list(obj(list(def["flows"])[0])["nodes"]))
		}
		v10, _ := json.Marshal(map[string]any{"version": 10, "flows": []any{legacy}})
		c.expect("POST", "/api/v2/definitions.json", string(v10), 200, nil)
		if n := nodes(); n == 0 {
			t.Fatal("a version 10 legacy flow was imported empty")
		}

		meta := obj(legacy["metadata"])
		wrapped := map[string]any{"name": meta["name"], "flow_type": "F", "definition": legacy}
		v3, _ := json.Marshal(map[string]any{"version": 3, "flows": []any{wrapped}})
		st, _, out := c.do("POST", "/api/v2/definitions.json", string(v3))
		b, _ := marshal(out)
		t.Logf("version 3 export: %d %s", st, b)
		switch {
		case st == 200 && nodes() > 0:
		case st == 400 && strings.Contains(b, "version 3"):
		default:
			t.Fatalf("version 3 export: %d %s", st, b)
		}

		v2, _ := json.Marshal(map[string]any{"version": 2, "flows": []any{wrapped}})
		c.expect("POST", "/api/v2/definitions.json", string(v2), 400,
			map[string][]string{"non_field_errors": {"unsupported export version 2 (careflow reads versions 3 to 13)"}})
	})
}
