package modifier_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"careflow/engine/modifier"
	"careflow/internal/sharedpath"
)

// TestEveryFixtureReads reads the modifier of every case in the shared modifier fixtures, so
// every fixture type must be registered (the behaviour is checked by the modifiers suite).
func TestEveryFixtureReads(t *testing.T) {
	dir := sharedpath.ForTest(t, "conformance/goflow/modifiers")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, file := range files {
		if strings.HasPrefix(filepath.Base(file), "_") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct {
			Modifier json.RawMessage `json:"modifier"`
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			m, err := modifier.Read(c.Modifier)
			if err != nil {
				t.Errorf("%s[%d]: %v", filepath.Base(file), i, err)
				continue
			}
			var head struct {
				Type string `json:"type"`
			}
			_ = json.Unmarshal(c.Modifier, &head)
			if m.Type() != head.Type {
				t.Errorf("%s[%d]: read as %s, want %s", filepath.Base(file), i, m.Type(), head.Type)
			}
		}
	}
}
