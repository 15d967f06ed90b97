package event_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"careflow/engine/event"
	"careflow/internal/sharedpath"
)

// TestExamples reads every reference example event into its registered type and writes it back
// unchanged, and checks that every example's type is registered.
func TestExamples(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/events")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			e, err := event.Read(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			_ = json.Unmarshal(data, &want)
			_ = json.Unmarshal(out, &got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the event:\nwant %s\ngot  %s", data, out)
			}
		})
	}
}

// TestReadErrors checks the errors for events without or with an unknown type.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, json, err string
	}{
		{"MissingType", `{"uuid": "0197b335-6ded-79a4-95a6-3af85b57f108"}`, "field 'type' is required"},
		{"UnknownType", `{"type": "nope"}`, "unknown type: 'nope'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := event.Read([]byte(tc.json)); err == nil || err.Error() != tc.err {
				t.Errorf("got %v, want %q", err, tc.err)
			}
		})
	}
}
