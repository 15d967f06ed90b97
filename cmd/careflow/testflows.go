package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/engine/modifier"
	"careflow/flow"
	"careflow/internal/jsonfile"
)

// `careflow test FILE...` runs scripted conversations against a flow and checks what the flow
// said and saved, like a test runner (see docs/flow-tests.md). The script format is the one of
// goflow-peer -script, with an optional "expect" per conversation; -trace prints the same JSON
// lines goflow-peer -script prints, so a script can be replayed through both engines and diffed.
func init() {
	register("test", "run scripted conversations against flows and check their replies and results: test [-trace] [-v] FILE...", runFlowTests)
}

// flowScript is a test script: one assets file, one flow, one contact, many conversations.
type flowScript struct {
	Assets  string          `json:"assets"`
	Flow    string          `json:"flow"`
	Env     json.RawMessage `json:"env"`
	Contact struct {
		Name     string            `json:"name"`
		URN      string            `json:"urn"`
		Language string            `json:"language"`
		Fields   map[string]string `json:"fields"`
	} `json:"contact"`
	Conversations []scriptConversation `json:"conversations"`
}

type scriptConversation struct {
	Name   string          `json:"name"`
	Inputs []string        `json:"inputs"`
	Expect *scriptExpected `json:"expect"`
}

// scriptExpected lists what must hold after a conversation; absent parts are not checked.
type scriptExpected struct {
	Sprints       []traceSprintOut          `json:"sprints"`
	Results       map[string]traceResultOut `json:"results"`
	FieldsChanged map[string]string         `json:"fields_changed"`
	Groups        []string                  `json:"groups"`
	Status        string                    `json:"status"`
}

type traceSprintOut struct {
	Msgs   []string `json:"msgs"`
	Status string   `json:"status"`
}

type traceResultOut struct {
	Value    string `json:"value"`
	Category string `json:"category"`
}

// traceOut describes one conversation, with the keys of goflow-peer -script.
type traceOut struct {
	Name          string                    `json:"name"`
	Sprints       []traceSprintOut          `json:"sprints"`
	Results       map[string]traceResultOut `json:"results"`
	FieldsChanged map[string]string         `json:"fields_changed"`
	Groups        []string                  `json:"groups"`
	Status        string                    `json:"status"`
	Error         string                    `json:"error,omitempty"`
}

func runFlowTests(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trace := fs.Bool("trace", false, "print one JSON trace line per conversation (as goflow-peer -script does) instead of checking")
	verbose := fs.Bool("v", false, "also list passing conversations")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: careflow test [-trace] [-v] FILE...")
		return exitError{code: 2}
	}
	totalPass, totalFail := 0, 0
	for _, file := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		lines, script, err := runScriptFile(file)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %v\n", err)
			totalFail++
			continue
		}
		if *trace {
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			for _, l := range lines {
				if err := enc.Encode(l); err != nil {
					return err
				}
			}
			continue
		}
		pass, fail := 0, 0
		for i, l := range lines {
			problems := checkConversation(script.Conversations[i].Expect, l)
			if len(problems) == 0 {
				pass++
				if *verbose {
					fmt.Fprintf(stdout, "--- PASS: %s / %s\n", file, l.Name)
				}
				continue
			}
			fail++
			fmt.Fprintf(stdout, "--- FAIL: %s / %s\n", file, l.Name)
			for _, p := range problems {
				fmt.Fprintf(stdout, "    %s\n", p)
			}
		}
		status := "ok  "
		if fail > 0 {
			status = "FAIL"
		}
		fmt.Fprintf(stdout, "%s %s: %d passed, %d failed\n", status, file, pass, fail)
		totalPass += pass
		totalFail += fail
	}
	if *trace {
		return nil
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", totalPass, totalFail)
	if totalFail > 0 {
		return exitError{code: 1}
	}
	return nil
}

