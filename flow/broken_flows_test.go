package flow_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"careflow/flow"
	"careflow/internal/sharedpath"
)

const brokenFlowUUID = "76f0a02f-3b75-4b86-9064-e9195e1b3a02"

// TestBrokenFlows reads every broken_flows fixture and expects the reference engine's error (or
// success where the reference accepts the flow).
func TestBrokenFlows(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/broken_flows")
	var expected []struct {
		File  string  `json:"file"`
		Error *string `json:"error"`
	}
	mustReadJSON(t, filepath.Join(dir, "_expected_errors.json"), &expected)
	for _, tc := range expected {
		t.Run(tc.File, func(t *testing.T) {
			var assets struct {
				Flows []json.RawMessage `json:"flows"`
			}
			mustReadJSON(t, filepath.Join(dir, tc.File), &assets)
			var def json.RawMessage
			for _, f := range assets.Flows {
				var head struct {
					UUID string `json:"uuid"`
				}
				_ = json.Unmarshal(f, &head)
				if head.UUID == brokenFlowUUID {
					def = f
				}
			}
			if def == nil {
				t.Fatal("flow not found in fixture")
			}
			_, err := flow.Read(def)
			switch {
			case tc.Error == nil && err != nil:
				t.Fatalf("expected success, got %v", err)
			case tc.Error != nil && err == nil:
				t.Fatalf("expected error %q, got success", *tc.Error)
			case tc.Error != nil && err.Error() != *tc.Error:
				t.Fatalf("error mismatch\n got: %s\nwant: %s", err, *tc.Error)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	data := mustRead(t, path)
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
