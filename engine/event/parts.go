package event

import (
	"encoding/json"

	"careflow/flow"
)

// QuickReply is one quick reply of an outgoing message.
type QuickReply struct {
	Type  string `json:"type"`
	Text  string `json:"text,omitempty"`
	Extra string `json:"extra,omitempty"`
}

// Templating is the template part of an outgoing templated message.
type Templating struct {
	Template   *flow.TemplateRef    `json:"template"`
	Components []*TemplateComponent `json:"components,omitempty"`
	Variables  []*TemplateVariable  `json:"variables,omitempty"`
}

// TemplateComponent is one component of a templated message with its variable indexes.
type TemplateComponent struct {
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Variables map[string]int `json:"variables,omitempty"`
}

// TemplateVariable is one evaluated template variable.
type TemplateVariable struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// MsgOut is an outgoing message (msg_created, ivr_created).
type MsgOut struct {
	UUID             string           `json:"uuid,omitempty"`
	URN              string           `json:"urn,omitempty"`
	Channel          *flow.ChannelRef `json:"channel,omitempty"`
	Text             string           `json:"text"`
	Attachments      []string         `json:"attachments,omitempty"`
	QuickReplies     []QuickReply     `json:"quick_replies,omitempty"`
	Templating       *Templating      `json:"templating,omitempty"`
	Locale           string           `json:"locale,omitempty"`
	UnsendableReason string           `json:"unsendable_reason,omitempty"`
}

// MsgIn is an incoming message (msg_received).
type MsgIn struct {
	URN         string           `json:"urn"`
	Channel     *flow.ChannelRef `json:"channel,omitempty"`
	Text        string           `json:"text"`
	Attachments []string         `json:"attachments,omitempty"`
	ExternalID  string           `json:"external_id,omitempty"`
	Payload     json.RawMessage  `json:"payload,omitempty"`
}

// Call is a voice call reference.
type Call struct {
	UUID    string           `json:"uuid"`
	Channel *flow.ChannelRef `json:"channel"`
	URN     string           `json:"urn"`
}

// Ticket is a ticket as carried by ticket events and contacts.
type Ticket struct {
	UUID     string         `json:"uuid"`
	Status   string         `json:"status"`
	Topic    *flow.TopicRef `json:"topic"`
	Assignee *flow.UserRef  `json:"assignee,omitempty"`
}

// HTTPLog is one logged HTTP exchange of a service call (airtime).
type HTTPLog struct {
	URL        string `json:"url"`
	StatusCode int    `json:"status_code,omitempty"`
	Request    string `json:"request"`
	Response   string `json:"response,omitempty"`
	ElapsedMS  int    `json:"elapsed_ms"`
	Retries    int    `json:"retries"`
	Sizes      *Sizes `json:"sizes,omitempty"`
	Status     string `json:"status"`
	CreatedOn  string `json:"created_on"`
}

// Sizes are the untrimmed sizes of a logged request and response.
type Sizes struct {
	Request  int `json:"request"`
	Response int `json:"response"`
}

// History is the session ancestry carried by session_triggered and flow_action triggers.
type History struct {
	ParentUUID          string `json:"parent_uuid,omitempty"`
	Ancestors           int    `json:"ancestors,omitempty"`
	AncestorsSinceInput int    `json:"ancestors_since_input"`
}

// ResultPrevious is the previous value of a changed result.
type ResultPrevious struct {
	Value    string `json:"value"`
	Category string `json:"category"`
}

// Dial is the outcome of a dial.
type Dial struct {
	Status   string `json:"status"`
	Duration int    `json:"duration"`
}
