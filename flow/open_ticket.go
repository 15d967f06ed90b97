package flow

// TypeOpenTicket is the wire name of OpenTicket.
const TypeOpenTicket = "open_ticket"

// OpenTicket opens a ticket for the contact in Topic (default "General"), optionally assigned
// and with a Note (template).
//
//	{"type": "open_ticket", "uuid": "…", "topic": {"uuid": "…", "name": "Weather"}, "note": "@input.text"}
type OpenTicket struct {
	BaseAction
	onlineAction
	Topic    *TopicRef `json:"topic"`
	Assignee *UserRef  `json:"assignee,omitempty"`
	Note     string    `json:"note,omitempty"`
}

func init() { registerAction(TypeOpenTicket, func() Action { return &OpenTicket{} }) }

func (a *OpenTicket) check(c *checker) {
	a.checkBase(c)
	if a.Topic != nil {
		checkRef(c, "topic", true, a.Topic.UUID, a.Topic.Name, 64)
	}
	if a.Assignee != nil {
		c.uuid("assignee.uuid", a.Assignee.UUID, false)
		c.maxLen("assignee.name", a.Assignee.Name, 320)
		c.maxLen("assignee.email", a.Assignee.Email, 1000)
	}
	c.maxLen("note", a.Note, 10000)
}

func (a *OpenTicket) inspect(v *visitor) {
	if a.Topic != nil {
		v.ref(&Dependency{Type: "topic", UUID: a.Topic.UUID, Name: a.Topic.Name})
	}
	if a.Assignee != nil && !a.Assignee.Variable() {
		v.ref(&Dependency{Type: "user", UUID: a.Assignee.UUID, Name: a.Assignee.Name})
	}
	v.local("_new_ticket")
	if a.Assignee != nil && a.Assignee.Email != "" {
		v.tpl(a.Assignee.Email)
	}
	v.tpl(a.Note)
}
