package event

// TypeTicketOpened is emitted when a ticket is opened.
const TypeTicketOpened = "ticket_opened"

// TicketOpened is emitted when a ticket is opened.
type TicketOpened struct {
	Base
	Ticket *Ticket `json:"ticket"`
}

// NewTicketOpened builds the event.
func NewTicketOpened(t *Ticket) *TicketOpened {
	return &TicketOpened{Base: base(TypeTicketOpened), Ticket: t}
}

func init() { register(TypeTicketOpened, func() Event { return &TicketOpened{} }) }
