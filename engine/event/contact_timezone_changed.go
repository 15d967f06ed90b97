package event

// TypeContactTimezoneChanged is emitted when a contact's timezone changes.
const TypeContactTimezoneChanged = "contact_timezone_changed"

// ContactTimezoneChanged is emitted when a contact's timezone changes.
type ContactTimezoneChanged struct {
	Base
	Timezone string `json:"timezone"`
}

// NewContactTimezoneChanged builds the event.
func NewContactTimezoneChanged(v string) *ContactTimezoneChanged {
	return &ContactTimezoneChanged{Base: base(TypeContactTimezoneChanged), Timezone: v}
}

func init() { register(TypeContactTimezoneChanged, func() Event { return &ContactTimezoneChanged{} }) }
