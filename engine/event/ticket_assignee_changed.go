package event

import "careflow/flow"

// TypeTicketAssigneeChanged is emitted when a ticket's assignee changes.
const TypeTicketAssigneeChanged = "ticket_assignee_changed"

// TicketAssigneeChanged is emitted when a ticket's assignee changes (null = unassigned).
type TicketAssigneeChanged struct {
	Base
	TicketUUID string        `json:"ticket_uuid"`
	Assignee   *flow.UserRef `json:"assignee"`
	Previous   *flow.UserRef `json:"previous,omitempty"`
}

// NewTicketAssigneeChanged builds the event.
func NewTicketAssigneeChanged(ticket string, assignee, previous *flow.UserRef) *TicketAssigneeChanged {
	return &TicketAssigneeChanged{Base: base(TypeTicketAssigneeChanged), TicketUUID: ticket, Assignee: assignee, Previous: previous}
}

func init() { register(TypeTicketAssigneeChanged, func() Event { return &TicketAssigneeChanged{} }) }
