package flow_test

import (
	"encoding/json"
	"errors"
	"testing"

	"careflow/flow"
)

// TestReadActionsAndRouters places each action and router fixture in its holder flow: those the
// reference engine refuses to read must fail with the same innermost message, the others must
// read.
func TestReadActionsAndRouters(t *testing.T) {
	all := func(holderCase) bool { return true }
	eachHolderCase(t, all, func(t *testing.T, tc holderCase) {
		raw := tc.definition(t, false)
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
