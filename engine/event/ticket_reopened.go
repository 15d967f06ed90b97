package event

// TypeTicketReopened is emitted when a ticket is reopened.
const TypeTicketReopened = "ticket_reopened"

// TicketReopened is emitted when a ticket is reopened.
type TicketReopened struct {
	Base
	TicketUUID string `json:"ticket_uuid"`
}

// NewTicketReopened builds the event.
func NewTicketReopened(ticket string) *TicketReopened {
	return &TicketReopened{Base: base(TypeTicketReopened), TicketUUID: ticket}
}

func init() { register(TypeTicketReopened, func() Event { return &TicketReopened{} }) }
