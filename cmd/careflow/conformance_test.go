package main

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"testing"

	"careflow/internal/sharedpath"
)

// TestConformance runs every registered suite on its shared fixtures through Main, exactly as
// `careflow conformance SUITE PATH` does, and holds each suite to its declared known failures.
func TestConformance(t *testing.T) {
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		entry := suites[name]
		t.Run(name, func(t *testing.T) {
			path := sharedpath.ForTest(t, entry.fixture)
			var out, errOut bytes.Buffer
			Main(context.Background(), []string{"conformance", name, path}, &out, &errOut)
			var passed, failed int
			lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
			last := string(lines[len(lines)-1])
			if _, err := fmt.Sscanf(last, "%d passed, %d failed", &passed, &failed); err != nil {
				t.Fatalf("no closing line; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
			}
			t.Logf("%s: %d passed, %d failed", name, passed, failed)
			if passed == 0 {
				t.Fatalf("ran no case; stderr:\n%s", errOut.String())
			}
			if failed > entry.knownFailures {
				t.Fatalf("%d failed, %d allowed:\n%s", failed, entry.knownFailures, out.String())
			}
		})
	}
}
