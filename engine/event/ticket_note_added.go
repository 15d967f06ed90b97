package event

// TypeTicketNoteAdded is emitted when a note is added to a ticket.
const TypeTicketNoteAdded = "ticket_note_added"

// TicketNoteAdded is emitted when a note is added to a ticket.
type TicketNoteAdded struct {
	Base
	TicketUUID string `json:"ticket_uuid"`
	Note       string `json:"note"`
}

// NewTicketNoteAdded builds the event.
func NewTicketNoteAdded(ticket, note string) *TicketNoteAdded {
	return &TicketNoteAdded{Base: base(TypeTicketNoteAdded), TicketUUID: ticket, Note: note}
}

func init() { register(TypeTicketNoteAdded, func() Event { return &TicketNoteAdded{} }) }
