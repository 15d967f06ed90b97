package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"careflow/internal/sharedpath"
)

// The benchmarks' own clients talk raw HTTP/1.1 (benchConn): a short run of each proves the
// requests they write are ones the server takes, and that every one is counted.

func TestBenchRuntimeInboundSmall(t *testing.T) {
	flow := sharedpath.ForTest(t, "conformance", "goflow", "runner", "two_questions.json")
	line := runBenchLine(t, "runtime", "-scenario", "inbound", "-n", "40", "-clients", "4", "-assets", flow)
	if line["failed"] != 0.0 || line["messages"] != 120.0 || line["msgs_per_sec"].(float64) <= 0 {
		t.Fatalf("want 120 messages, none failed, got %v", line)
	}
}

func TestBenchRecordsSmall(t *testing.T) {
	line := runBenchLine(t, "records", "-n", "60", "-clients", "3", "-stores", "sqlite", "-nodes", "1")
	if line["errors"] != 0.0 || line["records_per_sec"].(float64) <= 0 {
		t.Fatalf("want no errors, got %v", line)
	}
}

func runBenchLine(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := Main(t.Context(), append([]string{"bench"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("bench %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &line); err != nil {
		t.Fatalf("bench %s: last line is not JSON: %q", strings.Join(args, " "), out.String())
	}
	return line
}
