package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/flow"
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
	Engine              harnessEngine   `json:"engine"`
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

func (c actionCase) describe() string { return c.Description }

func runActionsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var h actionsHarness
	return runGoflowSuite(ctx, "actions", path, &h, out, func(assets []byte, c actionCase) []string {
		return runActionCase(&h, assets, c)
	})
}

func runActionCase(h *actionsHarness, assetsData []byte, c actionCase) []string {
	holder := h.HolderFlows["default"]
	if c.InFlowType == "voice" {
		holder = h.HolderFlows["voice"]
	}
	// numbers stay as written (an amount of 1e999 must reach the flow reader intact)
	modified, err := editHolderFlow(assetsData, holder.Index, func(fl, node map[string]any) error {
		action, err := enginetest.Decode(c.Action)
		if err != nil {
			return err
		}
		node["actions"] = []any{action}
		if len(c.Localization) > 0 {
			loc, err := enginetest.Decode(c.Localization)
			if err != nil {
				return err
			}
			fl["localization"] = loc
		}
		return nil
	})
	if err != nil {
		return []string{err.Error()}
	}
	assets, err := engine.ReadAssets(modified)
	if err != nil {
		return []string{err.Error()}
	}
	f, err := assets.Flow(flow.UUID(holder.UUID))
	if c.ReadError != "" {
		return readErrorDiffs(err, c.ReadError, true)
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
	eng := enginetest.NewEngine(enginetest.Config{Mocks: mocks, EmailError: c.SMTPError, LLMPrompts: h.Engine.LLMPrompts,
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
	call := voiceCall(f, h.VoiceCall)
	var trigger *engine.Trigger
	if c.NoInput || c.AsBatch {
		trigger, err = manualTrigger(assets, f, true, eng.Clock.Now())
	} else {
		// as the reference harness builds it: the msg_received event (its UUID, then its time),
		// then the trigger's own time, each a clock tick
		eventUUID := eng.UUIDs.NewV7()
		received := eng.Clock.Now().Format(time.RFC3339Nano)
		triggered := eng.Clock.Now().Format(time.RFC3339Nano)
		triggerJSON := fmt.Sprintf(`{"type": "msg", "flow": {"uuid": %q, "name": %q}, "triggered_on": %q, "event": {"uuid": %q, "type": "msg_received", "created_on": %q, "msg": %s}}`,
			f.UUID, f.Name, triggered, eventUUID, received, h.MsgTriggerMessage)
		trigger, err = engine.ReadTrigger([]byte(triggerJSON), assets)
	}
	if err != nil {
		return []string{"reading trigger: " + err.Error()}
	}
	session, sprint, err := eng.Start(assets, env, contact, trigger, call)
	if err != nil {
		return []string{"starting: " + err.Error()}
	}
	cmp := newComparer(modified, contactData, h.HasTicket, h.VoiceCall, c.Action, c.Localization)
	diffs := diffIfExpected(cmp, "events", c.Events, trimEvents(sprint.Events))
	run := session.Runs[0]
	if webhook := run.CurrentWebhook(); webhook == nil {
		diffs = append(diffs, diffIfExpected(cmp, "webhook", c.Webhook, nil)...)
	} else {
		diffs = append(diffs, diffIfExpected(cmp, "webhook", c.Webhook, webhook)...)
	}
	diffs = append(diffs, diffIfExpected(cmp, "contact_after", c.ContactAfter, contact)...)
	locals := run.Locals
	if locals == nil {
		locals = map[string]string{}
	}
	diffs = append(diffs, diffIfExpected(cmp, "locals_after", c.LocalsAfter, locals)...)
	if rest := mocks.Remaining(); len(rest) > 0 {
		diffs = append(diffs, fmt.Sprintf("unused http mocks: %v", rest))
	}
	return diffs
}
