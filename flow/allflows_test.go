package flow_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"careflow/flow"
	"careflow/internal/sharedpath"
)

// TestReadEveryFixtureFlow reads every flow of every assets document in the goflow fixtures
// (except broken_flows, which has its own test): the engine's fixtures must all load.
func TestReadEveryFixtureFlow(t *testing.T) {
	root := sharedpath.ForTest(t, "conformance/goflow")
	count := 0
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".json") || strings.Contains(path, "broken_flows") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc struct {
			Flows []json.RawMessage `json:"flows"`
		}
		if json.Unmarshal(data, &doc) != nil {
			return nil // not an assets document
		}
		for i, def := range doc.Flows {
			if _, err := flow.Read(def); err != nil {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s flows[%d]: %v", rel, i, err)
			}
			count++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count == 0 {
		t.Fatal("no flows found")
	}
	t.Logf("%d flows read", count)
}
