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
	"careflow/expr"
)

// The triggers suite reads each trigger of triggers/<type>.json (checking read errors), starts
// a session with it for the harness contact on a frozen clock and compares @(json(trigger)),
// evaluated in the first run, with the expected context (conformance README §6).
func init() {
	registerSuite("triggers", "conformance/goflow/triggers", 0, runTriggersSuite)
}

type triggerCase struct {
	Description string          `json:"description"`
	Trigger     json.RawMessage `json:"trigger"`
	ReadError   string          `json:"read_error"`
	Context     json.RawMessage `json:"context"`
}

func runTriggersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var h struct {
		Contact    json.RawMessage `json:"contact"`
		FixedNow   time.Time       `json:"fixed_now"`
		Expression string          `json:"expression_evaluated_in_first_run"`
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
		var cases []triggerCase
		if err := engReadJSON(file, &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			diffs := runTriggerCase(assetsData, h.Contact, h.FixedNow, h.Expression, c)
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

func runTriggerCase(assetsData, contactData []byte, now time.Time, expression string, c triggerCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	trigger, err := engine.ReadTrigger(c.Trigger, assets)
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
		return []string{"reading trigger: " + err.Error()}
	}
	env, _ := parseEnv(nil)
	eng := enginetest.NewEngine(enginetest.Config{FrozenClock: &now})
	contact, err := engine.ReadContact(contactData, assets)
	if err != nil {
		return []string{err.Error()}
	}
	var call *engine.Call
	if f, err := assets.Flow(trigger.Flow.UUID); err == nil && f.Type == "voice" {
		call = &engine.Call{UUID: "01978a2f-ad9a-7f2e-ad44-6e7547078cec", URN: "tel:+12065551212"}
	}
	session, _, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	run := session.Runs[0]
	got, diag := expr.EvaluateTemplate(session.Env(), run.Context(), expression, nil)
	if len(diag.Errors) > 0 {
		return []string{fmt.Sprintf("evaluating %s: %v", expression, diag.Errors)}
	}
	w, err := enginetest.Decode(c.Context)
	if err != nil {
		return []string{err.Error()}
	}
	g, err := enginetest.Decode([]byte(got))
	if err != nil {
		return []string{fmt.Sprintf("%s is not JSON: %s", expression, got)}
	}
	cmp := enginetest.NewComparer(assetsData, contactData, c.Trigger)
	for _, d := range cmp.Diff(w, g) {
		diffs = append(diffs, "context"+strings.TrimPrefix(d, "$"))
	}
	return diffs
}
