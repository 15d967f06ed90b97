package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	"careflow/engine/enginetest"
	"careflow/engine/event"
)

// The events suite reads every example event of events/ into its registered type and writes
// it back: the JSON must come out field for field the same (flows.md §10), so events survive
// being stored and read by the runtime.
func init() {
	registerSuite("events", "conformance/goflow/events", 0, runEventsSuite)
}

func runEventsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := engFixtureFiles(path)
	if err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return passed, failed, err
		}
		diffs := checkEventFile(file)
		if len(diffs) == 0 {
			passed++
			continue
		}
		failed++
		engReport(out, filepath.Base(file), diffs)
	}
	return passed, failed, nil
}

func checkEventFile(file string) []string {
	data, err := os.ReadFile(file)
	if err != nil {
		return []string{err.Error()}
	}
	e, err := event.Read(data)
	if err != nil {
		return []string{"reading: " + err.Error()}
	}
	got, err := json.Marshal(e)
	if err != nil {
		return []string{"writing: " + err.Error()}
	}
	w, err := enginetest.Decode(data)
	if err != nil {
		return []string{err.Error()}
	}
	g, _ := enginetest.Decode(got)
	// every value is an input here, so nothing is a wildcard
	cmp := enginetest.NewComparer(data)
	var diffs []string
	for _, d := range cmp.Diff(w, g) {
		diffs = append(diffs, strings.TrimPrefix(d, "$"))
	}
	return diffs
}
