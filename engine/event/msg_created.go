package event

// TypeMsgCreated is emitted when a flow sends a message.
const TypeMsgCreated = "msg_created"

// MsgCreated is emitted when a flow sends a message.
type MsgCreated struct {
	Base
	Msg           *MsgOut `json:"msg"`
	BroadcastUUID string  `json:"broadcast_uuid,omitempty"`
	TicketUUID    string  `json:"ticket_uuid,omitempty"`
}

// NewMsgCreated builds the event.
func NewMsgCreated(m *MsgOut) *MsgCreated { return &MsgCreated{Base: base(TypeMsgCreated), Msg: m} }

func init() { register(TypeMsgCreated, func() Event { return &MsgCreated{} }) }
