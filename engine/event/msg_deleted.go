package event

// TypeMsgDeleted records a message being deleted (caller histories).
const TypeMsgDeleted = "msg_deleted"

// MsgDeleted records a message being deleted.
type MsgDeleted struct {
	Base
	MsgUUID   string `json:"msg_uuid"`
	ByContact bool   `json:"by_contact,omitempty"`
}

func init() { register(TypeMsgDeleted, func() Event { return &MsgDeleted{} }) }
