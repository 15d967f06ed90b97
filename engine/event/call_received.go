package event

// TypeCallReceived carries an incoming call (call triggers).
const TypeCallReceived = "call_received"

// CallReceived carries an incoming call.
type CallReceived struct {
	Base
	Call *Call `json:"call"`
}

func init() { register(TypeCallReceived, func() Event { return &CallReceived{} }) }
