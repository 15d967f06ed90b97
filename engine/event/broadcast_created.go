package event

import "careflow/flow"

// TypeBroadcastCreated is emitted when a flow sends a broadcast.
const TypeBroadcastCreated = "broadcast_created"

// BroadcastTranslation is the content of a broadcast in one language.
type BroadcastTranslation struct {
	Text         string       `json:"text"`
	Attachments  []string     `json:"attachments,omitempty"`
	QuickReplies []QuickReply `json:"quick_replies,omitempty"`
}

// BroadcastCreated is emitted when a flow sends a broadcast.
type BroadcastCreated struct {
	Base
	Translations      map[string]*BroadcastTranslation `json:"translations"`
	BaseLanguage      string                           `json:"base_language"`
	Groups            []*flow.GroupRef                 `json:"groups,omitempty"`
	Contacts          []*flow.ContactRef               `json:"contacts,omitempty"`
	ContactQuery      string                           `json:"contact_query,omitempty"`
	URNs              []string                         `json:"urns,omitempty"`
	Template          *flow.TemplateRef                `json:"template,omitempty"`
	TemplateVariables []string                         `json:"template_variables,omitempty"`
}

// NewBroadcastCreated builds the event.
func NewBroadcastCreated() *BroadcastCreated {
	return &BroadcastCreated{Base: base(TypeBroadcastCreated)}
}

func init() { register(TypeBroadcastCreated, func() Event { return &BroadcastCreated{} }) }
