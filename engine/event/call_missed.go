package event

import "careflow/flow"

// TypeCallMissed carries a missed call (call triggers).
const TypeCallMissed = "call_missed"

// CallMissed carries a missed call.
type CallMissed struct {
	Base
	Channel *flow.ChannelRef `json:"channel"`
}

func init() { register(TypeCallMissed, func() Event { return &CallMissed{} }) }
