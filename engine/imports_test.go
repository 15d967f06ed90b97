package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEnginePurity checks that no engine package imports I/O: the engine talks to the world
// only through its injected services.
func TestEnginePurity(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "careflow/engine/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := map[string]bool{"os": true, "net/http": true, "database/sql": true, "careflow/store": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if forbidden[imp] || strings.HasPrefix(imp, "careflow/store/") {
				t.Errorf("%s imports %s", fields[0], imp)
			}
		}
	}
}
