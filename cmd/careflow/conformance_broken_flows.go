package main

import (
	"context"
	"encoding/json"
	"io"
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
	path = fixtureDir(path)
	var expected []struct {
		File  string  `json:"file"`
		Error *string `json:"error"`
	}
	if err := readJSONFile(filepath.Join(path, "_expected_errors.json"), &expected); err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "broken-flows", out)
	for _, tc := range expected {
		var assets struct {
			Flows []json.RawMessage `json:"flows"`
		}
		if err := readJSONFile(filepath.Join(path, tc.File), &assets); err != nil {
			return r.done(err)
		}
		want := "success"
		if tc.Error != nil {
			want = "error: " + *tc.Error
		}
		err := r.check(tc.File, func() []string {
			if got := readBrokenFlow(assets.Flows); got != want {
				return []string{"want " + want, " got " + got}
			}
			return nil
		})
		if err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

// readBrokenFlow reads flow 76f0a02f-… of a fixture's flows: "success" or "error: <message>".
func readBrokenFlow(flows []json.RawMessage) string {
	var def json.RawMessage
	for _, f := range flows {
		var head struct {
			UUID string `json:"uuid"`
		}
		if json.Unmarshal(f, &head) == nil && head.UUID == brokenFlowUUID {
			def = f
		}
	}
	if def == nil {
		return "flow " + brokenFlowUUID + " not in fixture"
	}
	if _, err := flow.Read(def); err != nil {
		return "error: " + err.Error()
	}
	return "success"
}
