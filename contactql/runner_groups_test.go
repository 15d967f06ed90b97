package contactql_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"careflow/contactql"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// TestRunnerGroupEvents replays the contact changes of the reference's runner sessions whose
// assets have query-based groups. After the session starts and after every contact change it
// re-evaluates the groups, and checks the query-based part of the contact_groups_changed event
// that follows (or that none follows when nothing changes).
func TestRunnerGroupEvents(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/runner")
	for _, name := range []string{"smart_groups", "all_actions", "router_tests"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			assets, err := contactql.ReadAssets(data)
			if err != nil {
				t.Fatal(err)
			}
			var test struct {
				Environment json.RawMessage `json:"environment"`
				Contact     map[string]any  `json:"contact"`
				Outputs     []struct {
					Events []map[string]any `json:"events"`
				} `json:"outputs"`
			}
			mustReadJSON(t, filepath.Join(dir, name+".test.json"), &test)
			env, err := expr.ParseEnvironment(test.Environment, nil)
			if err != nil {
				t.Fatal(err)
			}
			smart := contactql.ParseSmartGroups(env, assets.Groups, assets)
			isSmart := map[string]bool{}
			for _, g := range smart {
				isSmart[g.UUID] = true
			}
			var events []map[string]any
			for _, o := range test.Outputs {
				events = append(events, o.Events...)
			}
			contact := test.Contact
			checked := 0
			// a change "before" the first event stands for the session start
			for i := -1; i < len(events); i++ {
				if i >= 0 {
					if !applyChange(t, contact, events[i]) {
						continue
					}
				}
				added, removed := contactql.Reevaluate(mustContact(t, mustJSON(t, contact)), smart)
				var next map[string]any
				if i+1 < len(events) && events[i+1]["type"] == "contact_groups_changed" {
					next = events[i+1]
				}
				wantAdded := smartRefs(next, "groups_added", isSmart)
				wantRemoved := smartRefs(next, "groups_removed", isSmart)
				if got := refNames(added); !slices.Equal(got, wantAdded) {
					t.Errorf("after event %d: added %v, want %v", i, got, wantAdded)
				}
				if got := refNames(removed); !slices.Equal(got, wantRemoved) {
					t.Errorf("after event %d: removed %v, want %v", i, got, wantRemoved)
				}
				checked++
			}
			if checked < 2 {
				t.Fatalf("only %d re-evaluations checked", checked)
			}
		})
	}
}

// applyChange applies a contact_*_changed event to the contact JSON and reports whether it was
// a change after which the reference re-evaluates groups (group changes themselves aren't).
func applyChange(t *testing.T, contact map[string]any, ev map[string]any) bool {
	t.Helper()
	switch ev["type"] {
	case "contact_field_changed":
		fields, _ := contact["fields"].(map[string]any)
		if fields == nil {
			fields = map[string]any{}
			contact["fields"] = fields
		}
		key := ev["field"].(map[string]any)["key"].(string)
		if ev["value"] == nil {
			delete(fields, key)
		} else {
			fields[key] = ev["value"]
		}
	case "contact_urns_changed":
		contact["urns"] = ev["urns"]
	case "contact_name_changed":
		contact["name"] = ev["name"]
	case "contact_language_changed":
		contact["language"] = ev["language"]
	case "contact_status_changed":
		contact["status"] = ev["status"]
	case "contact_groups_changed":
		groups, _ := contact["groups"].([]any)
		for _, r := range asList(ev["groups_removed"]) {
			groups = slices.DeleteFunc(groups, func(g any) bool {
				return g.(map[string]any)["uuid"] == r.(map[string]any)["uuid"]
			})
		}
		groups = append(groups, asList(ev["groups_added"])...)
		contact["groups"] = groups
		return false
	default:
		return false
	}
	return true
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// smartRefs lists the names of the query-based groups in one list of a groups event.
func smartRefs(ev map[string]any, key string, isSmart map[string]bool) []string {
	var out []string
	for _, g := range asList(ev[key]) {
		ref := g.(map[string]any)
		if isSmart[fmt.Sprint(ref["uuid"])] {
			out = append(out, fmt.Sprint(ref["name"]))
		}
	}
	return out
}

func refNames(refs []contactql.GroupRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Name)
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
