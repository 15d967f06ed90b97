package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/flow"
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

func (c resumeCase) describe() string { return c.Description }

func runResumesSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var h struct {
		VoiceCall json.RawMessage `json:"voice_call"`
	}
	return runGoflowSuite(ctx, "resumes", path, &h, out, func(assets []byte, c resumeCase) []string {
		return runResumeCase(assets, h.VoiceCall, c)
	})
}

func runResumeCase(assetsData, callData []byte, c resumeCase) (diffs []string) {
	modified, err := editHolderFlow(assetsData, 0, func(_, node map[string]any) error {
		if len(c.Wait) == 0 {
			return nil
		}
		wait, err := enginetest.Decode(c.Wait)
		node["router"].(map[string]any)["wait"] = wait
		return err
	})
	if err != nil {
		return []string{err.Error()}
	}
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	resume, err := engine.ReadResume(c.Resume)
	if c.ReadError != "" {
		return readErrorDiffs(err, c.ReadError, false)
	}
	if err != nil {
		return []string{"reading resume: " + err.Error()}
	}
	f, err := assets.Flow(flow.UUID(c.FlowUUID))
	if err != nil {
		return []string{"reading flow: " + err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{})
	contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: "Bob", Language: "eng", Status: engine.StatusActive,
		CreatedOn: eng.Clock.Now(), Fields: map[string]*engine.FieldValue{}}
	trigger, err := manualTrigger(assets, f, false, eng.Clock.Now())
	if err != nil {
		return []string{err.Error()}
	}
	session, _, err := eng.Start(assets, env, contact, trigger, voiceCall(f, callData))
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
		cmp := newComparer(modified, c.Resume, callData)
		diffs = append(diffs, diffJSON(cmp, "events", c.Events, evs)...)
	}
	if got := session.Runs[0].Status; got != c.RunStatus {
		diffs = append(diffs, fmt.Sprintf("run status %s, want %s", got, c.RunStatus))
	}
	if session.Status != c.SessionStatus {
		diffs = append(diffs, fmt.Sprintf("session status %s, want %s", session.Status, c.SessionStatus))
	}
	return diffs
}
