package flowtest

import (
	"encoding/json"
	"fmt"

	"careflow/flow"
	"careflow/flow/migrate"
)

// MigrationCase is one case of a migrations fixture file (<version>.json).
type MigrationCase struct {
	Description string          `json:"description"`
	Original    json.RawMessage `json:"original"`
	Migrated    json.RawMessage `json:"migrated"`
}

// CheckMigration migrates the case's original definition up to and including version and
// returns the differences from the expected definition (UUIDs not in the original are
// wildcards). It also checks that the original reads as a valid flow at the current version.
func CheckMigration(c MigrationCase, version string) []string {
	to, err := migrate.ParseVersion(version)
	if err != nil {
		return []string{err.Error()}
	}
	rc := flow.ReadConfig{NewUUID: migrate.NewSeededUUIDs([]byte(c.Description))}
	got, err := rc.MigrateTo(c.Original, to)
	if err != nil {
		return []string{"migrating: " + err.Error()}
	}
	want, err := Decode(c.Migrated)
	if err != nil {
		return []string{"bad fixture: " + err.Error()}
	}
	act, err := Decode(got)
	if err != nil {
		return []string{"bad output: " + err.Error()}
	}
	diffs := NewComparer(c.Original).Diff(want, act)
	if _, err := rc.Read(c.Original); err != nil {
		diffs = append(diffs, fmt.Sprintf("reading at %s: %v", flow.CurrentSpecVersion, err))
	}
	return diffs
}
