package event

import (
	"time"

	"careflow/flow"
)

// TypeMsgWait is emitted when a run starts waiting for a message.
const TypeMsgWait = "msg_wait"

// MsgWait is emitted when a run starts waiting for a message.
type MsgWait struct {
	Base
	TimeoutSeconds *int       `json:"timeout_seconds,omitempty"`
	ExpiresOn      time.Time  `json:"expires_on"`
	Hint           *flow.Hint `json:"hint,omitempty"`
}

// NewMsgWait builds the event.
func NewMsgWait(timeout *int, expiresOn time.Time, hint *flow.Hint) *MsgWait {
	return &MsgWait{Base: base(TypeMsgWait), TimeoutSeconds: timeout, ExpiresOn: expiresOn, Hint: hint}
}

func init() { register(TypeMsgWait, func() Event { return &MsgWait{} }) }
