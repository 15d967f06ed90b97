package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeTimezone changes the contact's time zone.
const TypeTimezone = "timezone"

// Timezone changes the contact's time zone ("" clears it).
type Timezone struct {
	Timezone string `json:"timezone"`
}

// Type is the wire name.
func (m *Timezone) Type() string { return TypeTimezone }

// Apply sets the time zone.
func (m *Timezone) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	if c.Timezone == m.Timezone {
		return false
	}
	c.Timezone = m.Timezone
	log(event.NewContactTimezoneChanged(m.Timezone))
	return true
}

func init() { register(TypeTimezone, func() engine.Modifier { return &Timezone{} }) }
