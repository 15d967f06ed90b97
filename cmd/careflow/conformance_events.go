package main

import (
	"context"
	"encoding/json"
	"io"
	"os"

	"careflow/engine/event"
)

// The events suite reads every example event of events/ into its registered type and writes
// it back: the JSON must come out field for field the same (flows.md §10), so events survive
// being stored and read by the runtime.
func init() {
	registerSuite("events", "conformance/goflow/events", 0, runEventsSuite)
}

func runEventsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := fixtureFiles(path, isCaseFile)
	if err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "events", out)
	return r.done(eachFile(r, files, checkEventFile))
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
	// every value is an input here, so nothing is a wildcard
	return diffJSON(newComparer(data), "", data, json.RawMessage(got))
}
