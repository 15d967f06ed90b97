package modifier

import (
	"time"

	"careflow/engine"
	"careflow/engine/event"
)

// TypeSeen records when the contact was last seen.
const TypeSeen = "seen"

// Seen records when the contact was last seen.
type Seen struct {
	SeenOn time.Time `json:"seen_on"`
}

// Type is the wire name.
func (m *Seen) Type() string { return TypeSeen }

// Apply sets last_seen_on.
func (m *Seen) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	if c.LastSeenOn != nil && c.LastSeenOn.Equal(m.SeenOn) {
		return false
	}
	t := m.SeenOn
	c.LastSeenOn = &t
	log(event.NewContactLastSeenChanged(t))
	return true
}

func init() { register(TypeSeen, func() engine.Modifier { return &Seen{} }) }
