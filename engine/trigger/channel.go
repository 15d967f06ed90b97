package trigger

import (
	"careflow/engine"
)

// TypeChannel is the legacy channel trigger (an event with a type and a channel).
const TypeChannel = "channel"

func init() {
	engine.RegisterTrigger(TypeChannel, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if len(t.Event) == 0 || string(t.Event) == "null" {
				return []string{"field 'event' is required"}
			}
			return nil
		},
	})
}
