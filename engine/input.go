package engine

import (
	"encoding/json"
	"time"

	"careflow/engine/event"
	"careflow/flow"
)

// Input is what the contact last sent (a message), flows.md §9.3.
type Input struct {
	Type        string           `json:"type"`
	UUID        string           `json:"uuid"`
	CreatedOn   time.Time        `json:"created_on"`
	Channel     *flow.ChannelRef `json:"channel,omitempty"`
	URN         string           `json:"urn,omitempty"`
	Text        string           `json:"text"`
	Attachments []string         `json:"attachments,omitempty"`
	ExternalID  string           `json:"external_id,omitempty"`
	Payload     json.RawMessage  `json:"payload,omitempty"`
}

// InputFromMsg makes an input from a msg_received event, resolving its channel in assets.
func InputFromMsg(e *event.MsgReceived, assets *Assets) *Input {
	in := &Input{Type: "msg", UUID: e.UUID, CreatedOn: e.CreatedOn, Text: e.Msg.Text,
		Attachments: e.Msg.Attachments, ExternalID: e.Msg.ExternalID, Payload: e.Msg.Payload}
	if e.Msg.URN != "" {
		if u, err := ParseURN(e.Msg.URN); err == nil {
			in.URN = u.Identity()
		} else {
			in.URN = e.Msg.URN
		}
	}
	if e.Msg.Channel != nil && assets != nil {
		if ch := assets.Channel(e.Msg.Channel.UUID); ch != nil {
			in.Channel = ch.Ref()
		}
	}
	return in
}
