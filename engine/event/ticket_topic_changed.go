package event

import "careflow/flow"

// TypeTicketTopicChanged is emitted when a ticket's topic changes.
const TypeTicketTopicChanged = "ticket_topic_changed"

// TicketTopicChanged is emitted when a ticket's topic changes.
type TicketTopicChanged struct {
	Base
	TicketUUID string         `json:"ticket_uuid"`
	Topic      *flow.TopicRef `json:"topic"`
}

// NewTicketTopicChanged builds the event.
func NewTicketTopicChanged(ticket string, topic *flow.TopicRef) *TicketTopicChanged {
	return &TicketTopicChanged{Base: base(TypeTicketTopicChanged), TicketUUID: ticket, Topic: topic}
}

func init() { register(TypeTicketTopicChanged, func() Event { return &TicketTopicChanged{} }) }
