package flow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"careflow/flow"
	"careflow/flow/flowtest"
)

// TestInspectActions places each action and router fixture in its holder flow (as the engine
// tests do) and compares Inspect's output with the reference inspection.
func TestInspectActions(t *testing.T) {
	indexes := map[string]*flow.AssetIndex{}
	inspected := func(tc holderCase) bool { return tc.Inspection != nil && tc.ReadError == "" }
	eachHolderCase(t, inspected, func(t *testing.T, tc holderCase) {
		index, ok := indexes[tc.kind]
		if !ok {
			var err error
			if index, err = flow.ReadAssetIndex(tc.assets); err != nil {
				t.Fatal(err)
			}
			indexes[tc.kind] = index
		}
		raw := tc.definition(t, true)
		f, err := flow.Read(raw)
		if err != nil {
			t.Skipf("case %d doesn't read: %v", tc.index, err)
		}
		got, _ := json.Marshal(f.Inspect(index))
		want, _ := flowtest.Decode(tc.Inspection)
		act, _ := flowtest.Decode(got)
		if diffs := flowtest.NewComparer(raw).Diff(want, act); len(diffs) > 0 {
			t.Errorf("differences:\n  %s", strings.Join(diffs, "\n  "))
		}
	})
}
