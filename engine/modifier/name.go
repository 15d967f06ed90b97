package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeName changes the contact's name.
const TypeName = "name"

// Name changes the contact's name.
type Name struct {
	Name string `json:"name"`
}

// Type is the wire name.
func (m *Name) Type() string { return TypeName }

// Apply sets the name.
func (m *Name) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	name := engine.Truncate(m.Name, e.Engine.MaxNameChars)
	if c.Name == name {
		return false
	}
	c.Name = name
	log(event.NewContactNameChanged(name))
	return true
}

func init() { register(TypeName, func() engine.Modifier { return &Name{} }) }
