package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
)

// The runner suite replays end-to-end sessions: each <assets>.<test>.json file starts a session
// from its trigger, applies its resumes (reading the session back from JSON between sprints) and
// compares every sprint's session, events and segments with the reference output, generated
// UUIDs and timestamps being wildcards (conformance README §2.1 and §3). Any folder laid out the
// same way can be given: channels come from each assets file, webhook mocks from each test, and
// the engine (LLM prompts included) is the reference runner's unless the folder has a
// _harness.json saying otherwise.
func init() {
	registerSuite("runner", "conformance/goflow/runner", 0, runRunnerSuite)
}

type runnerTest struct {
	Environment json.RawMessage   `json:"environment"`
	Contact     json.RawMessage   `json:"contact"`
	Trigger     json.RawMessage   `json:"trigger"`
	Call        json.RawMessage   `json:"call"`
	Resumes     []json.RawMessage `json:"resumes"`
	HTTPMocks   json.RawMessage   `json:"http_mocks"`
	Outputs     []json.RawMessage `json:"outputs"`
}

// isRunnerTest keeps the test files of a runner folder (<assets>.<test>.json), leaving out the
// assets files.
func isRunnerTest(name string) bool {
	return strings.Count(strings.TrimSuffix(name, ".json"), ".") == 1
}

func runRunnerSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := fixtureFiles(path, isRunnerTest)
	if err != nil {
		return 0, 0, err
	}
	// the engine is the reference runner's; a folder may restate it in a _harness.json
	var h struct {
		Engine harnessEngine `json:"engine"`
	}
	if hf := filepath.Join(fixtureDir(path), "_harness.json"); fileExists(hf) {
		if err := readJSONFile(hf, &h); err != nil {
			return 0, 0, err
		}
	}
	r := newCaseRun(ctx, "runner", out)
	return r.done(eachFile(r, files, func(file string) []string { return runRunnerTest(file, h.Engine) }))
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func runRunnerTest(file string, he harnessEngine) (diffs []string) {
	base := strings.TrimSuffix(filepath.Base(file), ".json")
	assetsFile := filepath.Join(filepath.Dir(file), strings.SplitN(base, ".", 2)[0]+".json")
	assetsData, err := os.ReadFile(assetsFile)
	if err != nil {
		return []string{err.Error()}
	}
	testData, err := os.ReadFile(file)
	if err != nil {
		return []string{err.Error()}
	}
	var tc runnerTest
	if err := json.Unmarshal(testData, &tc); err != nil {
		return []string{err.Error()}
	}
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	env, err := parseEnv(tc.Environment)
	if err != nil {
		return []string{err.Error()}
	}
	mocks, err := enginetest.NewMockWebhooks(tc.HTTPMocks)
	if err != nil {
		return []string{err.Error()}
	}
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks, LLMPrompts: he.LLMPrompts})
	contact, err := engine.ReadContact(tc.Contact, assets)
	if err != nil {
		return []string{err.Error()}
	}
	trigger, err := engine.ReadTrigger(tc.Trigger, assets)
	if err != nil {
		return []string{"reading trigger: " + err.Error()}
	}
	var call *engine.Call
	if len(tc.Call) > 0 && string(tc.Call) != "null" {
		call = &engine.Call{}
		if err := json.Unmarshal(tc.Call, call); err != nil {
			return []string{err.Error()}
		}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	var outputs []any
	record := func() {
		session.Compact()
		segs := sprint.Segments
		if segs == nil {
			segs = []*engine.Segment{}
		}
		evs := sprint.Events
		if evs == nil {
			evs = nil
		}
		outputs = append(outputs, map[string]any{
			"session": enginetest.ToAny(session), "events": enginetest.ToAny(nonNilEvents(sprint)), "segments": enginetest.ToAny(segs),
		})
	}
	for i, raw := range tc.Resumes {
		record()
		data, err := json.MarshalIndent(session, "", "    ")
		if err != nil {
			return []string{err.Error()}
		}
		session, err = eng.ReadSession(data, assets, env, contact, call)
		if err != nil {
			return []string{err.Error()}
		}
		if session.Status != engine.SessionWaiting {
			diffs = append(diffs, fmt.Sprintf("unused resumes: session is %s before resume %d", session.Status, i))
			break
		}
		resume, err := engine.ReadResume(raw)
		if err != nil {
			return append(diffs, fmt.Sprintf("reading resume %d: %v", i, err))
		}
		sprint, err = session.ResumeWith(resume)
		if err != nil {
			return append(diffs, fmt.Sprintf("resume %d: %v", i, err))
		}
	}
	record()
	cmp := enginetest.NewComparer(assetsData, tc.Contact, tc.Trigger, tc.Call, mustJSON(tc.Resumes))
	if len(outputs) != len(tc.Outputs) {
		diffs = append(diffs, fmt.Sprintf("%d outputs, want %d", len(outputs), len(tc.Outputs)))
	}
	for i := 0; i < len(outputs) && i < len(tc.Outputs); i++ {
		diffs = append(diffs, diffJSON(cmp, fmt.Sprintf("output[%d]", i), tc.Outputs[i], outputs[i])...)
	}
	if rest := mocks.Remaining(); len(rest) > 0 {
		diffs = append(diffs, fmt.Sprintf("unused http mocks: %v", rest))
	}
	if len(mocks.Unmatched) > 0 {
		diffs = append(diffs, fmt.Sprintf("requests without mocks: %v", mocks.Unmatched))
	}
	return diffs
}

func nonNilEvents(s *engine.Sprint) any {
	if s.Events == nil {
		return []any{}
	}
	return s.Events
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
