package contactql_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"careflow/contactql"
	"careflow/internal/sharedpath"
)

// brokenFixtureQueries are the group queries the reference fixtures break on purpose.
var brokenFixtureQueries = map[string]string{"xyz=X": contactql.ErrUnknownProperty}

// TestFixtureGroupQueries parses every group query found in the reference fixtures' assets
// against the fields beside it, and checks the canonical form reads back as itself.
func TestFixtureGroupQueries(t *testing.T) {
	root := sharedpath.ForTest(t, "conformance/goflow")
	files := []string{
		"smart_groups/smart_groups.assets.json", "actions/_assets.json", "modifiers/_assets.json",
		"runner/smart_groups.json", "runner/stop.json", "runner/all_actions.json", "runner/router_tests.json",
	}
	seen := 0
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, raw := range assetDocs(doc) {
			assets, err := contactql.ReadAssets(raw)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, g := range assets.Groups {
				if g.Query == "" {
					continue
				}
				seen++
				t.Run(name+"/"+g.Name, func(t *testing.T) {
					q, err := contactql.Parse(testEnv(false), g.Query, assets)
					if code, broken := brokenFixtureQueries[g.Query]; broken {
						if qe, ok := contactql.AsError(err); !ok || qe.Code != code {
							t.Fatalf("Parse(%q) = %v, want a %s error", g.Query, err, code)
						}
						return
					}
					if err != nil {
						t.Fatalf("Parse(%q): %v", g.Query, err)
					}
					again, err := contactql.Parse(testEnv(false), q.String(), assets)
					if err != nil || again.String() != q.String() {
						t.Fatalf("canonical %q reparses as %v, %v", q.String(), again, err)
					}
				})
			}
		}
	}
	if seen == 0 {
		t.Fatal("no group queries found in the fixtures")
	}
}

// assetDocs finds every object in v that has a groups list, re-encoded for ReadAssets.
func assetDocs(v any) [][]byte {
	var out [][]byte
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["groups"].([]any); ok {
			if _, hasFields := x["fields"]; hasFields {
				data, _ := json.Marshal(map[string]any{"fields": x["fields"], "groups": x["groups"], "flows": x["flows"]})
				out = append(out, data)
			}
		}
		for _, child := range x {
			out = append(out, assetDocs(child)...)
		}
	case []any:
		for _, child := range x {
			out = append(out, assetDocs(child)...)
		}
	}
	return out
}
