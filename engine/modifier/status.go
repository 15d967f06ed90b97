package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeStatus changes the contact's status.
const TypeStatus = "status"

// Status changes the contact's status; non-active contacts lose their static groups when
// groups are re-evaluated.
type Status struct {
	Status string `json:"status"`
}

// Type is the wire name.
func (m *Status) Type() string { return TypeStatus }

// Apply sets the status.
func (m *Status) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	if c.Status == m.Status {
		return false
	}
	c.Status = m.Status
	log(event.NewContactStatusChanged(m.Status))
	return true
}

func init() { register(TypeStatus, func() engine.Modifier { return &Status{} }) }
