package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

func (c triggerCase) describe() string { return c.Description }

func runTriggersSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var h struct {
		Contact    json.RawMessage `json:"contact"`
		FixedNow   time.Time       `json:"fixed_now"`
		Expression string          `json:"expression_evaluated_in_first_run"`
	}
	return runGoflowSuite(ctx, "triggers", path, &h, out, func(assets []byte, c triggerCase) []string {
		return runTriggerCase(assets, h.Contact, h.FixedNow, h.Expression, c)
	})
}

func runTriggerCase(assetsData, contactData []byte, now time.Time, expression string, c triggerCase) []string {
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	trigger, err := engine.ReadTrigger(c.Trigger, assets)
	if c.ReadError != "" {
		return readErrorDiffs(err, c.ReadError, false)
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
	g, err := enginetest.Decode([]byte(got))
	if err != nil {
		return []string{fmt.Sprintf("%s is not JSON: %s", expression, got)}
	}
	cmp := newComparer(assetsData, contactData, c.Trigger)
	return diffJSON(cmp, "context", c.Context, g)
}
