package event

// TypeTicketClosed is emitted when a ticket is closed.
const TypeTicketClosed = "ticket_closed"

// TicketClosed is emitted when a ticket is closed.
type TicketClosed struct {
	Base
	TicketUUID string `json:"ticket_uuid"`
}

// NewTicketClosed builds the event.
func NewTicketClosed(ticket string) *TicketClosed {
	return &TicketClosed{Base: base(TypeTicketClosed), TicketUUID: ticket}
}

func init() { register(TypeTicketClosed, func() Event { return &TicketClosed{} }) }
