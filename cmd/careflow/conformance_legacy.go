package main

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"careflow/flow/flowtest"
)

// The legacy suite: pre-13 definitions (whole flows, and single actions, tests and rule sets
// wrapped in the holder flows of _holders.json) converted to spec 13.0.0 must equal the
// reference conversion (invented UUIDs compare as wildcards).
// Templates are migrated by expr.MigrateLegacyTemplate.
func init() {
	registerSuite("legacy", "conformance/goflow/legacy", 0, runLegacySuite)
}

func runLegacySuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		path = filepath.Dir(path)
	}
	var holders flowtest.LegacyHolders
	if err := readJSONFile(filepath.Join(path, "_holders.json"), &holders); err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, kind := range []string{"flows", "actions", "tests", "rulesets"} {
		var cases []flowtest.LegacyCase
		if err := readJSONFile(filepath.Join(path, kind+".json"), &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			var diffs []string
			if kind == "flows" {
				diffs = flowtest.CheckLegacyFlow(c, nil)
			} else {
				diffs = flowtest.CheckLegacyItem(c, holders, nil)
			}
			if len(diffs) == 0 {
				passed++
				continue
			}
			failed++
			reportFailure(out, kind+" "+c.Name(i), diffs)
		}
	}
	return passed, failed, nil
}
