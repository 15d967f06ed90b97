package trigger

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeCall is a session started by an incoming or missed call.
const TypeCall = "call"

func init() {
	engine.RegisterTrigger(TypeCall, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if e, ok := engine.ReadEventOfType(t.Event, event.TypeCallReceived, event.TypeCallMissed); ok {
				t.Parsed = e
			}
			return nil
		},
	})
}
