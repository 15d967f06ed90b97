package event

// TypeCallCreated records an outgoing call being created.
const TypeCallCreated = "call_created"

// CallCreated records an outgoing call being created.
type CallCreated struct {
	Base
	Call *Call `json:"call"`
}

func init() { register(TypeCallCreated, func() Event { return &CallCreated{} }) }
