package modifier

import (
	"careflow/engine"
	"careflow/engine/event"
)

// TypeLanguage changes the contact's language.
const TypeLanguage = "language"

// Language changes the contact's language ("" clears it).
type Language struct {
	Language string `json:"language"`
}

// Type is the wire name.
func (m *Language) Type() string { return TypeLanguage }

// Apply sets the language.
func (m *Language) Apply(e *engine.ModifierEnv, c *engine.Contact, log func(event.Event)) bool {
	if c.Language == m.Language {
		return false
	}
	c.Language = m.Language
	log(event.NewContactLanguageChanged(m.Language))
	return true
}

func init() { register(TypeLanguage, func() engine.Modifier { return &Language{} }) }
