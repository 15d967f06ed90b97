package contactql_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"careflow/contactql"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// TestModifierGroups checks the reference's modifier fixtures: whenever a modifier changed the
// contact (it produced events), the query-based groups of contact_after are exactly those its
// queries select. Cases that change nothing aren't re-evaluated by the reference, so they're
// skipped.
func TestModifierGroups(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/modifiers")
	data, err := os.ReadFile(filepath.Join(dir, "_assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	assets, err := contactql.ReadAssets(data)
	if err != nil {
		t.Fatal(err)
	}
	env := expr.NewEnvironment(nil)
	smart := contactql.ParseSmartGroups(env, assets.Groups, assets)
	for _, g := range smart {
		if g.Err != nil {
			t.Fatalf("group %s: %v", g.Name, g.Err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, file := range files {
		base := filepath.Base(file)
		if strings.HasPrefix(base, "_") {
			continue
		}
		var cases []struct {
			Description  string            `json:"description"`
			ContactAfter json.RawMessage   `json:"contact_after"`
			Events       []json.RawMessage `json:"events"`
		}
		mustReadJSON(t, file, &cases)
		for i, tc := range cases {
			if len(tc.Events) == 0 || len(tc.ContactAfter) == 0 || string(tc.ContactAfter) == "null" {
				continue
			}
			checked++
			t.Run(strings.TrimSuffix(base, ".json")+"/"+tc.Description, func(t *testing.T) {
				after := mustContact(t, string(tc.ContactAfter))
				var want, got []string
				for _, g := range after.Groups() {
					if slices.ContainsFunc(smart, func(s *contactql.SmartGroup) bool { return s.UUID == g.UUID }) {
						want = append(want, g.Name)
					}
				}
				for _, g := range smart {
					if contactql.InGroup(after, g.Query) {
						got = append(got, g.Name)
					}
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("case %d: query groups %v, want %v", i, got, want)
				}
			})
		}
	}
	if checked == 0 {
		t.Fatal("no modifier cases checked")
	}
}
