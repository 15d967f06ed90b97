package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"careflow/flow/flowtest"
)

// The migrations suite: every <version>.json case's original, migrated up to that version, must
// equal the expected definition (UUIDs the migrations invent compare as wildcards). All cases
// pass, so no failures are allowed.
func init() {
	registerSuite("migrations", "conformance/goflow/migrations", 0, runMigrationsSuite)
}

// isVersionFile keeps the <version>.json case files of the migrations folder.
func isVersionFile(name string) bool { return name != "" && name[0] >= '0' && name[0] <= '9' }

func runMigrationsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := fixtureFiles(path, isVersionFile)
	if err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "migrations", out)
	for _, file := range files {
		version := strings.TrimSuffix(filepath.Base(file), ".json")
		var cases []flowtest.MigrationCase
		if err := readJSONFile(file, &cases); err != nil {
			return r.done(err)
		}
		for _, c := range cases {
			if err := r.check(version+": "+c.Description, func() []string { return flowtest.CheckMigration(c, version) }); err != nil {
				return r.done(err)
			}
		}
	}
	return r.done(nil)
}
