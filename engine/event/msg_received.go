package event

// TypeMsgReceived carries an incoming message (in triggers and resumes).
const TypeMsgReceived = "msg_received"

// MsgReceived carries an incoming message.
type MsgReceived struct {
	Base
	Msg        *MsgIn `json:"msg"`
	TicketUUID string `json:"ticket_uuid,omitempty"`
}

func init() { register(TypeMsgReceived, func() Event { return &MsgReceived{} }) }
