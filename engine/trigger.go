package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"careflow/engine/event"
	"careflow/expr"
	"careflow/flow"
)

// KeywordMatch says how a msg trigger matched its keyword.
type KeywordMatch struct {
	Type    string `json:"type"`
	Keyword string `json:"keyword"`
}

// Trigger is what started a session (flows.md §11.1). One struct carries every type's fields;
// the per-type rules live in engine/trigger and are registered with RegisterTrigger.
type Trigger struct {
	Type         string          `json:"type"`
	Event        json.RawMessage `json:"event,omitempty"`
	Flow         *flow.FlowRef   `json:"flow"`
	Batch        bool            `json:"batch,omitempty"`
	Params       json.RawMessage `json:"params,omitempty"`
	History      *event.History  `json:"history,omitempty"`
	TriggeredOn  time.Time       `json:"triggered_on"`
	User         *flow.UserRef   `json:"user,omitempty"`
	Origin       string          `json:"origin,omitempty"`
	KeywordMatch *KeywordMatch   `json:"keyword_match,omitempty"`
	RunSummary   json.RawMessage `json:"run_summary,omitempty"`
	Ticket       *event.Ticket   `json:"ticket,omitempty"`

	// Parsed is the decoded event (nil for legacy channel events).
	Parsed event.Event `json:"-"`
}

// TriggerType is the behaviour of one trigger type.
type TriggerType struct {
	// Read checks the type's fields (after the common ones) and decodes its event.
	Read func(t *Trigger, a *Assets) []string
	// Input returns the input the trigger brings, or nil.
	Input func(t *Trigger, a *Assets) *Input
	// Context fills type-specific @trigger properties.
	Context func(t *Trigger, o *expr.Object, a *Assets)
}

var triggerTypes = map[string]*TriggerType{}

// RegisterTrigger registers a trigger type.
func RegisterTrigger(name string, t *TriggerType) {
	if _, dup := triggerTypes[name]; dup {
		panic("engine: trigger registered twice: " + name)
	}
	triggerTypes[name] = t
}

// ReadTrigger reads and validates a trigger.
func ReadTrigger(data []byte, a *Assets) (*Trigger, error) {
	t := &Trigger{}
	if err := json.Unmarshal(data, t); err != nil {
		return nil, err
	}
	tt := triggerTypes[t.Type]
	if tt == nil {
		return nil, fmt.Errorf("unknown type: '%s'", t.Type)
	}
	var problems []string
	if t.Flow == nil {
		problems = append(problems, "field 'flow' is required")
	}
	if t.KeywordMatch != nil && t.KeywordMatch.Type == "" {
		problems = append(problems, "field 'keyword_match.type' is required")
	}
	if tt.Read != nil {
		problems = append(problems, tt.Read(t, a)...)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, ", "))
	}
	if len(t.Event) > 0 && t.Parsed != nil {
		b, err := json.Marshal(t.Parsed)
		if err != nil {
			return nil, err
		}
		t.Event = b
	}
	return t, nil
}

// ReadEventOfType decodes a trigger or resume event and checks its type.
func ReadEventOfType(raw json.RawMessage, types ...string) (event.Event, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	e, err := event.Read(raw)
	if err != nil {
		return nil, false
	}
	for _, t := range types {
		if e.Type() == t {
			return e, true
		}
	}
	return nil, false
}

func (t *Trigger) typeInfo() *TriggerType { return triggerTypes[t.Type] }
