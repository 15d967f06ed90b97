package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// What the goflow engine suites (actions, routers, resumes, triggers, modifiers, smart-groups,
// events, runner) share: their fixture folders, the holder flow a case is placed in, the
// session they start and the way they compare its output.

// goflowFolder is a goflow case folder: case files beside the shared _assets.json (and, for
// most suites, _harness.json).
type goflowFolder struct {
	dir    string
	assets []byte   // _assets.json
	files  []string // the case files, or the one file given
}

// readGoflowFolder reads the folder of path (the folder holding path when it is one case file):
// its _harness.json into harness unless that is nil, its _assets.json and its case files.
func readGoflowFolder(path string, harness any) (goflowFolder, error) {
	fx := goflowFolder{dir: fixtureDir(path)}
	if harness != nil {
		if err := readJSONFile(filepath.Join(fx.dir, "_harness.json"), harness); err != nil {
			return fx, err
		}
	}
	var err error
	if fx.assets, err = os.ReadFile(filepath.Join(fx.dir, "_assets.json")); err != nil {
		return fx, err
	}
	fx.files, err = fixtureFiles(path, isCaseFile)
	return fx, err
}

// runGoflowSuite runs the cases of a goflow case folder (see readGoflowFolder) with check,
// given the folder's _assets.json; the folder's _harness.json is read into harness first
// unless that is nil.
func runGoflowSuite[C describedCase](ctx context.Context, suite, path string, harness any, out io.Writer, check func(assets []byte, c C) []string) (int, int, error) {
	fx, err := readGoflowFolder(path, harness)
	if err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, suite, out)
	return r.done(eachCase(r, fx.files, func(c C) []string { return check(fx.assets, c) }))
}

// editHolderFlow decodes the assets (numbers kept as written), lets edit change the holder flow
// at index and its first node, and returns the assets written back.
func editHolderFlow(assetsData []byte, index int, edit func(holder, node map[string]any) error) ([]byte, error) {
	decoded, err := enginetest.Decode(assetsData)
	if err != nil {
		return nil, err
	}
	assets := decoded.(map[string]any)
	holder := assets["flows"].([]any)[index].(map[string]any)
	if err := edit(holder, holder["nodes"].([]any)[0].(map[string]any)); err != nil {
		return nil, err
	}
	return json.Marshal(assets)
}

// readErrorDiffs checks a read the case expects to fail with the message want (with partial,
// a message containing it).
func readErrorDiffs(err error, want string, partial bool) []string {
	switch {
	case err == nil:
		return []string{fmt.Sprintf("read succeeded, want error %q", want)}
	case partial && strings.Contains(err.Error(), want), !partial && err.Error() == want:
		return nil
	}
	return []string{fmt.Sprintf("read error %q, want %q", err.Error(), want)}
}

// manualTrigger reads the manual trigger (a batch one with batch) the suites start flow f
// with, triggered now by the engine's clock as the reference's trigger builder is (a clock tick).
func manualTrigger(assets *engine.Assets, f *flow.Flow, batch bool, at time.Time) (*engine.Trigger, error) {
	ref := fmt.Sprintf(`{"uuid": %q, "name": %q}`, f.UUID, f.Name)
	on := at.Format(time.RFC3339Nano)
	if batch {
		return engine.ReadTrigger([]byte(fmt.Sprintf(`{"type": "manual", "flow": %s, "batch": true, "triggered_on": %q}`, ref, on)), assets)
	}
	return engine.ReadTrigger([]byte(fmt.Sprintf(`{"type": "manual", "flow": %s, "triggered_on": %q}`, ref, on)), assets)
}

// voiceCall is the harness's call (callData) for a voice flow, nil for other flows.
func voiceCall(f *flow.Flow, callData []byte) *engine.Call {
	if f.Type != "voice" {
		return nil
	}
	call := &engine.Call{}
	_ = json.Unmarshal(callData, call)
	return call
}

// diffJSON compares got (marshalled) with the expected JSON want, naming each difference by
// its path under name.
func diffJSON(cmp *enginetest.Comparer, name string, want json.RawMessage, got any) []string {
	w, err := enginetest.Decode(want)
	if err != nil {
		return []string{err.Error()}
	}
	var diffs []string
	for _, d := range cmp.Diff(w, enginetest.ToAny(got)) {
		diffs = append(diffs, name+strings.TrimPrefix(d, "$"))
	}
	return diffs
}

// diffIfExpected is diffJSON for a fixture field the case may leave out.
func diffIfExpected(cmp *enginetest.Comparer, name string, want json.RawMessage, got any) []string {
	if len(want) == 0 {
		return nil
	}
	return diffJSON(cmp, name, want, got)
}

// trimEvents drops the first run_started and the last run_ended of a sprint.
func trimEvents(events []event.Event) []event.Event {
	out := append([]event.Event{}, events...)
	for i, e := range out {
		if e.Type() == event.TypeRunStarted {
			out = append(out[:i:i], out[i+1:]...)
			break
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].Type() == event.TypeRunEnded {
			out = append(out[:i:i], out[i+1:]...)
			break
		}
	}
	return out
}

// parseEnv reads an environment (null = defaults).
func parseEnv(raw json.RawMessage) (*expr.Environment, error) {
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	return expr.ParseEnvironment(raw, nil)
}

// harnessEngine is the part of a _harness.json "engine" section the harness configures from:
// the LLM prompts the reference's test engine was built with (nil keeps the runner's).
type harnessEngine struct {
	LLMPrompts map[string]string `json:"llm_prompts"`
}
