package flow_test

import (
	"path/filepath"
	"strings"
	"testing"

	"careflow/flow/flowtest"
	"careflow/internal/sharedpath"
)

// TestMigrations runs every case of the migrations fixtures: each original, migrated to the
// version its file is named after, must equal the expected definition.
func TestMigrations(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/migrations")
	files, _ := filepath.Glob(filepath.Join(dir, "[0-9]*.json"))
	if len(files) == 0 {
		t.Fatal("no migration fixtures")
	}
	for _, file := range files {
		version := strings.TrimSuffix(filepath.Base(file), ".json")
		var cases []flowtest.MigrationCase
		mustReadJSON(t, file, &cases)
		for _, tc := range cases {
			t.Run(version+"/"+tc.Description, func(t *testing.T) {
				if diffs := flowtest.CheckMigration(tc, version); len(diffs) > 0 {
					t.Errorf("differences:\n  %s", strings.Join(diffs, "\n  "))
				}
			})
		}
	}
}
