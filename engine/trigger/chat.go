package trigger

import (
	"careflow/engine"
	"careflow/engine/event"
	"careflow/expr"
)

// TypeChat is a session started by a new conversation or referral on a channel.
const TypeChat = "chat"

func init() {
	engine.RegisterTrigger(TypeChat, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			if e, ok := engine.ReadEventOfType(t.Event, event.TypeChatStarted); ok {
				t.Parsed = e
			}
			return nil
		},
		Context: func(t *engine.Trigger, o *expr.Object, a *engine.Assets) {
			if e, ok := t.Parsed.(*event.ChatStarted); ok {
				p := expr.NewObject()
				for k, v := range e.Params {
					p.Set(k, expr.Text(v))
				}
				o.Set("params", p)
			}
		},
	})
}
