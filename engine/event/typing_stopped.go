package event

import "careflow/flow"

// TypeTypingStopped records typing having stopped (caller histories).
const TypeTypingStopped = "typing_stopped"

// TypingStopped records typing having stopped.
type TypingStopped struct {
	Base
	Direction     string           `json:"direction"`
	Channel       *flow.ChannelRef `json:"channel,omitempty"`
	URN           string           `json:"urn,omitempty"`
	MsgExternalID string           `json:"msg_external_id,omitempty"`
}

func init() { register(TypeTypingStopped, func() Event { return &TypingStopped{} }) }
