package modifier

import (
	"strings"

	"careflow/engine"
	"careflow/engine/event"
	"careflow/flow"
)

// Ticket modifier wire names.
const (
	TypeTicketOpen     = "ticket_open"
	TypeTicketClose    = "ticket_close"
	TypeTicketReopen   = "ticket_reopen"
	TypeTicketNote     = "ticket_note"
	TypeTicketAssignee = "ticket_assignee"
	TypeTicketTopic    = "ticket_topic"
)

// TicketOpen opens a ticket unless the contact already has an open one.
type TicketOpen struct {
	Topic    *flow.TopicRef `json:"topic"`
	Assignee *flow.UserRef  `json:"assignee"`
	Note     string         `json:"note"`

	// Opened is the ticket opened by Apply, if any.
	Opened *event.Ticket `json:"-"`
}

// Type is the wire name.
func (m *TicketOpen) Type() string { return TypeTicketOpen }

// Apply opens the ticket.
func (m *TicketOpen) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	if c.OpenTicket() != nil {
		return false
	}
	t := &event.Ticket{UUID: e.NewUUID7(), Status: "open", Topic: m.Topic, Assignee: m.Assignee}
	c.Tickets = append(c.Tickets, t)
	m.Opened = t
	log(event.NewTicketOpened(t))
	if note := strings.TrimSpace(m.Note); note != "" {
		log(event.NewTicketNoteAdded(t.UUID, note))
	}
	return true
}

func findTicket(c *engine.Contact, uuid string) *event.Ticket {
	for _, t := range c.Tickets {
		if t.UUID == uuid {
			return t
		}
	}
	return nil
}

// TicketClose closes an open ticket.
type TicketClose struct {
	TicketUUID string `json:"ticket_uuid"`
}

// Type is the wire name.
func (m *TicketClose) Type() string { return TypeTicketClose }

// Apply closes the ticket.
func (m *TicketClose) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	t := findTicket(c, m.TicketUUID)
	if t == nil || t.Status != "open" {
		return false
	}
	t.Status = "closed"
	log(event.NewTicketClosed(t.UUID))
	return true
}

// TicketReopen reopens a closed ticket.
type TicketReopen struct {
	TicketUUID string `json:"ticket_uuid"`
}

// Type is the wire name.
func (m *TicketReopen) Type() string { return TypeTicketReopen }

// Apply reopens the ticket.
func (m *TicketReopen) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	t := findTicket(c, m.TicketUUID)
	if t == nil || t.Status != "closed" || c.OpenTicket() != nil {
		return false
	}
	t.Status = "open"
	log(event.NewTicketReopened(t.UUID))
	return true
}

// TicketNote adds a note to a ticket.
type TicketNote struct {
	TicketUUID string `json:"ticket_uuid"`
	Note       string `json:"note"`
}

// Type is the wire name.
func (m *TicketNote) Type() string { return TypeTicketNote }

// Apply adds the note.
func (m *TicketNote) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	t := findTicket(c, m.TicketUUID)
	if t == nil || strings.TrimSpace(m.Note) == "" {
		return false
	}
	log(event.NewTicketNoteAdded(t.UUID, m.Note))
	return true
}

// TicketAssignee changes a ticket's assignee.
type TicketAssignee struct {
	TicketUUID string        `json:"ticket_uuid"`
	Assignee   *flow.UserRef `json:"assignee"`
}

// Type is the wire name.
func (m *TicketAssignee) Type() string { return TypeTicketAssignee }

// Apply changes the assignee.
func (m *TicketAssignee) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	t := findTicket(c, m.TicketUUID)
	if t == nil {
		return false
	}
	prev := t.Assignee
	if prev == nil && m.Assignee == nil || prev != nil && m.Assignee != nil && prev.UUID == m.Assignee.UUID {
		return false
	}
	t.Assignee = m.Assignee
	log(event.NewTicketAssigneeChanged(t.UUID, m.Assignee, prev))
	return true
}

// TicketTopic changes a ticket's topic.
type TicketTopic struct {
	TicketUUID string         `json:"ticket_uuid"`
	Topic      *flow.TopicRef `json:"topic"`
}

// Type is the wire name.
func (m *TicketTopic) Type() string { return TypeTicketTopic }

// Apply changes the topic.
func (m *TicketTopic) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	t := findTicket(c, m.TicketUUID)
	if t == nil || m.Topic == nil || t.Topic != nil && t.Topic.UUID == m.Topic.UUID {
		return false
	}
	t.Topic = m.Topic
	log(event.NewTicketTopicChanged(t.UUID, m.Topic))
	return true
}

func init() {
	register(TypeTicketOpen, func() engine.Modifier { return &TicketOpen{} })
	register(TypeTicketClose, func() engine.Modifier { return &TicketClose{} })
	register(TypeTicketReopen, func() engine.Modifier { return &TicketReopen{} })
	register(TypeTicketNote, func() engine.Modifier { return &TicketNote{} })
	register(TypeTicketAssignee, func() engine.Modifier { return &TicketAssignee{} })
	register(TypeTicketTopic, func() engine.Modifier { return &TicketTopic{} })
}
