package event

// TypeMsgStatusChanged records a message status change (caller histories).
const TypeMsgStatusChanged = "msg_status_changed"

// MsgStatusChanged records a message status change.
type MsgStatusChanged struct {
	Base
	MsgUUID string `json:"msg_uuid"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
}

func init() { register(TypeMsgStatusChanged, func() Event { return &MsgStatusChanged{} }) }
