package contactql_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"careflow/contactql"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// TestSmartGroups evaluates every group query of the reference's smart_groups fixtures against
// each case's contact_before and checks that the query-based groups the contact ends up in are
// those of contact_after, while static groups stay as they were.
func TestSmartGroups(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/smart_groups")
	var harness struct {
		Environment       json.RawMessage `json:"environment"`
		EnvironmentRedact json.RawMessage `json:"environment_when_redact_urns"`
	}
	mustReadJSON(t, filepath.Join(dir, "_harness.json"), &harness)
	assetsData, err := os.ReadFile(filepath.Join(dir, "smart_groups.assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	assets, err := contactql.ReadAssets(assetsData)
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Description   string          `json:"description"`
		ContactBefore json.RawMessage `json:"contact_before"`
		RedactURNs    bool            `json:"redact_urns"`
		ContactAfter  json.RawMessage `json:"contact_after"`
	}
	mustReadJSON(t, filepath.Join(dir, "smart_groups.json"), &cases)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for i, tc := range cases {
		t.Run(tc.Description, func(t *testing.T) {
			envJSON := harness.Environment
			if tc.RedactURNs {
				envJSON = harness.EnvironmentRedact
			}
			env, err := expr.ParseEnvironment(envJSON, nil)
			if err != nil {
				t.Fatal(err)
			}
			before := mustContact(t, string(tc.ContactBefore))
			after := mustContact(t, string(tc.ContactAfter))

			smart := contactql.ParseSmartGroups(env, assets.Groups, assets)
			added, removed := contactql.Reevaluate(before, smart)
			gone := map[string]bool{}
			for _, g := range removed {
				gone[g.UUID] = true
			}
			var got []string
			for _, g := range before.Groups() {
				if !gone[g.UUID] {
					got = append(got, g.UUID) // static groups are untouched
				}
			}
			for _, g := range added {
				got = append(got, g.UUID)
			}
			var want []string
			for _, g := range after.Groups() {
				want = append(want, g.UUID)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("case %d: groups = %v, want %v", i, names(assets, got), names(assets, want))
			}
		})
	}
}

func names(a *contactql.Assets, uuids []string) []string {
	var out []string
	for _, u := range uuids {
		name := u
		for _, g := range a.Groups {
			if g.UUID == u {
				name = g.Name
			}
		}
		out = append(out, name)
	}
	return out
}

func mustReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
