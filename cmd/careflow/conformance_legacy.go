package main

import (
	"context"
	"io"
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
	path = fixtureDir(path)
	var holders flowtest.LegacyHolders
	if err := readJSONFile(filepath.Join(path, "_holders.json"), &holders); err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "legacy", out)
	for _, kind := range []string{"flows", "actions", "tests", "rulesets"} {
		var cases []flowtest.LegacyCase
		if err := readJSONFile(filepath.Join(path, kind+".json"), &cases); err != nil {
			return r.done(err)
		}
		for i, c := range cases {
			err := r.check(kind+" "+c.Name(i), func() []string {
				if kind == "flows" {
					return flowtest.CheckLegacyFlow(c, nil)
				}
				return flowtest.CheckLegacyItem(c, holders, nil)
			})
			if err != nil {
				return r.done(err)
			}
		}
	}
	return r.done(nil)
}
