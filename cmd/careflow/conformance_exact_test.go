package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"careflow/internal/sharedpath"
)

// TestConformanceExact runs the goflow suites whose harness reproduces the reference's clock
// and UUID stream with `conformance -exact`: every generated timestamp and UUID must then be
// the reference's, so careflow reads the clock and draws UUIDs exactly where it does. (The
// runner suite is held to the same in TestRunnerStampsExact, legacy flows aside.)
func TestConformanceExact(t *testing.T) {
	for _, name := range []string{"actions", "events", "modifiers", "resumes", "routers", "smart-groups", "triggers"} {
		t.Run(name, func(t *testing.T) {
			path, err := sharedpath.Path(suites[name].fixture)
			if err != nil {
				t.Skip(err)
			}
			var out, errOut bytes.Buffer
			Main(context.Background(), []string{"conformance", "-exact", name, path}, &out, &errOut)
			lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
			var passed, failed int
			if _, err := fmt.Sscanf(string(lines[len(lines)-1]), "%d passed, %d failed", &passed, &failed); err != nil {
				t.Fatalf("no closing line; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
			}
			if passed == 0 || failed > 0 {
				t.Fatalf("%d passed, %d failed:\n%s", passed, failed, out.String())
			}
		})
	}
}
