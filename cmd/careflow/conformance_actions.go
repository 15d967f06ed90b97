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

// The actions suite runs each case of actions/<type>.json: the action replaces the actions of
// the holder flow's first node, a session is started (msg trigger by default, batch manual
// trigger for no_input/as_batch cases) and the sprint's events without run_started/run_ended,
// the contact, run locals and @webhook are compared (conformance README §4). Static inspection
// outputs (templates, localizables, inspection) are not part of the engine and are ignored.
func init() {
	registerSuite("actions", "conformance/goflow/actions", 0, runActionsSuite)
}

type actionsHarness struct {
	HolderFlows map[string]struct {
		Index int    `json:"index"`
		UUID  string `json:"uuid"`
	} `json:"holder_flows"`
	Environment         json.RawMessage `json:"environment"`
	EnvironmentRedacted json.RawMessage `json:"environment_when_redact_urns"`
	DefaultContact      json.RawMessage `json:"default_contact"`
	MsgTriggerMessage   json.RawMessage `json:"msg_trigger_message"`
	VoiceCall           json.RawMessage `json:"voice_call"`
	HasTicket           json.RawMessage `json:"has_ticket"`
}

type actionCase struct {
	Description  string          `json:"description"`
	Action       json.RawMessage `json:"action"`
	InFlowType   string          `json:"in_flow_type"`
	Localization json.RawMessage `json:"localization"`
	Contact      json.RawMessage `json:"contact"`
	HasTicket    bool            `json:"has_ticket"`
	NoInput      bool            `json:"no_input"`
	AsBatch      bool            `json:"as_batch"`
	RedactURNs   bool            `json:"redact_urns"`
	HTTPMocks    json.RawMessage `json:"http_mocks"`
	SMTPError    string          `json:"smtp_error"`
	ReadError    string          `json:"read_error"`
	Events       json.RawMessage `json:"events"`
	Webhook      json.RawMessage `json:"webhook"`
	ContactAfter json.RawMessage `json:"contact_after"`
	LocalsAfter  json.RawMessage `json:"locals_after"`
}

func runActionsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var h actionsHarness
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
		var cases []actionCase
		if err := engReadJSON(file, &cases); err != nil {
			return passed, failed, err
		}
		for i, c := range cases {
			if err := ctx.Err(); err != nil {
				return passed, failed, err
			}
			diffs := runActionCase(&h, assetsData, c)
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

func runActionCase(h *actionsHarness, assetsData []byte, c actionCase) (diffs []string) {
	defer func() {
		if r := recover(); r != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", r))
		}
	}()
	holder := h.HolderFlows["default"]
	if c.InFlowType == "voice" {
		holder = h.HolderFlows["voice"]
	}
	assetsAny, err := enginetest.Decode(assetsData)
	if err != nil {
		return []string{err.Error()}
	}
	assetsMap := assetsAny.(map[string]any)
	flows := assetsMap["flows"].([]any)
	fl := flows[holder.Index].(map[string]any)
	// numbers stay as written (an amount of 1e999 must reach the flow reader intact)
	action, err := enginetest.Decode(c.Action)
	if err != nil {
		return []string{err.Error()}
	}
	fl["nodes"].([]any)[0].(map[string]any)["actions"] = []any{action}
	if len(c.Localization) > 0 {
		loc, err := enginetest.Decode(c.Localization)
		if err != nil {
			return []string{err.Error()}
		}
		fl["localization"] = loc
	}
	modified, _ := json.Marshal(assetsMap)
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	f, err := assets.Flow(engineFlowUUID(holder.UUID))
	if c.ReadError != "" {
		if err == nil {
			return []string{fmt.Sprintf("read succeeded, want error %q", c.ReadError)}
		}
		if !strings.Contains(err.Error(), c.ReadError) {
			return []string{fmt.Sprintf("read error %q, want %q", err.Error(), c.ReadError)}
		}
		return nil
	}
	if err != nil {
		return []string{"reading flow: " + err.Error()}
	}
	envData := h.Environment
	if c.RedactURNs {
		envData = h.EnvironmentRedacted
	}
	env, err := parseEnv(envData)
	if err != nil {
		return []string{err.Error()}
	}
	mocks, err := enginetest.NewMockWebhooks(c.HTTPMocks)
	if err != nil {
		return []string{err.Error()}
	}
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks, EmailError: c.SMTPError,
		Sendable: func(text string) string {
			if strings.Contains(text, "FORBIDDEN") {
				return "forbidden_content"
			}
			return ""
		}})
	contactData := h.DefaultContact
	if len(c.Contact) > 0 {
		contactData = c.Contact
	}
	contact, err := engine.ReadContact(contactData, assets)
	if err != nil {
		return []string{err.Error()}
	}
	if len(c.Localization) > 0 {
		contact.Language = "spa"
	}
	if c.HasTicket {
		t := &event.Ticket{}
		_ = json.Unmarshal(h.HasTicket, t)
		if tp := assets.Topic(t.Topic.UUID); tp != nil {
			t.Topic.Name = tp.Name
		}
		contact.Tickets = append(contact.Tickets, t)
		engine.ReevaluateGroups(contact, assets, env)
	}
	var call *engine.Call
	if f.Type == "voice" {
		call = &engine.Call{}
		_ = json.Unmarshal(h.VoiceCall, call)
	}
	flowRef := fmt.Sprintf(`{"uuid": %q, "name": %q}`, f.UUID, f.Name)
	var triggerJSON string
	if c.NoInput || c.AsBatch {
		triggerJSON = fmt.Sprintf(`{"type": "manual", "flow": %s, "batch": true, "triggered_on": "2000-01-01T00:00:00Z"}`, flowRef)
	} else {
		now := eng.Clock.Now().Format("2006-01-02T15:04:05.999999999Z07:00")
		triggerJSON = fmt.Sprintf(`{"type": "msg", "flow": %s, "triggered_on": %q, "event": {"uuid": %q, "type": "msg_received", "created_on": %q, "msg": %s}}`,
			flowRef, now, eng.UUIDs.NewV7(), now, h.MsgTriggerMessage)
	}
	trigger, err := engine.ReadTrigger([]byte(triggerJSON), assets)
	if err != nil {
		return []string{"reading trigger: " + err.Error()}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	cmp := enginetest.NewComparer(modified, contactData, h.HasTicket, h.VoiceCall, c.Action, c.Localization)
	check := func(name string, want json.RawMessage, got any) {
		if len(want) == 0 {
			return
		}
		w, err := enginetest.Decode(want)
		if err != nil {
			diffs = append(diffs, err.Error())
			return
		}
		for _, d := range cmp.Diff(w, enginetest.ToAny(got)) {
			diffs = append(diffs, name+strings.TrimPrefix(d, "$"))
		}
	}
	check("events", c.Events, trimEvents(sprint.Events))
	run := session.Runs[0]
	if len(c.Webhook) > 0 {
		if run.CurrentWebhook() == nil {
			check("webhook", c.Webhook, nil)
		} else {
			check("webhook", c.Webhook, run.CurrentWebhook())
		}
	}
	check("contact_after", c.ContactAfter, contact)
	locals := run.Locals
	if locals == nil {
		locals = map[string]string{}
	}
	check("locals_after", c.LocalsAfter, locals)
	if rest := mocks.Remaining(); len(rest) > 0 {
		diffs = append(diffs, fmt.Sprintf("unused http mocks: %v", rest))
	}
	return diffs
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

// engReadJSON reads a JSON file into v.
func engReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// engFixtureFiles lists the case files of a folder (those not starting with "_"), or the file.
func engFixtureFiles(path string) ([]string, error) {
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
		if !strings.HasPrefix(filepath.Base(f), "_") {
			out = append(out, f)
		}
	}
	return out, nil
}
