package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoScripts runs the demo flows' conversation scripts (demo/*.test.json), so the flows
// `make run` loads keep saying what their scripts expect.
func TestDemoScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "demo", "*.test.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no demo scripts: %v", err)
	}
	var out bytes.Buffer
	err = runFlowTests(context.Background(), files, &out, &out)
	if err != nil || !strings.Contains(out.String(), " 0 failed") {
		t.Fatalf("demo scripts: %v\n%s", err, out.String())
	}
}
