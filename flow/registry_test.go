package flow_test

import (
	"os"
	"testing"

	"careflow/flow"
	"careflow/internal/sharedpath"
)

// TestEveryActionTypeHasFixtures loops over the registry: each registered action type must have
// its reference fixture file (actions/<type>.json), which the read and inspection tests run.
func TestEveryActionTypeHasFixtures(t *testing.T) {
	types := flow.ActionTypes()
	if len(types) != 26 {
		t.Errorf("%d action types registered, want the 26 of spec 14.4", len(types))
	}
	for _, typ := range types {
		path := sharedpath.ForTest(t, "conformance/goflow/actions", typ+".json")
		if _, err := os.Stat(path); err != nil {
			t.Errorf("action type %s has no fixture: %v", typ, err)
		}
	}
}
