package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"careflow/flow"
)

// The broken-flows suite: each fixture's flow 76f0a02f-… must be rejected with the reference
// engine's message (or read successfully where the reference accepts it). PATH is the fixture
// folder, holding _expected_errors.json. All cases pass, so no failures are allowed.
func init() {
	registerSuite("broken-flows", "conformance/goflow/broken_flows", 0, runBrokenFlowsSuite)
}

const brokenFlowUUID = "76f0a02f-3b75-4b86-9064-e9195e1b3a02"

func runBrokenFlowsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		path = filepath.Dir(path)
	}
	var expected []struct {
		File  string  `json:"file"`
		Error *string `json:"error"`
	}
	if err := readJSONFile(filepath.Join(path, "_expected_errors.json"), &expected); err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, tc := range expected {
		if err := ctx.Err(); err != nil {
			return passed, failed, err
		}
		var assets struct {
			Flows []json.RawMessage `json:"flows"`
		}
		if err := readJSONFile(filepath.Join(path, tc.File), &assets); err != nil {
			return passed, failed, err
		}
		var def json.RawMessage
		for _, f := range assets.Flows {
			var head struct {
				UUID string `json:"uuid"`
			}
			if json.Unmarshal(f, &head) == nil && head.UUID == brokenFlowUUID {
				def = f
			}
		}
		want := "success"
		if tc.Error != nil {
			want = "error: " + *tc.Error
		}
		got := "success"
		if def == nil {
			got = "flow " + brokenFlowUUID + " not in fixture"
		} else if _, err := flow.Read(def); err != nil {
			got = "error: " + err.Error()
		}
		if got == want {
			passed++
			continue
		}
		failed++
		reportFailure(out, tc.File, []string{fmt.Sprintf("want %s", want), fmt.Sprintf(" got %s", got)})
	}
	return passed, failed, nil
}
