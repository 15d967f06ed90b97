package flow_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"careflow/flow"
	"careflow/internal/sharedpath"
)

// TestRoundTrip migrates every flow in the runner, action and router asset files
// then reads it and checks that writing it back gives the migrated JSON (keys, omissions and values).
func TestRoundTrip(t *testing.T) {
	var files []string
	for _, pattern := range []string{"runner/*.json", "actions/_assets.json", "routers/_assets.json"} {
		dir := sharedpath.ForTest(t, "conformance/goflow")
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		files = append(files, matches...)
	}
	checked := 0
	for _, file := range files {
		if strings.Count(filepath.Base(file), ".") > 1 {
			continue // a runner test file, not an assets file
		}
		var assets struct {
			Flows []json.RawMessage `json:"flows"`
		}
		mustReadJSON(t, file, &assets)
		for i, def := range assets.Flows {
			migrated, err := flow.ReadConfig{}.Migrate(def)
			if err != nil {
				t.Errorf("%s flows[%d]: %v", filepath.Base(file), i, err)
				continue
			}
			var orig map[string]any
			_ = json.Unmarshal(migrated, &orig)
			orig["spec_version"] = flow.CurrentSpecVersion
			f, err := flow.Read(def)
			if err != nil {
				t.Errorf("%s flows[%d]: %v", filepath.Base(file), i, err)
				continue
			}
			out, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			_ = json.Unmarshal(out, &back)
			normalizeDefaults(orig)
			dropEmpty(orig)
			dropEmpty(back)
			if !reflect.DeepEqual(orig, back) {
				t.Errorf("%s flows[%d] changed on round trip:\n%s", filepath.Base(file), i, diffJSON(orig, back))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no flow checked")
	}
	t.Logf("%d flows round-tripped", checked)
}

// normalizeDefaults adds the keys the writer always emits.
func normalizeDefaults(m map[string]any) {
	for _, k := range []string{"revision", "expire_after_minutes"} {
		if _, ok := m[k]; !ok {
			m[k] = float64(0)
		}
	}
	if m["localization"] == nil {
		m["localization"] = map[string]any{}
	}
}

// dropEmpty removes null, empty list and empty object values from objects, since the writer
// omits empty optional fields (as the reference engine does) while inputs sometimes spell them.
func dropEmpty(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			dropEmpty(e)
			switch ev := e.(type) {
			case string:
				if ev == "" && k == "default_category_uuid" {
					delete(x, k)
				}
			case nil:
				delete(x, k)
			case []any:
				if len(ev) == 0 {
					delete(x, k)
				}
			case map[string]any:
				if len(ev) == 0 && k != "localization" {
					delete(x, k)
				}
			}
		}
	case []any:
		for _, e := range x {
			dropEmpty(e)
		}
	}
}
