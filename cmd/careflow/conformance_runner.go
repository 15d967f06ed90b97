package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/expr"
	"careflow/flow"
)

// The runner suite replays end-to-end sessions: each <assets>.<test>.json file starts a session
// from its trigger, applies its resumes (reading the session back from JSON between sprints) and
// compares every sprint's session, events and segments with the reference output, generated
// UUIDs and timestamps being wildcards (conformance README §2.1 and §3). Any folder laid out the
// same way can be given.
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

// runnerTestFiles lists the test files of a runner folder (or the one file given).
func runnerTestFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	all, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range all {
		if strings.Count(strings.TrimSuffix(filepath.Base(f), ".json"), ".") == 1 {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out, nil
}

func runRunnerSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := runnerTestFiles(path)
	if err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return passed, failed, err
		}
		diffs := runRunnerTest(file)
		if len(diffs) == 0 {
			passed++
			continue
		}
		failed++
		engReport(out, filepath.Base(file), diffs)
	}
	return passed, failed, nil
}

// engReport prints one failing case with its differences (at most 40 lines).
func engReport(out io.Writer, name string, diffs []string) {
	fmt.Fprintf(out, "FAIL %s\n", name)
	for i, d := range diffs {
		if i == 40 {
			fmt.Fprintf(out, "    ... %d more\n", len(diffs)-i)
			break
		}
		fmt.Fprintf(out, "    %s\n", d)
	}
}

// parseEnv reads an environment (null = defaults).
func parseEnv(raw json.RawMessage) (*expr.Environment, error) {
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	return expr.ParseEnvironment(raw, nil)
}

func runRunnerTest(file string) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
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
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks})
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
		want, err := enginetest.Decode(tc.Outputs[i])
		if err != nil {
			return append(diffs, err.Error())
		}
		for _, d := range cmp.Diff(want, outputs[i]) {
			diffs = append(diffs, fmt.Sprintf("output[%d]%s", i, strings.TrimPrefix(d, "$")))
		}
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

func engineFlowUUID(s string) flowUUID { return flowUUID(s) }

type flowUUID = flow.UUID