// runScriptFile loads a script and runs each of its conversations.
func runScriptFile(file string) ([]*traceOut, *flowScript, error) {
	script := &flowScript{}
	if err := jsonfile.Read(file, script); err != nil {
		return nil, nil, err
	}
	assetsPath := script.Assets
	if !filepath.IsAbs(assetsPath) {
		assetsPath = filepath.Join(filepath.Dir(file), assetsPath)
	}
	assetsData, err := os.ReadFile(assetsPath)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: assets: %w", file, err)
	}
	assets, err := engine.ReadAssets(assetsData)
	if err != nil {
		return nil, nil, jsonfile.Locate(assetsPath, assetsData, err)
	}
	f, err := findFlow(assets, script.Flow)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	var lines []*traceOut
	for _, c := range script.Conversations {
		lines = append(lines, runConversation(assets, f, script, c))
	}
	return lines, script, nil
}

// findFlow finds a flow by UUID or, failing that, by name.
func findFlow(assets *engine.Assets, ref string) (*flow.Flow, error) {
	f, err := assets.Flow(flow.UUID(ref))
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, engine.ErrFlowNotFound) {
		return nil, fmt.Errorf("flow %s: %w", ref, err) // there, but unreadable: say why
	}
	for _, id := range assets.FlowUUIDs() {
		if f, err := assets.Flow(id); err == nil && strings.EqualFold(f.Name, ref) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("no flow %q in the assets", ref)
}

// runConversation plays one conversation in a fresh session for a fresh copy of the contact,
// on a frozen clock with seeded UUIDs and randomness; webhooks answer 503.
func runConversation(assets *engine.Assets, f *flow.Flow, script *flowScript, c scriptConversation) *traceOut {
	out := &traceOut{Name: c.Name, Sprints: []traceSprintOut{}, Results: map[string]traceResultOut{},
		FieldsChanged: map[string]string{}, Groups: []string{}}
	fail := func(err error) *traceOut { out.Error = err.Error(); return out }

	env, err := parseEnv(script.Env)
	if err != nil {
		return fail(fmt.Errorf("reading env: %w", err))
	}
	now := time.Date(2018, 7, 6, 12, 30, 0, 123456789, time.UTC)
	mocks, _ := enginetest.NewMockWebhooks(nil)
	mocks.Fallback = &enginetest.MockResponse{Status: 503, Body: json.RawMessage(`""`)}
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks, FrozenClock: &now})
	eng.Email, eng.LLM, eng.Airtime = nil, nil, nil

	contact := &engine.Contact{UUID: eng.UUIDs.NewV4(), Name: script.Contact.Name, Language: script.Contact.Language,
		Status: engine.StatusActive, CreatedOn: now, Fields: map[string]*engine.FieldValue{}}
	if script.Contact.URN != "" {
		u, err := engine.ParseURN(script.Contact.URN)
		if err != nil {
			return fail(err)
		}
		u.Normalize()
		contact.URNs = append(contact.URNs, u)
	}
	keys := make([]string, 0, len(script.Contact.Fields))
	for k := range script.Contact.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := assets.Field(k)
		if field == nil {
			return fail(fmt.Errorf("contact field %q is not in the assets", k))
		}
		eng.ApplyModifier(assets, env, contact, &modifier.Field{Field: field.Ref(), Value: script.Contact.Fields[k]})
	}
	engine.ReevaluateGroups(contact, assets, env)
	before := fieldTexts(assets, contact)

	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: now}
	session, sprint, err := eng.Start(assets, env, contact, trigger, nil)
	if err != nil {
		return fail(err)
	}
	out.Sprints = append(out.Sprints, describeSprint(session, sprint))
	for _, text := range c.Inputs {
		if session.Status != engine.SessionWaiting {
			break
		}
		msg := &event.MsgReceived{Base: event.Base{UUID: eng.UUIDs.NewV7(), EventType: event.TypeMsgReceived, CreatedOn: now},
			Msg: &event.MsgIn{URN: script.Contact.URN, Text: text}}
		if sprint, err = session.ResumeWith(&engine.Resume{Type: "msg", ResumedOn: now, Parsed: msg}); err != nil {
			return fail(err)
		}
		out.Sprints = append(out.Sprints, describeSprint(session, sprint))
	}
	for _, run := range session.Runs {
		for key, r := range run.Results {
			out.Results[key] = traceResultOut{Value: r.Value, Category: r.Category}
		}
	}
	for key, text := range fieldTexts(assets, contact) {
		if text != before[key] {
			out.FieldsChanged[key] = text
		}
	}
	for _, g := range contact.Groups {
		out.Groups = append(out.Groups, g.Name)
	}
	sort.Strings(out.Groups)
	out.Status = session.Status
	return out
}

