package event

// TypeContactLanguageChanged is emitted when a contact's language changes.
const TypeContactLanguageChanged = "contact_language_changed"

// ContactLanguageChanged is emitted when a contact's language changes.
type ContactLanguageChanged struct {
	Base
	Language string `json:"language"`
}

// NewContactLanguageChanged builds the event.
func NewContactLanguageChanged(v string) *ContactLanguageChanged {
	return &ContactLanguageChanged{Base: base(TypeContactLanguageChanged), Language: v}
}

func init() { register(TypeContactLanguageChanged, func() Event { return &ContactLanguageChanged{} }) }
