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

func runRunnerTest(file string, he harnessEngine) []string {
	play, err := playRunnerTest(file, he)
	if err != nil {
		return []string{err.Error()}
	}
	diffs := play.diffs
	tc := play.test
	cmp := newComparer(play.assets, tc.Contact, tc.Trigger, tc.Call, mustJSON(tc.Resumes))
	if len(play.outputs) != len(tc.Outputs) {
		diffs = append(diffs, fmt.Sprintf("%d outputs, want %d", len(play.outputs), len(tc.Outputs)))
	}
	for i := 0; i < len(play.outputs) && i < len(tc.Outputs); i++ {
		diffs = append(diffs, diffJSON(cmp, fmt.Sprintf("output[%d]", i), tc.Outputs[i], play.outputs[i])...)
	}
	if rest := play.mocks.Remaining(); len(rest) > 0 {
		diffs = append(diffs, fmt.Sprintf("unused http mocks: %v", rest))
	}
	if len(play.mocks.Unmatched) > 0 {
		diffs = append(diffs, fmt.Sprintf("requests without mocks: %v", play.mocks.Unmatched))
	}
	return diffs
}

// runnerPlay is one runner test played: the test, its assets file, the recorded outputs, the
// webhook mocks (to check what was used) and problems met on the way.
type runnerPlay struct {
	test    runnerTest
	assets  []byte
	outputs []any
	mocks   *enginetest.MockWebhooks
	diffs   []string
}

// playRunnerTest runs a runner test as conformance README §3.3 says, recording every sprint's
// output. An error means the test couldn't be set up.
func playRunnerTest(file string, he harnessEngine) (*runnerPlay, error) {
	base := strings.TrimSuffix(filepath.Base(file), ".json")
	assetsFile := filepath.Join(filepath.Dir(file), strings.SplitN(base, ".", 2)[0]+".json")
	assetsData, err := os.ReadFile(assetsFile)
	if err != nil {
		return nil, err
	}
	testData, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	play := &runnerPlay{assets: assetsData}
	tc := &play.test
	if err := json.Unmarshal(testData, tc); err != nil {
		return nil, err
	}
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return nil, err
	}
	env, err := parseEnv(tc.Environment)
	if err != nil {
		return nil, err
	}
	mocks, err := enginetest.NewMockWebhooks(tc.HTTPMocks)
	if err != nil {
		return nil, err
	}
	play.mocks = mocks
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks, LLMPrompts: he.LLMPrompts})
	contact, err := engine.ReadContact(tc.Contact, assets)
	if err != nil {
		return nil, err
	}
	trigger, err := engine.ReadTrigger(tc.Trigger, assets)
	if err != nil {
		return nil, fmt.Errorf("reading trigger: %w", err)
	}
	var call *engine.Call
	if len(tc.Call) > 0 && string(tc.Call) != "null" {
		call = &engine.Call{}
		if err := json.Unmarshal(tc.Call, call); err != nil {
			return nil, err
		}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return nil, fmt.Errorf("starting: %w", err)
	}
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
		play.outputs = append(play.outputs, map[string]any{
			"session": enginetest.ToAny(session), "events": enginetest.ToAny(nonNilEvents(sprint)), "segments": enginetest.ToAny(segs),
		})
	}
	for i, raw := range tc.Resumes {
		record()
		data, err := json.MarshalIndent(session, "", "    ")
		if err != nil {
			return nil, err
		}
		session, err = eng.ReadSession(data, assets, env, contact, call)
		if err != nil {
			return nil, err
		}
		if session.Status != engine.SessionWaiting {
			play.diffs = append(play.diffs, fmt.Sprintf("unused resumes: session is %s before resume %d", session.Status, i))
			break
		}
		resume, err := engine.ReadResume(raw)
		if err != nil {
			play.diffs = append(play.diffs, fmt.Sprintf("reading resume %d: %v", i, err))
			return play, nil
		}
		sprint, err = session.ResumeWith(resume)
		if err != nil {
			play.diffs = append(play.diffs, fmt.Sprintf("resume %d: %v", i, err))
			return play, nil
		}
	}
	record()
	return play, nil
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