func describeSprint(s *engine.Session, sp *engine.Sprint) traceSprintOut {
	out := traceSprintOut{Msgs: []string{}, Status: s.Status}
	for _, e := range sp.Events {
		if m, ok := e.(*event.MsgCreated); ok {
			out.Msgs = append(out.Msgs, m.Msg.Text)
		}
	}
	return out
}

func fieldTexts(assets *engine.Assets, c *engine.Contact) map[string]string {
	texts := map[string]string{}
	for _, f := range assets.Fields {
		if v := c.Fields[f.Key]; v != nil {
			texts[f.Key] = v.Text
		} else {
			texts[f.Key] = ""
		}
	}
	return texts
}

// textMatches compares a message with its expectation: exact text, or a regular expression
// written between slashes ("/^Hi .+!$/").
func textMatches(want, got string) bool {
	if len(want) >= 2 && strings.HasPrefix(want, "/") && strings.HasSuffix(want, "/") {
		re, err := regexp.Compile(want[1 : len(want)-1])
		return err == nil && re.MatchString(got)
	}
	return want == got
}

// checkConversation lists how a conversation differs from its expectations.
func checkConversation(want *scriptExpected, got *traceOut) []string {
	var problems []string
	if got.Error != "" {
		problems = append(problems, "error: "+got.Error)
	}
	if want == nil {
		return problems
	}
	if want.Sprints != nil {
		for i, ws := range want.Sprints {
			if i >= len(got.Sprints) {
				problems = append(problems, fmt.Sprintf("sprint %d: missing (the session stopped at %d sprints)", i, len(got.Sprints)))
				break
			}
			gs := got.Sprints[i]
			if ws.Msgs != nil {
				if len(ws.Msgs) != len(gs.Msgs) {
					problems = append(problems, fmt.Sprintf("sprint %d: want %d replies %q, got %d %q", i, len(ws.Msgs), ws.Msgs, len(gs.Msgs), gs.Msgs))
				} else {
					for j := range ws.Msgs {
						if !textMatches(ws.Msgs[j], gs.Msgs[j]) {
							problems = append(problems, fmt.Sprintf("sprint %d reply %d: want %q, got %q", i, j, ws.Msgs[j], gs.Msgs[j]))
						}
					}
				}
			}
			if ws.Status != "" && ws.Status != gs.Status {
				problems = append(problems, fmt.Sprintf("sprint %d: status %s, want %s", i, gs.Status, ws.Status))
			}
		}
	}
	keys := make([]string, 0, len(want.Results))
	for k := range want.Results {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		wr := want.Results[k]
		gr, ok := got.Results[k]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("result %s: missing (want %q / %q)", k, wr.Value, wr.Category))
		case !textMatches(wr.Value, gr.Value) || wr.Category != "" && wr.Category != gr.Category:
			problems = append(problems, fmt.Sprintf("result %s: want %q / %q, got %q / %q", k, wr.Value, wr.Category, gr.Value, gr.Category))
		}
	}
	fieldKeys := make([]string, 0, len(want.FieldsChanged))
	for k := range want.FieldsChanged {
		fieldKeys = append(fieldKeys, k)
	}
	sort.Strings(fieldKeys)
	for _, k := range fieldKeys {
		wv := want.FieldsChanged[k]
		if gv, ok := got.FieldsChanged[k]; !ok || !textMatches(wv, gv) {
			problems = append(problems, fmt.Sprintf("field %s: want %q, got %q", k, wv, got.FieldsChanged[k]))
		}
	}
	wantGroups := append([]string{}, want.Groups...)
	sort.Strings(wantGroups)
	if want.Groups != nil && strings.Join(wantGroups, "\n") != strings.Join(got.Groups, "\n") {
		problems = append(problems, fmt.Sprintf("groups: want %q, got %q", want.Groups, got.Groups))
	}
	if want.Status != "" && want.Status != got.Status {
		problems = append(problems, fmt.Sprintf("status: want %s, got %s", want.Status, got.Status))
	}
	return problems
}
