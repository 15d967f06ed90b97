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
	"careflow/engine/enginetest"
	"careflow/engine/event"
)

// The resumes suite starts the case's flow (with the case's wait on the first node), applies
// the resume and compares the resume error or the sprint's events without the final run_ended,
// and the run and session statuses (conformance README §7).
func init() {
	registerSuite("resumes", "conformance/goflow/resumes", 0, runResumesSuite)
}

type resumeCase struct {
	Description   string          `json:"description"`
	FlowUUID      string          `json:"flow_uuid"`
	Wait          json.RawMessage `json:"wait"`
	Resume        json.RawMessage `json:"resume"`
	ReadError     string          `json:"read_error"`
	ResumeError   string          `json:"resume_error"`
	Events        json.RawMessage `json:"events"`
	RunStatus     string          `json:"run_status"`
	SessionStatus string          `json:"session_status"`
}

func runResumesSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var h struct {
		VoiceCall json.RawMessage `json:"voice_call"`
	}
	if err := engReadJSON(filepath.Join(dir, "_harness.json"), &h); err != nil {
		return 0, 0, err
	}
	assetsData, err := os.ReadFile(filepath.Join(dir, "_assets.json"))
	if err != nil {
		return 0, 0, err
	}
	files, err := engFixtureFiles(path)
	if err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, file := range files {
		var cases []resumeCase
		if err := engReadJSON(file, &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			diffs := runResumeCase(assetsData, h.VoiceCall, c)
			if len(diffs) == 0 {
				passed++
				continue
			}
			failed++
			engReport(out, fmt.Sprintf("%s[%d] %s", filepath.Base(file), i, c.Description), diffs)
		}
	}
	return passed, failed, nil
}

func runResumeCase(assetsData, callData []byte, c resumeCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
	assetsAny, err := enginetest.Decode(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	assetsMap := assetsAny.(map[string]any)
	if len(c.Wait) > 0 {
		wait, err := enginetest.Decode(c.Wait)
		if err != nil {
			return []string{err.Error()}
		}
		fl := assetsMap["flows"].([]any)[0].(map[string]any)
		fl["nodes"].([]any)[0].(map[string]any)["router"].(map[string]any)["wait"] = wait
	}
	modified, _ := json.Marshal(assetsMap)
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	resume, err := engine.ReadResume(c.Resume)
	if c.ReadError != "" {
		if err == nil {
			return []string{fmt.Sprintf("read succeeded, want error %q", c.ReadError)}
		}
		if err.Error() != c.ReadError {
			return []string{fmt.Sprintf("read error %q, want %q", err.Error(), c.ReadError)}
		}
		return nil
	}
	if err != nil {
		return []string{"reading resume: " + err.Error()}
	}
	f, err := assets.Flow(flowUUID(c.FlowUUID))
	if err != nil {
		return []string{"reading flow: " + err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{})
	contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: "Bob", Language: "eng", Status: engine.StatusActive,
		CreatedOn: eng.Clock.Now(), Fields: map[string]*engine.FieldValue{}}
	var call *engine.Call
	if f.Type == "voice" {
		call = &engine.Call{}
		_ = json.Unmarshal(callData, call)
	}
	trigger, err := engine.ReadTrigger([]byte(fmt.Sprintf(`{"type": "manual", "flow": {"uuid": %q, "name": %q}, "triggered_on": "2000-01-01T00:00:00Z"}`, f.UUID, f.Name)), assets)
	if err != nil {
		return []string{err.Error()}
	}
	session, _, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	if session.Status != engine.SessionWaiting {
		return []string{fmt.Sprintf("session is %s after start, want waiting", session.Status)}
	}
	sprint, err := session.ResumeWith(resume)
	if c.ResumeError != "" {
		if err == nil {
			diffs = append(diffs, fmt.Sprintf("resume succeeded, want error %q", c.ResumeError))
		} else if err.Error() != c.ResumeError {
			diffs = append(diffs, fmt.Sprintf("resume error %q, want %q", err.Error(), c.ResumeError))
		}
	} else if err != nil {
		return []string{"resuming: " + err.Error()}
	} else if len(c.Events) > 0 {
		evs := sprint.Events
		if n := len(evs); n > 0 && evs[n-1].Type() == event.TypeRunEnded {
			evs = evs[:n-1]
		}
		if evs == nil {
			evs = []event.Event{}
		}
		w, err := enginetest.Decode(c.Events)
		if err != nil {
			return []string{err.Error()}
		}
		cmp := enginetest.NewComparer(modified, c.Resume, callData)
		for _, d := range cmp.Diff(w, enginetest.ToAny(evs)) {
			diffs = append(diffs, "events"+strings.TrimPrefix(d, "$"))
		}
	}
	if got := session.Runs[0].Status; got != c.RunStatus {
		diffs = append(diffs, fmt.Sprintf("run status %s, want %s", got, c.RunStatus))
	}
	if session.Status != c.SessionStatus {
		diffs = append(diffs, fmt.Sprintf("session status %s, want %s", session.Status, c.SessionStatus))
	}
	return diffs
}
