package event

import "careflow/flow"

// TypeChatStarted carries a new conversation or referral (chat triggers).
const TypeChatStarted = "chat_started"

// ChatStarted carries a new conversation or referral.
type ChatStarted struct {
	Base
	Channel *flow.ChannelRef  `json:"channel"`
	Params  map[string]string `json:"params,omitempty"`
}

func init() { register(TypeChatStarted, func() Event { return &ChatStarted{} }) }
