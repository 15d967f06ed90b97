package trigger

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeMsg is a session started by an incoming message; the message is the input.
const TypeMsg = "msg"

func init() {
	engine.RegisterTrigger(TypeMsg, &engine.TriggerType{
		Read: func(t *engine.Trigger, a *engine.Assets) []string {
			e, ok := engine.ReadEventOfType(t.Event, event.TypeMsgReceived)
			if !ok {
				if t.Flow == nil {
					return nil
				}
				return []string{"msg trigger event must be of type msg_received"}
			}
			t.Parsed = e
			return nil
		},
		Input: func(t *engine.Trigger, a *engine.Assets) *engine.Input {
			if e, ok := t.Parsed.(*event.MsgReceived); ok {
				return engine.InputFromMsg(e, a)
			}
			return nil
		},
	})
}
