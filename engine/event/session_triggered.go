package event

import (
	"encoding/json"

	"careflow/flow"
)

// TypeSessionTriggered is emitted when a flow asks for new sessions to be started.
const TypeSessionTriggered = "session_triggered"

// Exclusions say which contacts a start skips.
type Exclusions struct {
	InAFlow bool `json:"in_a_flow,omitempty"`
}

// SessionTriggered is emitted when a flow asks for new sessions to be started.
type SessionTriggered struct {
	Base
	Flow          *flow.FlowRef      `json:"flow"`
	Groups        []*flow.GroupRef   `json:"groups,omitempty"`
	Contacts      []*flow.ContactRef `json:"contacts,omitempty"`
	ContactQuery  string             `json:"contact_query,omitempty"`
	Exclusions    Exclusions         `json:"exclusions"`
	CreateContact bool               `json:"create_contact,omitempty"`
	URNs          []string           `json:"urns,omitempty"`
	RunSummary    json.RawMessage    `json:"run_summary"`
	History       *History           `json:"history"`
}

// NewSessionTriggered builds the event.
func NewSessionTriggered() *SessionTriggered {
	return &SessionTriggered{Base: base(TypeSessionTriggered)}
}

func init() { register(TypeSessionTriggered, func() Event { return &SessionTriggered{} }) }
