package event

import "careflow/flow"

// TypeTypingStarted records typing having started (caller histories).
const TypeTypingStarted = "typing_started"

// TypingStarted records typing having started.
type TypingStarted struct {
	Base
	Direction     string           `json:"direction"`
	Channel       *flow.ChannelRef `json:"channel,omitempty"`
	URN           string           `json:"urn,omitempty"`
	MsgExternalID string           `json:"msg_external_id,omitempty"`
}

func init() { register(TypeTypingStarted, func() Event { return &TypingStarted{} }) }
